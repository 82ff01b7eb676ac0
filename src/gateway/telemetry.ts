import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { CmppClient } from '../session/index.js';
import type {
  FinalMessage,
  IncomingReport,
  MessageView,
  NewMessage,
  NewMo,
  Store,
  StoreStats,
  SubmitOutcome,
  WebhookJob,
} from '../store/types.js';
import type { AccountConfig } from './config.js';
import { LinkProbe, type TraceLevel } from './link-probe.js';
import type { LinkView } from './link-view.js';
import type { GatewayMetrics } from './metrics.js';
import type { StoreObserver } from './observed-store.js';
import { ReportClock } from './report-clock.js';
import { type FlowPoint, Throughput } from './throughput.js';

/** The overview: links, store counts, reports by Stat since start, and the last second of traffic. */
export interface Tick {
  at: number;
  links: LinkView[];
  store: StoreStats;
  reportsByStat: Record<string, number>;
  point: FlowPoint;
}

/** Events for the dashboard's live view (see `events`). */
export interface TelemetryEvents {
  tick: [Tick];
  link: [LinkView];
  message: [{ id: string; status: string }];
  mo: [{ id: string; account: string }];
  /** A webhook attempt ended (`id`: the message's or the MO's). */
  webhook: [{ type: string; id: string; ok: boolean }];
}

interface WatchedLink {
  account: AccountConfig;
  index: number;
  client: CmppClient;
  probe: LinkProbe;
  since: number;
  reason: string | null;
  submitRate: number;
  submitsAtTick: number;
}

const TICK_MS = 1000;
const STATS_MAX_AGE_MS = 500;
const FAILED = new Set(['undeliverable', 'expired', 'rejected', 'failed']);

/**
 * What the operator sees of a running gateway: it feeds the metrics and the live event stream from the
 * store's writes and the links' packets, logs failed messages, and switches PDU tracing per account.
 */
export class Telemetry implements StoreObserver {
  readonly events = new EventEmitter<TelemetryEvents>();
  readonly throughput = new Throughput();
  private readonly links: WatchedLink[] = [];
  private readonly reportClocks = new Map<string, ReportClock>();
  private readonly tracing = new Map<string, { level: TraceLevel; log: Logger }>();
  private readonly reportsByStat: Record<string, number> = {};
  /** Claimed webhooks: whose and what they are, until their attempt is recorded. */
  private readonly webhooks = new Map<number, { account: string; type: string; id: string }>();
  private stats?: { at: number; value: Promise<StoreStats> };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The probe to give a new link of `account` as its `onPdu` tap; `version` reads the link's version. */
  probe(account: AccountConfig, index: number, version: () => AccountConfig['version']): LinkProbe {
    let reports = this.reportClocks.get(account.name);
    if (!reports) {
      reports = new ReportClock();
      this.reportClocks.set(account.name, reports);
    }
    return new LinkProbe({
      account: account.name,
      link: index,
      metrics: this.metrics,
      reports,
      version,
      trace: () => this.traceOf(account.name),
    });
  }

  /** Follows a link's state for the dashboard. */
  watch(account: AccountConfig, index: number, client: CmppClient, probe: LinkProbe): void {
    const watched: WatchedLink = {
      account,
      index,
      client,
      probe,
      since: Date.now(),
      reason: null,
      submitRate: 0,
      submitsAtTick: 0,
    };
    this.links.push(watched);
    client.on('state', (state: string, reason?: string) => {
      watched.since = Date.now();
      watched.reason = state === 'up' ? null : (reason ?? null);
      this.events.emit('link', this.view(watched));
    });
  }

  linkViews(): LinkView[] {
    return this.links.map((l) => this.view(l));
  }

  private view(l: WatchedLink): LinkView {
    return {
      account: l.account.name,
      link: l.index,
      state: l.client.state,
      reason: l.reason,
      since: l.since,
      version: l.client.version ?? null,
      inFlight: l.client.inFlight,
      window: l.account.window,
      submitRate: l.submitRate,
      lastHeartbeatAt: l.probe.lastHeartbeatAt,
    };
  }

  /** Store counts, read at most every half second however many dashboards and scrapers ask. */
  storeStats(): Promise<StoreStats> {
    const now = Date.now();
    if (!this.stats || now - this.stats.at > STATS_MAX_AGE_MS) {
      const value = this.store.stats();
      value.catch(() => {
        if (this.stats?.value === value) this.stats = undefined;
      });
      this.stats = { at: now, value };
    }
    return this.stats.value;
  }

  async snapshot(): Promise<Omit<Tick, 'point'> & { throughput: FlowPoint[] }> {
    const at = Date.now();
    return {
      at,
      links: this.linkViews(),
      store: await this.storeStats(),
      reportsByStat: { ...this.reportsByStat },
      throughput: this.throughput.series(at),
    };
  }

  private tick(): void {
    for (const l of this.links) {
      const submits = l.client.counters.submits;
      l.submitRate = (submits - l.submitsAtTick) / (TICK_MS / 1000);
      l.submitsAtTick = submits;
    }
    if (this.events.listenerCount('tick') === 0) return;
    this.storeStats().then(
      (store) => {
        const at = Date.now();
        const series = this.throughput.series(at);
        this.events.emit('tick', {
          at,
          links: this.linkViews(),
          store,
          reportsByStat: { ...this.reportsByStat },
          point: series[series.length - 1],
        });
      },
      (err) => this.log.error({ err }, 'reading store counts failed'),
    );
  }

  // PDU tracing

  setTrace(account: string, level: TraceLevel): void {
    if (level === 'off') this.tracing.delete(account);
    else this.tracing.set(account, { level, log: this.log.child({ account, component: 'pdu' }, { level }) });
    this.log.info({ account, trace: level }, 'PDU tracing changed');
  }

  traceOf(account: string): { level: TraceLevel; log: Logger } {
    return this.tracing.get(account) ?? { level: 'off', log: this.log };
  }

  // StoreObserver

  accepted(stored: { message: MessageView; created: boolean }[]): void {
    this.queued(stored.filter((s) => s.created).map((s) => s.message));
  }

  pushed(messages: NewMessage[]): void {
    this.queued(messages);
  }

  private queued(messages: { id: string; account: string }[]): void {
    for (const m of messages) {
      this.metrics.accepted.inc({ account: m.account });
      this.events.emit('message', { id: m.id, status: 'queued' });
    }
    this.throughput.add('accepted', messages.length);
  }

  submitted(account: string, outcomes: SubmitOutcome[]): void {
    let ok = 0;
    for (const o of outcomes) {
      if (o.result === 0) ok++;
      else this.metrics.rejected.inc({ account, result: String(o.result) });
    }
    if (ok > 0) this.metrics.submitted.inc({ account }, ok);
    this.throughput.add('submitted', ok);
    for (const id of new Set(outcomes.map((o) => o.messageId)))
      this.events.emit('message', { id, status: 'submitted' });
  }

  reported(account: string, reports: IncomingReport[]): void {
    for (const r of reports) {
      this.metrics.reports.inc({ account, stat: r.stat });
      this.reportsByStat[r.stat] = (this.reportsByStat[r.stat] ?? 0) + 1;
    }
    this.throughput.add('reports', reports.length);
  }

  final(finals: FinalMessage[]): void {
    for (const m of finals) {
      this.events.emit('message', { id: m.id, status: m.status });
      if (!FAILED.has(m.status)) continue;
      this.metrics.failed.inc({ account: m.account, status: m.status });
      this.store.getMessage(m.id).then(
        (full) =>
          this.log.warn(
            { account: m.account, message: m.id, to: full?.to, status: m.status, error: full?.error },
            'message failed',
          ),
        (err) => this.log.error({ err, message: m.id }, 'reading a failed message failed'),
      );
    }
  }

  cancelled(id: string): void {
    this.events.emit('message', { id, status: 'cancelled' });
  }

  mo(mo: NewMo): void {
    this.metrics.mo.inc({ account: mo.account });
    this.throughput.add('mo', 1);
    this.events.emit('mo', { id: mo.id, account: mo.account });
  }

  webhooksClaimed(jobs: WebhookJob[]): void {
    for (const job of jobs) {
      let event: { account?: unknown; type?: unknown; id?: unknown } = {};
      try {
        event = JSON.parse(job.body);
      } catch {
        // a body we did not write: counted without account and type
      }
      this.webhooks.set(job.id, {
        account: String(event.account ?? ''),
        type: String(event.type ?? ''),
        id: String(event.id ?? ''),
      });
    }
  }

  webhookDone(id: number, error?: string): void {
    const job = this.webhooks.get(id) ?? { account: '', type: '', id: '' };
    this.webhooks.delete(id);
    const labels = { account: job.account, type: job.type };
    this.metrics.webhookAttempts.inc(labels);
    if (error !== undefined) this.metrics.webhookFailures.inc(labels);
    this.events.emit('webhook', { type: job.type, id: job.id, ok: error === undefined });
  }
}
