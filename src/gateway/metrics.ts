import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreStats } from '../store/types.js';

/** A count kept as a plain number where it is counted, and read when metrics are scraped. */
export interface CountCell {
  n: number;
}

/** What the gauges read at scrape time. */
export interface GaugeSource {
  links(): { account: string; link: number; state: string; inFlight: number }[];
  storeStats(): Promise<StoreStats>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const REPORT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 24 * 3600, 48 * 3600];

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways in one process do not
 * collide). Labelled by account, link, command, Stat or Result: never by phone number.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly accepted = new Counter({
    name: 'cmppgw_messages_accepted_total',
    help: 'Messages stored: API sends and WAP pushes, one per recipient',
    labelNames: ['account'],
    registers: [this.registry],
  });

  readonly submitted = new Counter({
    name: 'cmppgw_segments_submitted_total',
    help: 'Segments accepted by the ISMG (SUBMIT_RESP Result 0)',
    labelNames: ['account'],
    registers: [this.registry],
  });

  readonly rejected = new Counter({
    name: 'cmppgw_segments_rejected_total',
    help: 'Segments refused by the ISMG, by SUBMIT_RESP Result',
    labelNames: ['account', 'result'],
    registers: [this.registry],
  });

  readonly reports = new Counter({
    name: 'cmppgw_reports_total',
    help: 'Status reports received, by Stat',
    labelNames: ['account', 'stat'],
    registers: [this.registry],
  });

  readonly failed = new Counter({
    name: 'cmppgw_messages_failed_total',
    help: 'Messages that reached a final state other than delivered, by state',
    labelNames: ['account', 'status'],
    registers: [this.registry],
  });

  readonly mo = new Counter({
    name: 'cmppgw_mo_total',
    help: 'MO messages stored (a long MO counts once)',
    labelNames: ['account'],
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'cmppgw_webhook_attempts_total',
    help: 'Webhook POSTs, by event type',
    labelNames: ['account', 'type'],
    registers: [this.registry],
  });

  readonly webhookFailures = new Counter({
    name: 'cmppgw_webhook_failures_total',
    help: 'Webhook POSTs that got no 2xx, by event type',
    labelNames: ['account', 'type'],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'cmppgw_http_request_duration_seconds',
    help: 'HTTP requests, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly submitLatency = new Histogram({
    name: 'cmppgw_submit_response_seconds',
    help: 'From a SUBMIT written to its SUBMIT_RESP',
    labelNames: ['account', 'link'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly reportDelay = new Histogram({
    name: 'cmppgw_report_delay_seconds',
    help: 'From a SUBMIT written to its status report',
    labelNames: ['account'],
    buckets: REPORT_BUCKETS,
    registers: [this.registry],
  });

  /** Packet counts by account, link, direction and command: cells the links count in (see pduCell). */
  private readonly pduCells = new Map<string, { labels: Record<string, string>; cell: CountCell }>();

  constructor(source: GaugeSource) {
    const pduCells = this.pduCells;
    new Counter({
      name: 'cmppgw_pdus_total',
      help: 'CMPP packets by direction (in, out) and command',
      labelNames: ['account', 'link', 'direction', 'command'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, cell } of pduCells.values()) this.inc(labels, cell.n);
      },
    });
    new Gauge({
      name: 'cmppgw_links_up',
      help: 'Links logged in, per account',
      labelNames: ['account'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const l of source.links()) this.inc({ account: l.account }, l.state === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'cmppgw_window_in_use',
      help: 'Unanswered SUBMITs per link',
      labelNames: ['account', 'link'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const l of source.links()) this.set({ account: l.account, link: String(l.link) }, l.inFlight);
      },
    });
    const storeGauge = (name: string, help: string, read: (s: StoreStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(read(await source.storeStats()));
        },
      });
    storeGauge('cmppgw_queue_depth', 'Segments queued for sending', (s) => s.queuedSegments);
    storeGauge('cmppgw_webhook_backlog', 'Webhooks not yet delivered', (s) => s.webhooksPending);
  }

  /**
   * The cell that counts one link's packets of one command in one direction, read at scrape time. Every
   * packet is counted, and a labelled prom-client inc hashes and checks its labels each time (~1.5 µs,
   * four times per message), where this is one addition. Cells last as long as the process, so the
   * counts of a link that closed stay in the total.
   */
  pduCell(account: string, link: number, direction: 'in' | 'out', command: string): CountCell {
    const key = `${account}\0${link}\0${direction}\0${command}`;
    let entry = this.pduCells.get(key);
    if (!entry) {
      entry = { labels: { account, link: String(link), direction, command }, cell: { n: 0 } };
      this.pduCells.set(key, entry);
    }
    return entry.cell;
  }
}
