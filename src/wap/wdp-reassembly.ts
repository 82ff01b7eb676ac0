import { MsgFmt, Reassembler } from '../cmpp/index.js';
import { pushUdh, type ReceivedPush, readPushPdu } from './wdp-decode.js';

export interface PushReassemblyOptions {
  /** An incomplete push is dropped this long after its first segment arrived. Default 5 minutes. */
  timeoutMs?: number;
  /** Incomplete pushes kept at most; beyond it the oldest is dropped. Default 1000. */
  maxPending?: number;
}

/**
 * Joins the SMS of WAP pushes too long for one (port IE + concatenation IE in each, facts §10), as a
 * handset does: the segments of one push share their recipient and originator (the caller's `key`), the
 * WDP source port and the concatenation reference (3GPP TS 23.040 §9.2.3.24.1), and may arrive in any
 * order. Time is passed in; memory is bounded by `maxPending` and `timeoutMs`.
 */
export class PushReassembler {
  private readonly parts: Reassembler;

  constructor(opts: PushReassemblyOptions = {}) {
    this.parts = new Reassembler({
      timeoutMs: opts.timeoutMs ?? 300_000,
      maxPending: opts.maxPending ?? 1000,
    });
  }

  /**
   * Adds one SMS (Msg_Content with its UDH). Returns the decoded push when this segment completes one;
   * undefined while segments are missing, for an SMS that is not a segment of a push (single-SMS pushes
   * are readPushSms's), or for a push that does not decode once joined. A segment already held is ignored.
   */
  add(key: string, content: Uint8Array, now: number): ReceivedPush | undefined {
    const udh = pushUdh(content);
    if (!udh?.ports || !udh.concat || udh.concat.total < 2) return undefined;
    // Drops what timed out and what the cap evicted (the Reassembler keeps those until swept).
    this.parts.sweep(now);
    const joined = this.parts.add({
      key: `${key}\u0000${udh.ports.src}`,
      content,
      tpUdhi: 1,
      fmt: MsgFmt.BINARY,
      receivedAt: now,
    });
    return joined.complete ? readPushPdu(joined.content) : undefined;
  }

  /** Pushes waiting for segments. */
  get pending(): number {
    return this.parts.pendingCount;
  }
}
