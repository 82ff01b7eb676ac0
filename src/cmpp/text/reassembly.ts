import { hasUdhi, parseUdh } from './udh.js';

export interface IncomingPart {
  /** Caller's grouping key, e.g. source + destination number. */
  key: string;
  /** Msg_Content as received (UDH included when TP_udhi says so). */
  content: Uint8Array;
  tpUdhi: number;
  fmt: number;
  receivedAt: number;
}

export type AddResult = { complete: true; parts: number; content: Buffer; fmt: number } | { complete: false };

/** A long message that did not complete in time: what came, in seq order. */
export interface ExpiredMessage {
  key: string;
  ref: number;
  total: number;
  /** Seq numbers received, ascending. */
  received: number[];
  content: Buffer;
  fmt: number;
}

export interface ReassemblerOptions {
  /** Age of a partial message (from its first part) after which `sweep` gives it up. */
  timeoutMs?: number;
  /** Partial messages kept at most; the oldest is given up first (returned by the next `sweep`). */
  maxPending?: number;
}

interface Pending {
  key: string;
  ref: number;
  total: number;
  fmt: number;
  firstAt: number;
  parts: Map<number, Buffer>;
}

function joinParts(p: Pending): Buffer {
  const seqs = [...p.parts.keys()].sort((a, b) => a - b);
  return Buffer.concat(seqs.map((s) => p.parts.get(s)!));
}

function expired(p: Pending): ExpiredMessage {
  const received = [...p.parts.keys()].sort((a, b) => a - b);
  return { key: p.key, ref: p.ref, total: p.total, received, content: joinParts(p), fmt: p.fmt };
}

/** Reassembles long MO messages from their concatenation UDH. Time is passed in; no timers. */
export class Reassembler {
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly pending = new Map<string, Pending>();
  private evicted: Pending[] = [];

  constructor(opts: ReassemblerOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxPending = opts.maxPending ?? 10_000;
  }

  /** Adds one part. Throws CmppTextError('BAD_UDH') when TP_udhi is set and the UDH is malformed. */
  add(part: IncomingPart): AddResult {
    const udh = hasUdhi(part.tpUdhi) ? parseUdh(part.content) : undefined;
    const concat = udh?.concat;
    if (!concat) {
      return { complete: true, parts: 1, content: udh?.payload ?? Buffer.from(part.content), fmt: part.fmt };
    }
    const id = JSON.stringify([part.key, concat.ref, concat.total]);
    let group = this.pending.get(id);
    if (!group) {
      this.makeRoom();
      group = {
        key: part.key,
        ref: concat.ref,
        total: concat.total,
        fmt: part.fmt,
        firstAt: part.receivedAt,
        parts: new Map(),
      };
      this.pending.set(id, group);
    }
    if (!group.parts.has(concat.seq)) group.parts.set(concat.seq, udh.payload);
    if (group.parts.size < group.total) return { complete: false };
    this.pending.delete(id);
    return { complete: true, parts: group.total, content: joinParts(group), fmt: group.fmt };
  }

  /** Returns and drops partial messages whose first part is at least `timeoutMs` old, and any evicted ones. */
  sweep(now: number): ExpiredMessage[] {
    const out = this.evicted.map(expired);
    this.evicted = [];
    for (const [id, p] of this.pending) {
      if (now - p.firstAt < this.timeoutMs) continue;
      this.pending.delete(id);
      out.push(expired(p));
    }
    return out;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Map order is arrival order, so the first entries are the oldest. */
  private makeRoom(): void {
    for (const [id, p] of this.pending) {
      if (this.pending.size < this.maxPending) return;
      this.pending.delete(id);
      this.evicted.push(p);
    }
  }
}
