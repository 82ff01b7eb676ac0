import type { Logger } from 'pino';
import type { DeliverFields, Pdu } from '../cmpp/index.js';
import { CmppClient } from '../session/index.js';
import { MAX_COMMIT_WEIGHT } from '../store/limits.js';
import type {
  FinalHook,
  MessageFilter,
  MessageView,
  MoView,
  NewMessage,
  NewPush,
  Page,
  Store,
  StoreStats,
} from '../store/types.js';
import { composeMessages, type SendRequest } from './compose.js';
import type { AccountConfig, GatewayConfig } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { GatewayError, invalid } from './errors.js';
import { moEvent, reportEvent } from './events.js';
import { Inbound } from './inbound.js';
import { LinkLeaseKeeper } from './leases.js';
import type { TraceLevel } from './link-probe.js';
import { GatewayMetrics } from './metrics.js';
import { moWebhookUrl } from './mo-routes.js';
import { observeStore } from './observed-store.js';
import { Ppg, type PushGateway } from './ppg.js';
import { resultNotification } from './ppg-notify.js';
import { RetentionSweeper } from './retention.js';
import { Telemetry } from './telemetry.js';
import { TurnBatch } from './turn-batch.js';
import { WebhookSender } from './webhooks.js';

interface AccountRuntime {
  config: AccountConfig;
  links: CmppClient[];
  dispatcher: Dispatcher;
  inbound: Inbound;
  reference: number;
}

export interface LinkStatus {
  account: string;
  link: number;
  state: string;
  version: string | undefined;
  inFlight: number;
  reason?: string;
}

const EXPIRY_SWEEP_MS = 1000;

/** The service: accounts and their links, the queue, reports, MO and webhooks over one store. */
export class Gateway implements PushGateway {
  /** The WAP Push Proxy Gateway (PAP 2.0) on this gateway's accounts. */
  readonly ppg: Ppg;
  private readonly accounts = new Map<string, AccountRuntime>();
  private readonly webhooks: WebhookSender;
  private readonly linkReasons = new Map<CmppClient, string>();
  private readonly leases: LinkLeaseKeeper;
  private sweeper?: NodeJS.Timeout;
  /** The store, telling the telemetry about every write. */
  readonly store: Store;
  /**
   * The messages of the API requests handled in one turn are stored together (one insert), up to
   * MAX_COMMIT_WEIGHT per insert, so that bulk requests do not hold the links' outcomes in long commits.
   */
  private readonly intake = new TurnBatch<NewMessage, { message: MessageView; created: boolean }>(
    (messages) => this.store.insertMessages(messages),
    MAX_COMMIT_WEIGHT,
  );
  /** Deletes records older than `retentionDays`. */
  readonly retention: RetentionSweeper;
  /** Prometheus metrics of this gateway (a registry of its own). */
  readonly metrics: GatewayMetrics;
  /** Live view, PDU tracing and failure logs. */
  readonly telemetry: Telemetry;

  /**
   * The webhook of a message that became final, queued with it: a PAP result notification for a push
   * whose PI asked for one, else a report to its callbackUrl or its account's webhook.
   */
  private readonly reportWebhook: FinalHook = (final, view) => {
    const url = final.callbackUrl ?? this.accounts.get(final.account)?.config.webhookUrl;
    if (!url) return undefined;
    const m = view();
    const event =
      m.pushId !== null && m.callbackUrl !== null
        ? resultNotification(
            { ...m, pushId: m.pushId, callbackUrl: m.callbackUrl },
            this.config.pap.senderName,
          )
        : reportEvent(m, url);
    if (event) setImmediate(() => this.webhooks.wake());
    return event;
  };

  constructor(
    private readonly config: GatewayConfig,
    store: Store,
    private readonly log: Logger,
  ) {
    this.metrics = new GatewayMetrics({
      links: () => this.links(),
      storeStats: () => this.telemetry.storeStats(),
    });
    this.telemetry = new Telemetry(this.metrics, store, log);
    this.store = observeStore(store, this.telemetry);
    this.webhooks = new WebhookSender(this.store, config.webhooks, log);
    this.retention = new RetentionSweeper(this.store, config.retentionDays, log);
    this.leases = new LinkLeaseKeeper(store.leases, log);
    this.ppg = new Ppg(this, { ...config.pap, reportWaitMs: config.reportWaitMs });
    for (const account of config.accounts) {
      // Without an account webhook, only messages with a callbackUrl get one: the store may skip the rest.
      const onFinal = Object.assign<FinalHook, Pick<FinalHook, 'callbacksOnly'>>(
        (final, view) => this.reportWebhook(final, view),
        { callbacksOnly: !account.webhookUrl },
      );
      const accountStore = observeStore(store, this.telemetry, account.name);
      const inbound = new Inbound(
        account,
        accountStore,
        onFinal,
        (mo) => {
          const event = moEvent(mo, moWebhookUrl(account, mo.to));
          if (event) setImmediate(() => this.webhooks.wake());
          return event;
        },
        log,
      );
      const links = Array.from({ length: account.links }, (_, i) => this.newLink(account, i, inbound));
      this.accounts.set(account.name, {
        config: account,
        links,
        inbound,
        dispatcher: new Dispatcher(account, links, accountStore, onFinal, log),
        reference: Math.floor(Math.random() * 256),
      });
    }
  }

  private newLink(account: AccountConfig, index: number, inbound: Inbound): CmppClient {
    const probe = this.telemetry.probe(account, index, () => link.version ?? account.version);
    const link: CmppClient = new CmppClient({
      host: account.host,
      port: account.port,
      account: account.spId,
      secret: account.secret,
      version: account.version,
      window: account.window,
      rateLimit: account.rateLimit,
      lenient: account.lenient,
      responseTimeoutMs: account.responseTimeoutMs,
      maxTries: account.maxTries,
      heartbeatIntervalMs: account.heartbeatIntervalMs,
      onDeliver: (pdu: Pdu<DeliverFields>) => inbound.onDeliver(pdu),
      onPdu: probe.tap,
    });
    this.telemetry.watch(account, index, link, probe);
    link.on('state', (state: string, reason?: string) => {
      if (reason) this.linkReasons.set(link, reason);
      this.log.info({ account: account.name, link: index, state, reason }, 'link state');
    });
    link.on('handlerError', (err: Error) =>
      this.log.error({ err, account: account.name }, 'DELIVER not stored; not acknowledged'),
    );
    return link;
  }

  /** Recovers what a crash left half-done, then opens the links and starts moving messages. */
  async start(): Promise<void> {
    const recovered = await this.store.recoverInFlight();
    if (recovered > 0)
      this.log.warn({ recovered }, 'segments left in flight by the last run are queued again');
    for (const parts of await this.store.completeMoGroups()) {
      await this.accounts.get(parts[0].account)?.inbound.completeParts(parts);
    }
    await this.leases.start([...this.accounts.values()]);
    for (const a of this.accounts.values()) a.dispatcher.wake();
    this.webhooks.start();
    this.telemetry.start();
    this.sweeper = setInterval(() => this.sweep(), EXPIRY_SWEEP_MS);
    this.retention.start();
  }

  private sweep(): void {
    this.store
      .expireDue(Date.now(), this.reportWebhook)
      .catch((err) => this.log.error({ err }, 'expiry sweep failed'));
  }

  private account(name: string | undefined): AccountRuntime {
    if (name === undefined) return this.accounts.values().next().value as AccountRuntime;
    const a = this.accounts.get(name);
    if (!a) throw invalid('account', `unknown account "${name}"`);
    return a;
  }

  /** Validates, splits and durably stores the messages of several requests in one commit. */
  async send(requests: SendRequest[]): Promise<{ message: MessageView; created: boolean }[][]> {
    const now = Date.now();
    const perRequest = requests.map((req) => {
      const a = this.account(req.account);
      return {
        a,
        messages: composeMessages(req, a.config, () => this.nextReference(a.config.name), now),
      };
    });
    const stored = await this.intake.add(perRequest.flatMap((r) => r.messages));
    for (const a of new Set(perRequest.map((r) => r.a))) a.dispatcher.wake();
    let at = 0;
    return perRequest.map((r) => {
      const mine = stored.slice(at, at + r.messages.length);
      at += r.messages.length;
      return mine;
    });
  }

  /** The account a request names (the first when it names none). */
  accountConfig(name?: string): AccountConfig {
    return this.account(name).config;
  }

  /** The next concatenation reference of an account's long messages. */
  nextReference(name: string): number {
    const a = this.account(name);
    a.reference = (a.reference + 1) & 0xff;
    return a.reference;
  }

  async storePush(push: NewPush, messages: NewMessage[]): Promise<boolean> {
    const stored = await this.store.insertPush(push, messages);
    if (stored) this.account(push.account).dispatcher.wake();
    return stored;
  }

  /** Throws the GatewayError `send` would throw for this request, storing nothing. */
  validate(req: SendRequest): void {
    composeMessages(req, this.account(req.account).config, () => 0, Date.now());
  }

  getMessage(id: string): Promise<MessageView | undefined> {
    return this.store.getMessage(id);
  }

  listMessages(filter: MessageFilter): Promise<Page<MessageView>> {
    return this.store.listMessages(filter);
  }

  listMo(filter: {
    account?: string;
    since?: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<MoView>> {
    return this.store.listMo(filter);
  }

  async cancel(id: string): Promise<MessageView> {
    const outcome = await this.store.cancelMessage(id, Date.now());
    if (outcome === 'not_found') throw new GatewayError(404, 'not_found', `no message ${id}`, 'id');
    if (outcome === 'too_late')
      throw new GatewayError(409, 'too_late', 'the message is already being sent', 'id');
    return (await this.store.getMessage(id)) as MessageView;
  }

  links(): LinkStatus[] {
    return [...this.accounts.values()].flatMap((a) =>
      a.links.map((link, i) => ({
        account: a.config.name,
        link: i,
        state: link.state,
        version: link.version,
        inFlight: link.inFlight,
        reason: link.state === 'up' ? undefined : this.linkReasons.get(link),
      })),
    );
  }

  /** PDU tracing of an account: `debug` logs every packet decoded, `trace` also its bytes in hex. */
  setTrace(account: string, level: TraceLevel): { account: string; level: TraceLevel } {
    const name = this.account(account).config.name;
    this.telemetry.setTrace(name, level);
    return { account: name, level };
  }

  traces(): { account: string; level: TraceLevel }[] {
    return [...this.accounts.keys()].map((account) => ({
      account,
      level: this.telemetry.traceOf(account).level,
    }));
  }

  /** Ready: every account has a link up here, or other nodes hold all its links. */
  ready(): boolean {
    return [...this.accounts.values()].every(
      (a) => a.links.some((l) => l.state === 'up') || this.leases.heldElsewhere(a.config.name),
    );
  }

  async stats(): Promise<{ store: StoreStats; links: LinkStatus[] }> {
    return { store: await this.store.stats(), links: this.links() };
  }

  /**
   * Graceful stop: no new claims; SUBMITs on the wire get `graceMs` to be answered; then TERMINATE on
   * every link (what is still unanswered fails and goes back to the queue); then the store is closed.
   */
  async close(graceMs = 5000): Promise<void> {
    clearInterval(this.sweeper);
    await this.retention.stop();
    this.telemetry.stop();
    const all = [...this.accounts.values()];
    const drained = Promise.all(all.map((a) => a.dispatcher.stop()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    await Promise.all(all.flatMap((a) => a.links.map((l) => l.close())));
    await drained;
    await this.leases.stop();
    await this.webhooks.stop();
    await this.store.close();
  }
}
