import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import {
  authenticatorIsmg,
  authenticatorSource,
  type CmppVersion,
  type DeliverFields,
  type Fields,
  type Pdu,
  VERSION_BYTE,
  versionFromByte,
} from '../cmpp/index.js';
import { newCounters, type SessionCounters } from './counters.js';
import { CmppLinkClosedError } from './errors.js';
import { DEFAULT_TIMERS, Link, type LinkTimers } from './link.js';
import { Window } from './window.js';

export interface ServerAccount {
  secret: string;
  /** Versions this account may log in with (default both). */
  versions?: readonly CmppVersion[];
  /** Links this account may hold at once (default unlimited). */
  maxConnections?: number;
}

/**
 * Answers to the SP's requests. Each returns the response fields (Msg_Id/Result, …), possibly later, or
 * undefined to send no response at all (a simulator dropping responses on purpose).
 */
type Answer = Fields | undefined | Promise<Fields | undefined>;
export interface ServerHandlers {
  submit?(session: ServerSession, pdu: Pdu): Answer;
  query?(session: ServerSession, pdu: Pdu): Answer;
  cancel?(session: ServerSession, pdu: Pdu): Answer;
}

export interface CmppServerOptions extends Partial<LinkTimers> {
  accounts: (spId: string) => ServerAccount | undefined;
  handlers?: ServerHandlers;
  /** The SP's window: more unanswered requests than this is a violation answered with Result 8. */
  window?: number;
  /** Our own window for DELIVERs pushed to the SP. */
  deliverWindow?: number;
  /** Close a connection that has not logged in within this time. */
  loginTimeoutMs?: number;
  maxFrame?: number;
  tls?: tls.TlsOptions;
}

const FLOW_CONTROL = 8;
const STATUS = { OK: 0, ILLEGAL_SOURCE: 2, AUTH: 3, VERSION_TOO_HIGH: 4, OTHER: 5 } as const;

/** One logged-in SP connection on the ISMG side. Events: 'close' (reason). */
export class ServerSession extends EventEmitter {
  /** The most unanswered SP requests seen at once, for tests that assert the window. */
  maxObservedInFlight = 0;
  windowViolations = 0;
  /** This connection's counters (the link's own). */
  readonly counters: SessionCounters;
  private unanswered = 0;
  private readonly deliverWindow: Window;

  constructor(
    readonly link: Link,
    readonly account: string,
    readonly version: CmppVersion,
    deliverWindow: number,
  ) {
    super();
    this.deliverWindow = new Window(deliverWindow);
    this.counters = link.counters;
    link.once('close', (reason: string) => {
      this.deliverWindow.rejectWaiters(new CmppLinkClosedError(reason));
      this.emit('close', reason);
    });
  }

  get remoteAddress(): string {
    return `${this.link.socket.remoteAddress}:${this.link.socket.remotePort}`;
  }

  /** Pushes a DELIVER (MO or status report) and resolves with its DELIVER_RESP, within our own window. */
  async deliver(fields: DeliverFields): Promise<Pdu> {
    if (!this.deliverWindow.tryTake()) await this.deliverWindow.take();
    try {
      this.counters.delivers++;
      return await this.link.request('CMPP_DELIVER', fields as unknown as Fields);
    } finally {
      this.deliverWindow.release();
    }
  }

  close(reason = 'closed by the server'): void {
    this.link.close(reason);
  }

  terminate(): Promise<void> {
    return this.link.terminate();
  }

  /** Counts a request in the SP's window; false when it is over the window. */
  enterWindow(window: number): boolean {
    this.unanswered++;
    this.maxObservedInFlight = Math.max(this.maxObservedInFlight, this.unanswered);
    if (this.unanswered > window) {
      this.windowViolations++;
      return false;
    }
    return true;
  }

  leaveWindow(): void {
    this.unanswered--;
  }
}

/**
 * The ISMG side: authenticates CONNECT against `accounts`, answers a 2.0 login in 2.0 and a 3.0 login in
 * 3.0, limits connections per account, dispatches the SP's requests to handlers. A malformed frame closes
 * only its own connection. Events: 'session' (session), 'loginFailed' (spId, status, remoteAddress),
 * 'sessionClosed' (session, reason).
 */
export class CmppServer extends EventEmitter {
  readonly sessions = new Set<ServerSession>();
  private readonly server: net.Server;
  private readonly timers: LinkTimers;

  constructor(private readonly options: CmppServerOptions) {
    super();
    this.timers = {
      responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_TIMERS.responseTimeoutMs,
      maxTries: options.maxTries ?? DEFAULT_TIMERS.maxTries,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_TIMERS.heartbeatIntervalMs,
    };
    const onSocket = (socket: net.Socket) => this.accept(socket);
    this.server = options.tls ? tls.createServer(options.tls, onSocket) : net.createServer(onSocket);
  }

  listen(port = 0, host = '127.0.0.1'): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  get address(): net.AddressInfo {
    return this.server.address() as net.AddressInfo;
  }

  /** Logged-in sessions of one account. */
  sessionsOf(account: string): ServerSession[] {
    return [...this.sessions].filter((s) => s.account === account);
  }

  /** Stops listening and closes every connection (TERMINATE first when `graceful`). */
  async close(graceful = false): Promise<void> {
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all(
      [...this.sessions].map((s) => (graceful ? s.terminate() : s.close('server shutting down'))),
    );
    for (const link of this.pendingLogins) link.close('server shutting down');
    await closing;
  }

  private readonly pendingLogins = new Set<Link>();

  private accept(socket: net.Socket): void {
    let session: ServerSession | undefined;
    const link = new Link(
      socket,
      '3.0',
      this.timers,
      (pdu, l) => (session ? this.onRequest(session, pdu) : this.onLogin(pdu, l, (s) => (session = s))),
      newCounters(),
      this.options.maxFrame,
    );
    this.pendingLogins.add(link);
    const loginTimer = setTimeout(() => {
      if (!session) link.close('no CONNECT in time');
    }, this.options.loginTimeoutMs ?? 10_000);
    link.once('close', (reason: string) => {
      clearTimeout(loginTimer);
      this.pendingLogins.delete(link);
      if (session) {
        this.sessions.delete(session);
        this.emit('sessionClosed', session, reason);
      }
    });
  }

  private onLogin(pdu: Pdu, link: Link, loggedIn: (s: ServerSession) => void): Fields | undefined {
    if (pdu.command !== 'CMPP_CONNECT') {
      link.close(`${pdu.command} before CONNECT`);
      return undefined;
    }
    const spId = pdu.fields.Source_Addr as string;
    let requested: CmppVersion;
    try {
      requested = versionFromByte(pdu.fields.Version as number);
    } catch {
      return this.refuse(
        link,
        pdu,
        spId,
        (pdu.fields.Version as number) > 0x30 ? STATUS.VERSION_TOO_HIGH : STATUS.OTHER,
      );
    }
    link.version = requested;
    const account = this.options.accounts(spId);
    if (!account) return this.refuse(link, pdu, spId, STATUS.ILLEGAL_SOURCE);
    const authSource = pdu.fields.AuthenticatorSource as Buffer;
    const expected = authenticatorSource(spId, account.secret, pdu.fields.Timestamp as number);
    if (!expected.equals(authSource)) return this.refuse(link, pdu, spId, STATUS.AUTH);
    const allowed = account.versions ?? ['2.0', '3.0'];
    if (!allowed.includes(requested)) {
      const tooHigh = allowed.every((v) => v < requested);
      return this.refuse(link, pdu, spId, tooHigh ? STATUS.VERSION_TOO_HIGH : STATUS.OTHER);
    }
    if (account.maxConnections !== undefined && this.sessionsOf(spId).length >= account.maxConnections) {
      return this.refuse(link, pdu, spId, STATUS.OTHER);
    }
    const session = new ServerSession(link, spId, requested, this.options.deliverWindow ?? 16);
    this.pendingLogins.delete(link);
    this.sessions.add(session);
    loggedIn(session);
    link.respond(pdu, {
      Status: STATUS.OK,
      AuthenticatorISMG: authenticatorIsmg(STATUS.OK, authSource, account.secret, requested),
      Version: pdu.fields.Version as number,
    });
    this.emit('session', session);
    return undefined;
  }

  /** Status plus an empty AuthenticatorISMG (SPEC3 §8.4.1.2), then the connection is closed. */
  private refuse(link: Link, pdu: Pdu, spId: string, status: number): undefined {
    link.respond(pdu, { Status: status, Version: VERSION_BYTE[link.version] });
    this.emit('loginFailed', spId, status, `${link.socket.remoteAddress}:${link.socket.remotePort}`);
    setImmediate(() => link.close(`login refused with Status ${status}`));
    return undefined;
  }

  private onRequest(session: ServerSession, pdu: Pdu): Fields | undefined | Promise<Fields | undefined> {
    const handlers = this.options.handlers ?? {};
    const handler =
      pdu.command === 'CMPP_SUBMIT'
        ? handlers.submit
        : pdu.command === 'CMPP_QUERY'
          ? handlers.query
          : pdu.command === 'CMPP_CANCEL'
            ? handlers.cancel
            : undefined;
    if (pdu.command === 'CMPP_CONNECT') {
      session.close('second CONNECT on a logged-in link');
      return undefined;
    }
    if (!handler) {
      if (pdu.command === 'CMPP_SUBMIT') return { Msg_Id: 0n, Result: 2 };
      return undefined;
    }
    if (pdu.command === 'CMPP_SUBMIT') session.counters.submits++;
    if (!session.enterWindow(this.options.window ?? 16) && pdu.command === 'CMPP_SUBMIT') {
      session.leaveWindow();
      return { Msg_Id: 0n, Result: FLOW_CONTROL };
    }
    let answer: Answer;
    try {
      answer = handler(session, pdu);
    } catch (err) {
      session.leaveWindow();
      throw err;
    }
    if (answer instanceof Promise) {
      return answer.finally(() => session.leaveWindow());
    }
    session.leaveWindow();
    return answer;
  }
}
