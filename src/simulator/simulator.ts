import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { MsgIdGenerator } from '../cmpp/index.js';
import { CmppServer, type ServerAccount, type ServerSession } from '../session/index.js';
import { muteActiveTests } from './active-test-fault.js';
import { parseSimulatorConfig, type SimulatorConfig, type SimulatorConfigInput } from './config.js';
import { ControlError } from './control-error.js';
import { DeliverOutbox } from './deliver-outbox.js';
import { faultApplied } from './fault-applied.js';
import { FaultInjector } from './fault-injector.js';
import type { FaultSettings } from './fault-settings.js';
import { buildControlApi } from './http-api.js';
import type { MoRequest } from './mo-request.js';
import { type MoOutcome, MoSender } from './mo-sender.js';
import { clockSeededMsgIds } from './msg-ids.js';
import { ReportScheduler } from './reports.js';
import { SimulatorStats, type StatsJson } from './stats.js';
import { type LinkState, SubmitDesk } from './submit-desk.js';
import { SubmitHistory } from './submit-history.js';
import { type SubmitFilter, type SubmitJson, SubmitLog } from './submit-log.js';
import { TimerSet } from './timer-set.js';

export interface SimulatorOptions {
  /** Default: silent. */
  logger?: Logger;
  /** Numbers in [0, 1) for faults, the Stat mix and report delays (default Math.random); tests script it. */
  random?: () => number;
}

export interface SessionJson {
  id: number;
  account: string;
  version: string;
  remoteAddress: string;
  since: string;
  submits: number;
  delivers: number;
  /** The most unanswered SP requests seen at once on this link. */
  maxInFlight: number;
}

/**
 * Not a CMPP packet: Total_Length 5 is below the 12-byte header (facts §1), so no peer can frame past it
 * and must close the link.
 */
const MALFORMED_FRAME = Buffer.from('00000005deadbeefbadc0ffe', 'hex');

/**
 * An ISMG for SPs to develop and load-test against: CMPP 2.0/3.0 logins per account, SUBMITs checked and
 * answered as the spec says, status reports, MO, injected faults, and an HTTP control API. Configured by
 * object or YAML (parseSimulatorConfig); start() listens, stop() closes everything.
 */
export class Simulator {
  readonly config: SimulatorConfig;
  readonly stats: SimulatorStats;
  readonly faults: FaultInjector;
  private readonly log: Logger;
  private readonly timers = new TimerSet();
  private readonly ids: MsgIdGenerator;
  private readonly server: CmppServer;
  private readonly submitLog: SubmitLog;
  private readonly mo: MoSender;
  private readonly outboxes = new Map<string, DeliverOutbox>();
  private readonly links = new Map<ServerSession, LinkState>();
  /** Logged-in links by account, kept up to date here so that each DELIVER need not build the list. */
  private readonly accountLinks = new Map<string, ServerSession[]>();
  private nextLinkId = 1;
  private http?: FastifyInstance;
  private httpAddress?: string;

  constructor(input: SimulatorConfigInput = {}, options: SimulatorOptions = {}) {
    this.config = parseSimulatorConfig(input);
    const config = this.config;
    const random = options.random ?? Math.random;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.stats = new SimulatorStats(config.accounts.keys());
    this.faults = new FaultInjector(config.faults, random);
    this.ids = clockSeededMsgIds(config.gatewayCode);
    this.submitLog = new SubmitLog(config.recentSubmits);
    for (const id of config.accounts.keys()) {
      this.outboxes.set(
        id,
        new DeliverOutbox(
          () => this.accountLinks.get(id) ?? [],
          config.window,
          (item) => this.countSent(id, item.kind),
        ),
      );
    }
    const common = {
      timers: this.timers,
      stats: this.stats,
      log: this.log,
      outbox: (id: string) => this.outbox(id),
    };
    this.mo = new MoSender({ ...common, accounts: config.accounts, script: config.moScript, ids: this.ids });
    const desk = new SubmitDesk({
      ...common,
      accounts: config.accounts,
      linkState: (session) => this.links.get(session) as LinkState,
      faults: this.faults,
      ids: this.ids,
      reports: new ReportScheduler({ ...common, settings: config.reports, random }),
      submitLog: this.submitLog,
    });
    this.server = new CmppServer({
      accounts: (spId): ServerAccount | undefined => config.accounts.get(spId),
      handlers: { submit: desk.handle },
      window: config.window,
      deliverWindow: config.window,
      responseTimeoutMs: config.responseTimeoutMs,
      maxTries: config.maxTries,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      loginTimeoutMs: config.loginTimeoutMs,
    });
    this.server.on('session', (session: ServerSession) => this.onLogin(session));
    this.server.on('loginFailed', (spId: string, status: number, remoteAddress: string) => {
      this.stats.loginRefused(spId, status);
      this.log.info({ account: spId, status, remoteAddress }, 'login refused');
    });
    this.server.on('sessionClosed', (session: ServerSession, reason: string) =>
      this.onClose(session, reason),
    );
  }

  /** Listens for CMPP and, unless httpPort is null, for the control API. */
  async start(): Promise<void> {
    await this.server.listen(this.config.port, this.config.host);
    if (this.config.httpPort === null) return;
    this.http = buildControlApi(this);
    this.httpAddress = await this.http.listen({ port: this.config.httpPort, host: this.config.httpHost });
  }

  async stop(): Promise<void> {
    this.timers.clear();
    for (const outbox of this.outboxes.values()) outbox.close();
    await this.http?.close();
    await this.server.close();
  }

  get cmppAddress(): AddressInfo {
    return this.server.address;
  }

  /** Base URL of the control API, e.g. http://127.0.0.1:7891 (after start). */
  get httpUrl(): string | undefined {
    return this.httpAddress;
  }

  /** Changes the keys given (PUT /faults); throws SimulatorConfigError naming a bad one. */
  setFaults(partial: unknown): Readonly<FaultSettings> {
    const faults = this.faults.update(partial);
    this.log.info({ faults }, 'faults changed');
    for (const [session, link] of this.links) this.muteIfWanted(session, link);
    return faults;
  }

  sendMo(mo: MoRequest): Promise<MoOutcome> {
    return this.mo.send(mo);
  }

  /** Writes a malformed frame to every link of the account (of every account by default); returns how many. */
  sendMalformed(account?: string): number {
    if (account !== undefined && !this.config.accounts.has(account)) {
      throw new ControlError(404, `no account "${account}"`);
    }
    const links = [...this.links.keys()].filter((s) => account === undefined || s.account === account);
    if (links.length === 0) throw new ControlError(503, 'no link is logged in');
    for (const session of links) {
      faultApplied(this.stats, this.log, session.account, 'malformed', { link: this.links.get(session)?.id });
      session.link.write(MALFORMED_FRAME);
    }
    return links.length;
  }

  /** Recent SUBMITs, newest first, decoded (GET /submits). */
  submits(filter?: SubmitFilter): SubmitJson[] {
    return this.submitLog.query(filter);
  }

  sessions(): SessionJson[] {
    return [...this.links].map(([session, link]) => ({
      id: link.id,
      account: session.account,
      version: session.version,
      remoteAddress: session.remoteAddress,
      since: link.since.toISOString(),
      submits: link.submits,
      delivers: session.counters.delivers,
      maxInFlight: session.maxObservedInFlight,
    }));
  }

  statsJson(): StatsJson {
    return this.stats.toJson();
  }

  private outbox(account: string): DeliverOutbox {
    return this.outboxes.get(account) as DeliverOutbox;
  }

  private countSent(account: string, kind: 'report' | 'mo'): void {
    const stats = this.stats.of(account);
    if (kind === 'report') stats.reports.sent++;
    else stats.mo.sent++;
  }

  private onLogin(session: ServerSession): void {
    const link: LinkState = {
      id: this.nextLinkId++,
      since: new Date(),
      submits: 0,
      history: new SubmitHistory(),
    };
    this.links.set(session, link);
    this.accountLinks.set(session.account, [...(this.accountLinks.get(session.account) ?? []), session]);
    this.muteIfWanted(session, link);
    this.stats.loggedIn(session.account, this.accountLinks.get(session.account)?.length ?? 0);
    this.log.info(
      {
        account: session.account,
        version: session.version,
        remoteAddress: session.remoteAddress,
        link: link.id,
      },
      'login ok',
    );
    this.outbox(session.account).flush();
    this.mo.loggedIn(session.account);
  }

  private muteIfWanted(session: ServerSession, link: LinkState): void {
    if (!this.faults.settings.ignoreActiveTest) return;
    muteActiveTests(
      session.link,
      () => this.faults.settings.ignoreActiveTest,
      () => faultApplied(this.stats, this.log, session.account, 'activeTestIgnored', { link: link.id }),
    );
  }

  private onClose(session: ServerSession, reason: string): void {
    const link = this.links.get(session);
    this.links.delete(session);
    const rest = (this.accountLinks.get(session.account) ?? []).filter((s) => s !== session);
    this.accountLinks.set(session.account, rest);
    this.stats.linkClosed(session.account, rest.length);
    this.log.info({ account: session.account, link: link?.id, reason }, 'session closed');
  }
}
