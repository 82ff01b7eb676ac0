import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, query } from '../api.js';
import { body, time } from '../format.js';
import { Badge } from '../parts/Badge.js';
import { ErrorLine } from '../parts/ErrorLine.js';
import { MoreButton } from '../parts/MoreButton.js';
import { Table } from '../parts/Table.js';
import { go, type Route } from '../router.js';
import { MESSAGE_STATUSES, type Message, type Page } from '../types.js';

const FIELDS = ['id', 'to', 'clientRef', 'status', 'since'] as const;
type Search = Partial<Record<(typeof FIELDS)[number], string>>;

/** datetime-local value (local time) ↔ ISO time for the API. */
const toIso = (local: string | undefined) => (local ? new Date(local).toISOString() : undefined);

async function search(s: Search, cursor?: string): Promise<Page<Message>> {
  if (s.id) {
    try {
      return {
        items: [await api<Message>('GET', `/api/v1/messages/${encodeURIComponent(s.id)}`)],
        next: null,
      };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { items: [], next: null };
      throw err;
    }
  }
  const q = query({
    to: s.to,
    clientRef: s.clientRef,
    status: s.status,
    since: toIso(s.since),
    cursor,
    limit: '50',
  });
  return api<Page<Message>>('GET', `/api/v1/messages${q}`);
}

/** Search by recipient, id, clientRef, state and time; the newest first, 50 at a time. */
export function Messages({ route }: { route: Route }) {
  const applied: Search = Object.fromEntries(FIELDS.map((f) => [f, route.params.get(f) ?? undefined]));
  const key = route.params.toString();
  const [form, setForm] = useState<Search>(applied);
  const [page, setPage] = useState<Page<Message> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setForm(applied);
    setError(null);
    search(applied).then(setPage, (err) => setError(String(err.message ?? err)));
  }, [key]);

  const more = async () => {
    if (!page?.next) return;
    const next = await search(applied, page.next);
    setPage({ items: [...page.items, ...next.items], next: next.next });
  };
  const field = (name: keyof Search) => ({
    name,
    value: form[name] ?? '',
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <main>
      <form
        class="card search"
        onSubmit={(e) => {
          e.preventDefault();
          go('/messages', form);
        }}
      >
        <label>
          Recipient <input {...field('to')} inputMode="tel" placeholder="13800138000" />
        </label>
        <label>
          Message id <input {...field('id')} />
        </label>
        <label>
          clientRef <input {...field('clientRef')} />
        </label>
        <label>
          State
          <select {...field('status')}>
            <option value="">any</option>
            {MESSAGE_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Since <input {...field('since')} type="datetime-local" step="1" />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorLine error={error} />
      {page && (
        <section class="card">
          {page.items.length === 0 ? (
            <p class="muted">No message matches.</p>
          ) : (
            <Table label="messages" columns={['Created', 'To', 'State', 'Segments', 'Text']}>
              {page.items.map((m) => (
                <tr key={m.id} data-id={m.id}>
                  <td>
                    <a href={`#/messages/${m.id}`}>{time(m.createdAt)}</a>
                  </td>
                  <td>{m.to}</td>
                  <td>
                    <Badge value={m.status} />
                  </td>
                  <td class="num">{m.segments.length}</td>
                  <td class="text">{body(m)}</td>
                </tr>
              ))}
            </Table>
          )}
          <MoreButton page={page} more={more} />
        </section>
      )}
    </main>
  );
}
