import { CmppProtocolError } from './errors.js';

/** The parts of a Msg_Id (SPEC3 §8.4.3.2): month 4 | day 5 | hour 5 | minute 6 | second 6 | gateway 22 | sequence 16 bits. */
export interface MsgIdParts {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  gateway_code: number;
  sequence: number;
}

/** Bit layout from the least significant end: [name, width]. */
const LAYOUT: readonly (readonly [keyof MsgIdParts, number])[] = [
  ['sequence', 16],
  ['gateway_code', 22],
  ['second', 6],
  ['minute', 6],
  ['hour', 5],
  ['day', 5],
  ['month', 4],
];

export function unpackMsgId(id: bigint): MsgIdParts {
  if (id < 0n || id >= 1n << 64n)
    throw new CmppProtocolError('BAD_FIELD', `${id} is not a 64-bit Msg_Id`, 'Msg_Id');
  const parts = {} as MsgIdParts;
  let shift = 64n;
  // Most significant part first, so the parts print in the spec's order.
  for (let i = LAYOUT.length - 1; i >= 0; i--) {
    const [name, width] = LAYOUT[i];
    shift -= BigInt(width);
    parts[name] = Number((id >> shift) & ((1n << BigInt(width)) - 1n));
  }
  return parts;
}

/** Builds the two 32-bit halves with number arithmetic and makes one BigInt (ISMGs pack one per SUBMIT). */
export function packMsgId(parts: MsgIdParts): bigint {
  let lo = 0;
  let hi = 0;
  let at = 0;
  for (const [name, width] of LAYOUT) {
    const value = parts[name];
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
      throw new CmppProtocolError('BAD_FIELD', `Msg_Id ${name} ${value} does not fit ${width} bits`, name);
    }
    // A part below bit 32 goes to lo, above to hi; the one that straddles is split between them.
    if (at < 32) lo += (value % 2 ** (32 - at)) * 2 ** at;
    if (at + width > 32) hi += Math.floor(value / 2 ** Math.max(0, 32 - at)) * 2 ** Math.max(0, at - 32);
    at += width;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Parses a decimal Msg_Id as printed by the inspector and stored by the gateway. */
export function parseMsgId(text: string): bigint {
  if (!/^\d{1,20}$/.test(text))
    throw new CmppProtocolError('BAD_FIELD', `"${text}" is not a decimal Msg_Id`, 'Msg_Id');
  const id = BigInt(text);
  if (id >= 1n << 64n) throw new CmppProtocolError('BAD_FIELD', `${text} does not fit 64 bits`, 'Msg_Id');
  return id;
}

/**
 * Msg_Ids as an ISMG hands them out: the current time, this gateway's code and a 16-bit sequence that
 * wraps (SPEC3 §8.4.3.2). `next(n)` reserves n consecutive ids for an n-recipient SUBMIT (Appendix 1).
 */
export class MsgIdGenerator {
  private sequence: number;
  /** The id with sequence 0 for the second `baseSecond`: time and gateway parts change once a second. */
  private base = 0n;
  private baseSecond = -1;

  constructor(
    private readonly gatewayCode: number,
    start = 0,
  ) {
    this.sequence = start & 0xffff;
  }

  next(count = 1, now: Date = new Date()): bigint {
    const second = Math.floor(now.getTime() / 1000);
    if (second !== this.baseSecond) {
      this.baseSecond = second;
      this.base = packMsgId({
        month: now.getMonth() + 1,
        day: now.getDate(),
        hour: now.getHours(),
        minute: now.getMinutes(),
        second: now.getSeconds(),
        gateway_code: this.gatewayCode,
        sequence: 0,
      });
    }
    // The sequence is the low 16 bits, so adding it never carries into the gateway code.
    const id = this.base + BigInt(this.sequence);
    this.sequence = (this.sequence + count) & 0xffff;
    return id;
  }
}

/**
 * The Msg_Id of recipient `index` of a group send: the first id plus `index`, the sequence part wrapping
 * to 0 at its maximum without carrying into the gateway code (SPEC3 Appendix 1).
 */
export function recipientMsgId(first: bigint, index: number): bigint {
  if (index === 0) return first;
  return (first & ~0xffffn) | ((first + BigInt(index)) & 0xffffn);
}
