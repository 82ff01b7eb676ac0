import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { body, time } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Table } from '../parts/Table.js';
import type { Mo, Page } from '../types.js';

/** Received (MO) messages, newest first; a new one appears as it is stored. */
export function Inbox() {
  const [page, setPage] = useState<Page<Mo> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Page<Mo>>('GET', '/api/v1/mo?limit=100').then(setPage, (err) => setError(err.message));
  }, []);
  useEffect(load, [load]);
  useLiveEvent('mo', load, [load]);
  useLiveEvent('snapshot', load, [load]);
  const more = async () => {
    if (!page?.next) return;
    const next = await api<Page<Mo>>('GET', `/api/v1/mo?limit=100&cursor=${encodeURIComponent(page.next)}`);
    setPage({ items: [...page.items, ...next.items], next: next.next });
  };
  return (
    <main>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <section class="card">
        <h2>MO inbox</h2>
        {page?.items.length === 0 && <p class="muted">Nothing received yet.</p>}
        {page && page.items.length > 0 && (
          <Table label="MO messages">
            <thead>
              <tr>
                <th>Received</th>
                <th>From</th>
                <th>To</th>
                <th>Text</th>
                <th>Parts</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((m) => (
                <tr key={m.id} data-id={m.id}>
                  <td>{time(m.receivedAt)}</td>
                  <td>{m.from}</td>
                  <td>{m.to}</td>
                  <td class="text">{body(m)}</td>
                  <td class="num">{m.parts}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {page?.next && (
          <button type="button" onClick={more}>
            More
          </button>
        )}
      </section>
    </main>
  );
}
