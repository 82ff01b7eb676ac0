import { ago } from '../format.js';
import { useLive } from '../live.js';
import { Badge } from '../parts/Badge.js';
import { ThroughputChart } from '../parts/Chart.js';
import { Table } from '../parts/Table.js';
import { type LinkView, MESSAGE_STATUSES } from '../types.js';

function byAccount(links: LinkView[]): [string, LinkView[]][] {
  const groups = new Map<string, LinkView[]>();
  for (const l of links) groups.set(l.account, [...(groups.get(l.account) ?? []), l]);
  return [...groups];
}

function Stat({ label, value, name }: { label: string; value: number | string; name: string }) {
  return (
    <div class="stat" data-stat={name}>
      <span class="muted">{label}</span>
      <b>{value}</b>
    </div>
  );
}

/** Accounts and their links, live throughput, queue, report outcomes and webhook backlog. */
export function Overview() {
  const live = useLive();
  const store = live.store;
  const up = live.links.filter((l) => l.state === 'up').length;
  const reports = Object.entries(live.reportsByStat).sort((a, b) => b[1] - a[1]);
  return (
    <main>
      <section class="stats">
        <Stat name="links" label="Links up" value={`${up} / ${live.links.length}`} />
        <Stat name="queue" label="Queue depth" value={store?.queuedSegments ?? '…'} />
        <Stat name="webhooks" label="Webhook backlog" value={store?.webhooksPending ?? '…'} />
        <Stat name="mo" label="MO stored" value={store?.mo ?? '…'} />
      </section>

      <section class="card">
        <h2>Throughput</h2>
        <ThroughputChart series={live.series} />
      </section>

      {byAccount(live.links).map(([account, links]) => (
        <section class="card" key={account} data-account={account}>
          <h2>Account {account}</h2>
          <Table
            label={`links of ${account}`}
            columns={['Link', 'State', 'Window', 'Rate', 'Last heartbeat', 'Since']}
          >
            {links.map((l) => (
              <tr key={l.link} data-link={l.link} data-state={l.state}>
                <td>
                  #{l.link} <span class="muted">{l.version ? `CMPP ${l.version}` : ''}</span>
                </td>
                <td>
                  <Badge value={l.state} />
                  {l.reason && <div class="reason">{l.reason}</div>}
                </td>
                <td>
                  <meter min={0} max={l.window} value={l.inFlight} /> {l.inFlight}/{l.window}
                </td>
                <td>{l.submitRate}/s</td>
                <td>{ago(l.lastHeartbeatAt, live.at)}</td>
                <td>{ago(l.since, live.at)}</td>
              </tr>
            ))}
          </Table>
        </section>
      ))}

      <div class="columns">
        <section class="card">
          <h2>Messages by state</h2>
          <Table label="messages by state">
            {MESSAGE_STATUSES.filter((s) => store?.messagesByStatus[s]).map((s) => (
              <tr key={s} data-status={s}>
                <td>
                  <Badge value={s} />
                </td>
                <td class="num">{store?.messagesByStatus[s]}</td>
              </tr>
            ))}
          </Table>
        </section>
        <section class="card">
          <h2>Reports since start, by Stat</h2>
          {reports.length === 0 ? (
            <p class="muted">No report yet.</p>
          ) : (
            <Table label="reports by stat">
              {reports.map(([stat, n]) => (
                <tr key={stat} data-stat={stat}>
                  <td>{stat}</td>
                  <td class="num">{n}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      </div>
    </main>
  );
}
