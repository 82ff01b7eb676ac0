import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import {
  authenticatorIsmg,
  authenticatorSource,
  type CmppVersion,
  connectTimestamp,
  type DeliverFields,
  type Fields,
  type Pdu,
  type QueryFields,
  type SubmitFields,
  VERSION_BYTE,
  versionFromByte,
} from '../cmpp/index.js';
import { backoffDelay } from './backoff.js';
import { newCounters, type SessionCounters } from './counters.js';
import { CmppClosedError, CmppLinkClosedError, CmppLoginError, CmppSessionError } from './errors.js';
import { DEFAULT_TIMERS, Link, type LinkTimers, type PduTap } from './link.js';
import { sleep } from './sleep.js';
import type { ClientState } from './state.js';
import { TokenBucket } from './token-bucket.js';
import { Window } from './window.js';

export interface CmppClientOptions extends Partial<LinkTimers> {
  host: string;
  port: number;
  /** SP_Id, sent as Source_Addr. */
  account: string;
  secret: string;
  version?: CmppVersion;
  /** W: unanswered requests at most (default 16). */
  window?: number;
  connectTimeoutMs?: number;
  /** Accept a CONNECT_RESP whose AuthenticatorISMG is wrong (some ISMGs, e.g. gocmpp-based ones, send one). */
  lenient?: boolean;
  /** Messages per second on this link (token bucket); 0 or absent: no limit. */
  rateLimit?: number;
  /** Reconnect after the link drops (default true), with exponential backoff and jitter. */
  reconnect?: boolean;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** Back-off after SUBMIT_RESP Result 8 (flow control) before sending again. */
  flowControlBaseMs?: number;
  flowControlCapMs?: number;
  flowControlMaxTries?: number;
  /** Connect over TLS: true, or node:tls options. */
  tls?: boolean | tls.ConnectionOptions;
  maxFrame?: number;
  /**
   * Decides a DELIVER's DELIVER_RESP Result. The response is sent only when the promise resolves (store
   * first, then acknowledge); if it rejects, nothing is sent and the ISMG delivers it again.
   */
  onDeliver?: (pdu: Pdu<DeliverFields>) => number | Promise<number>;
  /** Sees every packet written and received (metrics, tracing). */
  onPdu?: PduTap;
}

export type { ClientState };

export interface SubmitResult {
  msgId: bigint;
  result: number;
}

const FLOW_CONTROL = 8;

/**
 * The SP side of a CMPP link. Events: 'state' (state, reason?), 'up' (version), 'down' (reason),
 * 'loginFailed' (error), 'handlerError' (error, pdu).
 */
export class CmppClient extends EventEmitter {
  readonly counters: SessionCounters = newCounters();
  private readonly opts: Required<
    Omit<CmppClientOptions, 'onDeliver' | 'tls' | 'maxFrame' | 'onPdu' | keyof LinkTimers>
  > &
    Pick<CmppClientOptions, 'onDeliver' | 'tls' | 'maxFrame' | 'onPdu'>;
  private readonly timers: LinkTimers;
  private readonly window: Window;
  private readonly bucket?: TokenBucket;
  private link?: Link;
  private currentState: ClientState = 'idle';
  private upWaiters: { resolve(link: Link): void; reject(err: Error): void }[] = [];
  /** Back-off and rate-limit waits in progress; close() ends them. */
  private readonly waits = new Set<{ done: Promise<void>; cancel(): void }>();
  private reconnectAttempt = 0;
  private negotiated?: CmppVersion;
  private opening?: Promise<void>;
  /** A stop() in progress, and its wait for the SUBMITs on the wire (a later stop() or close() cuts it). */
  private stopping?: Promise<void>;
  private drain?: { cancel(): void };

  constructor(options: CmppClientOptions) {
    super();
    this.opts = {
      version: '3.0',
      window: 16,
      connectTimeoutMs: 10_000,
      lenient: false,
      rateLimit: 0,
      reconnect: true,
      reconnectBaseMs: 1000,
      reconnectCapMs: 30_000,
      flowControlBaseMs: 100,
      flowControlCapMs: 5000,
      flowControlMaxTries: 20,
      ...options,
    };
    this.timers = {
      responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_TIMERS.responseTimeoutMs,
      maxTries: options.maxTries ?? DEFAULT_TIMERS.maxTries,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_TIMERS.heartbeatIntervalMs,
    };
    this.window = new Window(this.opts.window);
    if (this.opts.rateLimit > 0) this.bucket = new TokenBucket(this.opts.rateLimit);
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** The version spoken on the current link (after login). */
  get version(): CmppVersion | undefined {
    return this.negotiated;
  }

  get inFlight(): number {
    return this.window.inUse;
  }

  /**
   * Connects and logs in once; rejects with the reason if that fails. After a successful login, a link
   * that drops is re-established automatically (unless `reconnect: false`).
   */
  async connect(): Promise<void> {
    if (this.currentState === 'closed') throw new CmppClosedError();
    await this.open();
  }

  /** Like connect(), but keeps trying with backoff until it succeeds or close() is called. */
  start(): void {
    if (this.currentState === 'closed') throw new CmppClosedError();
    if (this.stopping) throw new CmppSessionError('stop() is still in progress', true);
    this.open().catch(() => this.scheduleReconnect());
  }

  /**
   * Sends a SUBMIT and resolves with its response. Waits while the window is full or the link is down.
   * Result 8 (flow control) is backed off and sent again; other Results are returned as they are.
   * Rejects with CmppLinkClosedError or CmppTimeoutError (retriable) or CmppClosedError.
   */
  async submit(fields: SubmitFields): Promise<SubmitResult> {
    for (let attempt = 0; ; attempt++) {
      const resp = await this.request('CMPP_SUBMIT', fields as unknown as Fields);
      const result = resp.fields.Result as number;
      this.counters.submitResults[result] = (this.counters.submitResults[result] ?? 0) + 1;
      if (result !== FLOW_CONTROL || attempt + 1 >= this.opts.flowControlMaxTries) {
        return { msgId: resp.fields.Msg_Id as bigint, result };
      }
      await this.wait(backoffDelay(attempt, this.opts.flowControlBaseMs, this.opts.flowControlCapMs));
    }
  }

  /** CMPP_QUERY: the ISMG's counters for a day, totals or one Service_Id. */
  query(fields: QueryFields): Promise<Pdu> {
    return this.request('CMPP_QUERY', fields as unknown as Fields);
  }

  /** CMPP_CANCEL of a message not yet delivered; resolves with Success_Id (0 = cancelled). */
  async cancel(msgId: bigint): Promise<number> {
    const resp = await this.request('CMPP_CANCEL', { Msg_Id: msgId });
    return resp.fields.Success_Id as number;
  }

  /** Stops reconnecting, sends TERMINATE, waits for its response or T, and resolves when the socket is closed. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.setState('closed', 'closed by the application');
    this.drain?.cancel();
    await this.shutdown(new CmppClosedError(), 0);
  }

  /**
   * Like close(), but the client can start() again afterwards (state `idle`): takes no new request, lets
   * the SUBMITs on the wire be answered for up to `drainMs` (so that none is sent twice), then TERMINATEs.
   * Requests still waiting for the window or the link fail with a retriable CmppLinkClosedError. A stop()
   * while one drains shares it, ending the drain at once when its own `drainMs` is 0.
   */
  stop(drainMs = 0): Promise<void> {
    if (this.stopping) {
      if (drainMs === 0) this.drain?.cancel();
      return this.stopping;
    }
    if (this.stopped) return Promise.resolve();
    this.setState('idle', 'stopped by the application');
    const stopping = this.shutdown(new CmppLinkClosedError('stopped by the application'), drainMs);
    this.stopping = stopping.finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /** Closed or stopped: nothing reconnects, nothing new is sent. */
  private get stopped(): boolean {
    return this.currentState === 'closed' || this.currentState === 'idle';
  }

  private async shutdown(reason: Error, drainMs: number): Promise<void> {
    for (const w of this.waits) w.cancel();
    this.window.rejectWaiters(reason);
    for (const w of this.upWaiters.splice(0)) w.reject(reason);
    await this.opening?.catch(() => undefined);
    if (drainMs > 0) {
      const drain = sleep(drainMs);
      this.drain = drain;
      await Promise.race([this.window.whenEmpty(), drain.done]);
      drain.cancel();
      this.drain = undefined;
    }
    const link = this.link;
    if (link?.isOpen) {
      const gone = new Promise((resolve) => link.socket.once('close', resolve));
      await link.terminate();
      await gone;
    }
  }

  private async request(command: 'CMPP_SUBMIT' | 'CMPP_QUERY' | 'CMPP_CANCEL', fields: Fields): Promise<Pdu> {
    const link = this.link?.isOpen && this.currentState === 'up' ? this.link : await this.whenUp();
    if (!this.window.tryTake()) await this.window.take();
    try {
      if (this.bucket) await this.rateLimit();
      const live = this.link?.isOpen && this.currentState === 'up' ? this.link : link;
      if (command === 'CMPP_SUBMIT') this.counters.submits++;
      return await live.request(command, fields);
    } finally {
      this.window.release();
    }
  }

  private async rateLimit(): Promise<void> {
    for (;;) {
      const wait = (this.bucket as TokenBucket).take();
      if (wait === 0) return;
      await this.wait(wait);
    }
  }

  /** Sleeps `ms`; throws CmppClosedError if close() ends the wait. */
  private async wait(ms: number): Promise<void> {
    const pause = sleep(ms);
    this.waits.add(pause);
    await pause.done;
    this.waits.delete(pause);
    if (this.currentState === 'closed') throw new CmppClosedError();
    if (this.currentState === 'idle') throw new CmppLinkClosedError('stopped by the application');
  }

  private whenUp(): Promise<Link> {
    if (this.currentState === 'closed') return Promise.reject(new CmppClosedError());
    return new Promise((resolve, reject) => this.upWaiters.push({ resolve, reject }));
  }

  private setState(state: ClientState, reason?: string): void {
    this.currentState = state;
    this.emit('state', state, reason);
  }

  /** Connects and logs in; close() waits for an attempt in progress, so no socket outlives it. */
  private open(): Promise<void> {
    const attempt = this.openLink();
    this.opening = attempt;
    return attempt.finally(() => {
      if (this.opening === attempt) this.opening = undefined;
    });
  }

  private async openLink(): Promise<void> {
    this.setState('connecting');
    const socket = await this.dial();
    const link = new Link(
      socket,
      this.opts.version,
      this.timers,
      (pdu, l) => this.onRequest(pdu, l),
      this.counters,
      this.opts.maxFrame,
      this.opts.onPdu,
    );
    link.on('handlerError', (err, pdu) => this.emit('handlerError', err, pdu));
    try {
      this.negotiated = await this.login(link);
      // The CONNECT_RESP may share its chunk with garbage or a TERMINATE that already closed the link.
      if (!link.isOpen) throw new CmppLinkClosedError('link closed during login');
    } catch (err) {
      link.close(`login failed: ${(err as Error).message}`);
      if (!this.stopped) this.setState('down', (err as Error).message);
      if (err instanceof CmppLoginError) this.emit('loginFailed', err);
      throw err;
    }
    if (this.stopped) {
      await link.terminate();
      throw this.currentState === 'closed' ? new CmppClosedError() : new CmppLinkClosedError('stopped');
    }
    link.version = this.negotiated;
    this.link = link;
    this.reconnectAttempt = 0;
    link.once('close', (reason: string) => this.onLinkClosed(reason));
    this.setState('up');
    this.emit('up', this.negotiated);
    for (const w of this.upWaiters.splice(0)) w.resolve(link);
  }

  private dial(): Promise<net.Socket> {
    const { host, port, connectTimeoutMs } = this.opts;
    return new Promise((resolve, reject) => {
      const tlsOptions = this.opts.tls === true ? {} : this.opts.tls;
      const socket = tlsOptions
        ? tls.connect({ host, port, ...tlsOptions }, () => done())
        : net.connect({ host, port }, () => done());
      const timer = setTimeout(
        () => fail(new CmppLinkClosedError(`connect to ${host}:${port} timed out`)),
        connectTimeoutMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(
          err instanceof CmppLinkClosedError
            ? err
            : new CmppLinkClosedError(`connect to ${host}:${port}: ${err.message}`),
        );
      };
      const done = () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(socket);
      };
      socket.once('error', fail);
    });
  }

  /** CONNECT → CONNECT_RESP (SPEC3 §8.4.1); returns the version both sides speak. */
  private async login(link: Link): Promise<CmppVersion> {
    const { account, secret, version } = this.opts;
    const timestamp = connectTimestamp();
    const auth = authenticatorSource(account, secret, timestamp);
    const resp = await link.request(
      'CMPP_CONNECT',
      {
        Source_Addr: account.slice(-6),
        AuthenticatorSource: auth,
        Version: VERSION_BYTE[version],
        Timestamp: timestamp,
      },
      { tries: 1, timeoutMs: this.opts.connectTimeoutMs },
    );
    const status = resp.fields.Status as number;
    if (status !== 0) throw new CmppLoginError(status);
    const expected = authenticatorIsmg(0, auth, secret, resp.version);
    if (!this.opts.lenient && !expected.equals(resp.fields.AuthenticatorISMG as Buffer)) {
      throw new CmppLoginError(
        0,
        'AuthenticatorISMG does not match: the ISMG does not know our secret (use lenient to accept)',
      );
    }
    // The ISMG answers with the highest version it supports; speak the lower of the two.
    const offered = versionFromByte(resp.fields.Version as number);
    return offered < version ? offered : version;
  }

  private onRequest(pdu: Pdu, link: Link): Fields | undefined | Promise<Fields | undefined> {
    if (pdu.command !== 'CMPP_DELIVER') return undefined;
    this.counters.delivers++;
    const msgId = pdu.fields.Msg_Id;
    if (!this.opts.onDeliver) return { Msg_Id: msgId, Result: 0 };
    const result = this.opts.onDeliver(pdu as unknown as Pdu<DeliverFields>);
    if (typeof result === 'number') return { Msg_Id: msgId, Result: result };
    return result.then((r) => (link.isOpen ? { Msg_Id: msgId, Result: r } : undefined));
  }

  private onLinkClosed(reason: string): void {
    if (this.stopped) return;
    this.setState('down', reason);
    this.emit('down', reason);
    if (this.opts.reconnect) {
      this.counters.reconnects++;
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.reconnectAttempt++, this.opts.reconnectBaseMs, this.opts.reconnectCapMs);
    this.wait(delay).then(
      () => this.open().catch(() => this.scheduleReconnect()),
      () => undefined,
    );
  }
}
