import { nextMessageState } from '../status.js';
import type {
  FinalMessage,
  MessageStatus,
  MessageView,
  NewMessage,
  SegmentView,
  TextEncoding,
} from '../types.js';
import type { Keys } from './keys.js';
import type { Tx } from './tx.js';

/*
 * A message is one HASH: its fields under short names, and each segment's fields as `<index>.<name>`
 * (st status, mid Msg_Id, res Result, stat, sub submittedAt, rep reportedAt, att attempts, cb content in
 * base64 (binary arguments would make every argument of an insert a Buffer: twice the client CPU),
 * u TP_udhi, e the id of its stream entry while it has one). `v` is bumped by every change (see Tx).
 */

type Hash = Record<string, string>;

const num = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));
const str = (v: string | undefined): string | null => (v === undefined ? null : v);

/** A segment in its due ZSET and stream entry. */
export const queueMember = (id: string, index: number) => `${id}|${index}`;

/** The HSET pairs of a new message. */
export function messagePairs(m: NewMessage): string[] {
  const pairs: string[] = [
    'id',
    m.id,
    'a',
    m.account,
    'to',
    m.to,
    'src',
    m.srcId,
    'enc',
    m.encoding,
    'fmt',
    String(m.msgFmt),
    'rep',
    m.report ? '1' : '0',
    'pr',
    String(m.priority),
    'n',
    String(m.segments.length),
    'st',
    'queued',
    'ca',
    String(m.createdAt),
    'ua',
    String(m.createdAt),
    'due',
    String(m.sendAt ?? m.createdAt),
    'v',
    '0',
  ];
  const optional: [string, string | number | undefined][] = [
    ['ref', m.clientRef],
    ['tx', m.text],
    ['bh', m.binaryHex],
    ['cb', m.callbackUrl],
    ['vu', m.validUntil],
    ['sa', m.sendAt],
    ['pid', m.pushId],
  ];
  for (const [field, value] of optional) if (value !== undefined) pairs.push(field, String(value));
  m.segments.forEach((s, i) => {
    pairs.push(
      `${i}.st`,
      'queued',
      `${i}.att`,
      '0',
      `${i}.u`,
      String(s.tpUdhi),
      `${i}.cb`,
      Buffer.from(s.content).toString('base64'),
    );
  });
  return pairs;
}

/** A segment's content as the claim script answers it: 'b' and base64, or 'h' and hex (older records). */
export function segmentContent(claimed: string): Buffer {
  return Buffer.from(claimed.slice(1), claimed[0] === 'b' ? 'base64' : 'hex');
}

export function segmentView(h: Hash, i: number): SegmentView {
  return {
    index: i,
    msgId: str(h[`${i}.mid`]),
    status: h[`${i}.st`] as MessageStatus,
    result: num(h[`${i}.res`]),
    stat: str(h[`${i}.stat`]),
    submittedAt: num(h[`${i}.sub`]),
    reportedAt: num(h[`${i}.rep`]),
  };
}

export function viewOf(h: Hash): MessageView {
  const n = Number(h.n);
  return {
    id: h.id,
    account: h.a,
    clientRef: str(h.ref),
    to: h.to,
    srcId: h.src,
    text: str(h.tx),
    binaryHex: str(h.bh),
    encoding: h.enc as TextEncoding,
    report: h.rep === '1',
    callbackUrl: str(h.cb),
    validUntil: num(h.vu),
    sendAt: num(h.sa),
    priority: Number(h.pr),
    status: h.st as MessageStatus,
    error: str(h.err),
    createdAt: Number(h.ca),
    updatedAt: Number(h.ua),
    pushId: str(h.pid),
    segments: Array.from({ length: n }, (_, i) => segmentView(h, i)),
  };
}

/**
 * A message read for a change: the change is written into a Tx as it is made, and into the record, so
 * that later changes in the same batch and the view given to the onFinal hook see it. Keeps the counters
 * in the stats hash right (messages per status, queued segments).
 */
export class MessageRecord {
  private touched = false;

  constructor(
    readonly h: Hash,
    private readonly keys: Keys,
    private readonly tx: Tx,
  ) {
    tx.expectField(keys.message(h.id), 'v', h.v);
  }

  get id(): string {
    return this.h.id;
  }
  get account(): string {
    return this.h.a;
  }
  get status(): MessageStatus {
    return this.h.st as MessageStatus;
  }
  get segmentCount(): number {
    return Number(this.h.n);
  }
  get key(): string {
    return this.keys.message(this.h.id);
  }

  segStatus(i: number): MessageStatus | undefined {
    return this.h[`${i}.st`] as MessageStatus | undefined;
  }

  seg(i: number, field: string): string | undefined {
    return this.h[`${i}.${field}`];
  }

  private write(field: string, value: string | number | null): void {
    if (!this.touched) {
      this.touched = true;
      this.tx.hincr(this.key, 'v', 1);
    }
    if (value === null) {
      delete this.h[field];
      this.tx.hdel(this.key, field);
    } else {
      this.h[field] = String(value);
      this.tx.hset(this.key, field, value);
    }
  }

  setSeg(i: number, field: string, value: string | number | null): void {
    if (field === 'st') {
      const was = this.segStatus(i);
      this.tx.hincr(this.keys.stats, 'qs', (value === 'queued' ? 1 : 0) - (was === 'queued' ? 1 : 0));
    }
    this.write(`${i}.${field}`, value);
  }

  /** Acknowledges the segment's stream entry, if it has one. */
  dropEntry(i: number): void {
    const entry = this.seg(i, 'e');
    if (entry === undefined) return;
    this.tx.ack(this.keys.stream(this.account, this.h.pr), entry);
    this.setSeg(i, 'e', null);
  }

  /**
   * Puts a segment back in its account's queue at its original due time. Its stream entry stays pending:
   * the claim that finds it due takes the entry over, so it goes before the segments waiting in the stream.
   */
  requeue(i: number): void {
    this.setSeg(i, 'st', 'queued');
    this.tx.zadd(this.keys.due(this.account, this.h.pr), Number(this.h.due), queueMember(this.id, i));
  }

  setStatus(status: MessageStatus, now: number, error?: string): void {
    if (status !== this.status) {
      this.tx.hincr(this.keys.stats, `st:${this.status}`, -1);
      this.tx.hincr(this.keys.stats, `st:${status}`, 1);
      this.write('st', status);
    }
    if (error !== undefined) this.write('err', error);
    this.write('ua', now);
  }

  /** Recomputes the state from the segments; returns it when the message just became final. */
  refresh(now: number, error?: string): FinalMessage | undefined {
    const statuses = Array.from({ length: this.segmentCount }, (_, i) => this.segStatus(i) as MessageStatus);
    const next = nextMessageState(this.status, statuses, this.h.rep === '1');
    if (!next.changed && error === undefined) return undefined;
    this.setStatus(next.status, now, error);
    if (next.status !== 'queued' && next.status !== 'submitting') this.tx.zrem(this.keys.expiring, this.id);
    return next.becameFinal
      ? { id: this.id, account: this.account, status: next.status, callbackUrl: str(this.h.cb) }
      : undefined;
  }

  view(): MessageView {
    return viewOf(this.h);
  }
}
