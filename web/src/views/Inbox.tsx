import { body, time } from '../format.js';
import { useLiveEvent } from '../live.js';
import { usePaged } from '../paged.js';
import { ErrorLine } from '../parts/ErrorLine.js';
import { MoreButton } from '../parts/MoreButton.js';
import { Table } from '../parts/Table.js';
import type { Mo } from '../types.js';

/** Received (MO) messages, newest first; a new one appears as it is stored. */
export function Inbox() {
  const { page, error, load, more } = usePaged<Mo>('/api/v1/mo?limit=100');
  useLiveEvent('mo', load, [load]);
  useLiveEvent('snapshot', load, [load]);
  return (
    <main>
      <ErrorLine error={error} />
      <section class="card">
        <h2>MO inbox</h2>
        {page?.items.length === 0 && <p class="muted">Nothing received yet.</p>}
        {page && page.items.length > 0 && (
          <Table label="MO messages" columns={['Received', 'From', 'To', 'Text', 'Parts']}>
            {page.items.map((m) => (
              <tr key={m.id} data-id={m.id}>
                <td>{time(m.receivedAt)}</td>
                <td>{m.from}</td>
                <td>{m.to}</td>
                <td class="text">{body(m)}</td>
                <td class="num">{m.parts}</td>
              </tr>
            ))}
          </Table>
        )}
        <MoreButton page={page} more={more} />
      </section>
    </main>
  );
}
