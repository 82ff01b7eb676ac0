import { useRef } from 'preact/hooks';
import { time } from '../format.js';
import { useLiveEvent } from '../live.js';
import { usePaged } from '../paged.js';
import { Badge } from '../parts/Badge.js';
import { ErrorLine } from '../parts/ErrorLine.js';
import { MoreButton } from '../parts/MoreButton.js';
import { Table } from '../parts/Table.js';
import type { Push } from '../types.js';

/** WAP pushes (PAP and JSON), newest first, with the state of each address; kept current by events. */
export function Pushes() {
  const { page, error, load, more } = usePaged<Push>('/api/v1/pushes?limit=50');
  // A new message may be a new push, a shown one may have changed: reload on the next tick (once a second
  // at most, however many messages change).
  const dirty = useRef(false);
  const shown = new Set(page?.items.flatMap((p) => p.addresses.map((a) => a.messageId)));
  useLiveEvent<{ id: string; status: string }>(
    'message',
    (e) => {
      if (e.status === 'queued' || shown.has(e.id)) dirty.current = true;
    },
    [page],
  );
  useLiveEvent('tick', () => {
    if (!dirty.current) return;
    dirty.current = false;
    load();
  }, [load]);
  useLiveEvent('snapshot', load, [load]);
  return (
    <main>
      <ErrorLine error={error} />
      {page?.items.length === 0 && (
        <section class="card">
          <p class="muted">No WAP push yet.</p>
        </section>
      )}
      {page?.items.map((p) => (
        <section class="card" key={p.pushId} data-push={p.pushId}>
          <h2>
            Push <code>{p.pushId}</code>
          </h2>
          <dl class="facts">
            <dt>Created</dt>
            <dd>{time(p.createdAt)}</dd>
            <dt>Account</dt>
            <dd>{p.account}</dd>
            <dt>Content</dt>
            <dd>{p.contentType}</dd>
            {p.sourceReference && (
              <>
                <dt>Source</dt>
                <dd class="text" data-source-reference>
                  {p.sourceReference}
                </dd>
              </>
            )}
            {p.notifyTo && (
              <>
                <dt>Notify</dt>
                <dd class="text">{p.notifyTo}</dd>
              </>
            )}
            {p.deliverBefore && (
              <>
                <dt>Deliver before</dt>
                <dd>{time(p.deliverBefore)}</dd>
              </>
            )}
            {p.deliverAfter && (
              <>
                <dt>Deliver after</dt>
                <dd>{time(p.deliverAfter)}</dd>
              </>
            )}
          </dl>
          <Table label={`addresses of ${p.pushId}`} columns={['Address', 'Push state', 'Message', 'Updated']}>
            {p.addresses.map((a) => (
              <tr key={a.messageId} data-address={a.address} data-state={a.state}>
                <td>{a.address}</td>
                <td>
                  <Badge value={a.state} />
                </td>
                <td>
                  <a href={`#/messages/${a.messageId}`}>
                    <Badge value={a.status} />
                  </a>
                </td>
                <td>{time(a.updatedAt)}</td>
              </tr>
            ))}
          </Table>
        </section>
      ))}
      <MoreButton page={page} more={more} />
    </main>
  );
}
