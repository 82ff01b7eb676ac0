import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  type CmppVersion,
  COMMAND_IDS,
  type CommandName,
  Deframer,
  decodePdu,
  encodePdu,
  type Fields,
  isResponse,
  type Pdu,
  responseId,
} from '../cmpp/index.js';
import { pollAfterTraffic } from './busy-poll.js';
import type { SessionCounters } from './counters.js';
import { CmppLinkClosedError, CmppTimeoutError } from './errors.js';
import { SequenceIds } from './sequence.js';

/** Timers of one link, SPEC3 §7.1. */
export interface LinkTimers {
  /** T: how long to wait for a response before sending again. */
  responseTimeoutMs: number;
  /** N: how many times a request is sent before it fails. */
  maxTries: number;
  /** C: send ACTIVE_TEST after this long without receiving anything; 0 disables. */
  heartbeatIntervalMs: number;
}

export const DEFAULT_TIMERS: LinkTimers = {
  responseTimeoutMs: 60_000,
  maxTries: 3,
  heartbeatIntervalMs: 180_000,
};

/**
 * What to do with a request from the peer (ACTIVE_TEST and TERMINATE are answered by the link itself):
 * return the response fields, or undefined when the handler answers later through `link.respond`.
 */
export type RequestHandler = (pdu: Pdu, link: Link) => Fields | undefined | Promise<Fields | undefined>;

interface Pending {
  command: CommandName;
  frame: Buffer;
  tries: number;
  maxTries: number;
  timeoutMs: number;
  deadline: number;
  resolve(pdu: Pdu): void;
  reject(err: Error): void;
}

/** Sees every packet of a link: frames written ('out') and received ('in', with the decoded PDU). */
export type PduTap = (direction: 'in' | 'out', frame: Buffer, pdu?: Pdu) => void;

export interface RequestOptions {
  tries?: number;
  timeoutMs?: number;
}

/**
 * One CMPP connection, either side: cuts the stream into packets, writes them batched per event-loop
 * turn, matches responses to requests by Sequence_Id, resends after T up to N tries (keeping the
 * Sequence_Id), tests an idle link with ACTIVE_TEST and answers the peer's ACTIVE_TEST and TERMINATE.
 * Events: 'close' (reason: string, error?: Error) once, when the socket is gone.
 */
export class Link extends EventEmitter {
  version: CmppVersion;
  private readonly deframer: Deframer;
  private readonly pending = new Map<number, Pending>();
  private readonly sequence = new SequenceIds();
  private readonly ticker: NodeJS.Timeout;
  private outbox: Buffer[] = [];
  private lastReceived = Date.now();
  private heartbeatInFlight = false;
  private closed = false;

  constructor(
    readonly socket: Socket,
    version: CmppVersion,
    private readonly timers: LinkTimers,
    private readonly handler: RequestHandler,
    readonly counters: SessionCounters,
    maxFrame?: number,
    private readonly tap?: PduTap,
  ) {
    super();
    this.version = version;
    this.deframer = new Deframer(maxFrame);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, err));
    socket.on('close', () => this.close('connection closed by peer'));
    const tickMs = Math.min(
      1000,
      Math.max(5, Math.min(timers.responseTimeoutMs, timers.heartbeatIntervalMs || Infinity) / 10),
    );
    this.ticker = setInterval(() => this.tick(), tickMs);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request and resolves with its response; rejects with CmppTimeoutError or CmppLinkClosedError. */
  request(command: CommandName, fields: Fields = {}, options: RequestOptions = {}): Promise<Pdu> {
    if (this.closed) return Promise.reject(new CmppLinkClosedError('link is not open'));
    const sequenceId = this.sequence.take(this.pending);
    const frame = encodePdu(this.version, command, sequenceId, fields);
    const timeoutMs = options.timeoutMs ?? this.timers.responseTimeoutMs;
    return new Promise<Pdu>((resolve, reject) => {
      this.pending.set(sequenceId, {
        command,
        frame,
        tries: 1,
        maxTries: options.tries ?? this.timers.maxTries,
        timeoutMs,
        deadline: Date.now() + timeoutMs,
        resolve,
        reject,
      });
      this.write(frame);
    });
  }

  /** Answers a request of the peer with the same Sequence_Id. */
  respond(request: Pdu, fields: Fields): void {
    if (this.closed) return;
    const command = `${request.command}_RESP` as CommandName;
    this.write(encodePdu(this.version, command, request.sequenceId, fields));
  }

  /**
   * Writes a frame. Frames written in one event-loop turn are joined and leave in one socket write (one
   * system call instead of one per frame, and one pass through the stream machinery).
   */
  write(frame: Buffer): void {
    if (this.closed) return;
    this.counters.pdusOut++;
    this.tap?.('out', frame);
    this.outbox.push(frame);
    if (this.outbox.length === 1) process.nextTick(this.flush);
    pollAfterTraffic();
  }

  private readonly flush = (): void => {
    const frames = this.outbox;
    if (frames.length === 0 || this.closed) return;
    this.outbox = [];
    this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  };

  /** Sends TERMINATE, waits for its response (or T), then closes. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    try {
      await this.request('CMPP_TERMINATE', {}, { tries: 1 });
    } catch {
      // closing anyway
    }
    this.close('terminated');
  }

  /** Closes the socket and fails every request in flight with a retriable error. */
  close(reason: string, error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    this.socket.destroy();
    const failure = new CmppLinkClosedError(reason);
    for (const p of this.pending.values()) p.reject(failure);
    this.pending.clear();
    this.emit('close', reason, error);
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    pollAfterTraffic();
    try {
      this.deframer.push(chunk, (frame) => this.onFrame(frame));
    } catch (err) {
      this.close(`protocol error: ${(err as Error).message}`, err as Error);
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.closed) return;
    this.counters.pdusIn++;
    const pdu = decodePdu(frame, this.version);
    this.tap?.('in', frame, pdu);
    if (isResponse(pdu.commandId)) {
      const pending = this.pending.get(pdu.sequenceId);
      if (pending && responseId(COMMAND_IDS[pending.command]) === pdu.commandId) {
        this.pending.delete(pdu.sequenceId);
        pending.resolve(pdu);
      }
      return;
    }
    switch (pdu.command) {
      case 'CMPP_ACTIVE_TEST':
        this.counters.heartbeatsAnswered++;
        this.respond(pdu, { Reserved: 0 });
        return;
      case 'CMPP_TERMINATE':
        this.respond(pdu, {});
        process.nextTick(() => this.close('peer terminated'));
        return;
      default:
        this.dispatch(pdu);
    }
  }

  private dispatch(pdu: Pdu): void {
    let answer: ReturnType<RequestHandler>;
    try {
      answer = this.handler(pdu, this);
    } catch (err) {
      this.close(`handler failed: ${(err as Error).message}`, err as Error);
      return;
    }
    if (answer instanceof Promise) {
      answer.then(
        (fields) => fields && this.respond(pdu, fields),
        // No response: the peer sends it again after T, which is what a failed store must cause.
        (err: Error) => this.emit('handlerError', err, pdu),
      );
    } else if (answer) {
      this.respond(pdu, answer);
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const [sequenceId, p] of this.pending) {
      if (now < p.deadline) continue;
      if (p.tries < p.maxTries) {
        p.tries++;
        p.deadline = now + p.timeoutMs;
        this.counters.retransmits++;
        this.write(p.frame);
      } else {
        this.pending.delete(sequenceId);
        p.reject(new CmppTimeoutError(p.command, p.tries, p.timeoutMs));
      }
    }
    const idleFor = now - this.lastReceived;
    if (
      this.timers.heartbeatIntervalMs > 0 &&
      idleFor >= this.timers.heartbeatIntervalMs &&
      !this.heartbeatInFlight
    ) {
      this.heartbeat();
    }
  }

  /** ACTIVE_TEST with T and N like any request; no answer after N tries means the link is dead (SPEC3 §7.1). */
  private heartbeat(): void {
    this.heartbeatInFlight = true;
    this.counters.heartbeatsSent++;
    this.request('CMPP_ACTIVE_TEST').then(
      () => {
        this.heartbeatInFlight = false;
      },
      (err: Error) => {
        this.heartbeatInFlight = false;
        if (err instanceof CmppTimeoutError) this.close(`no answer to ${this.timers.maxTries} ACTIVE_TESTs`);
      },
    );
  }
}
