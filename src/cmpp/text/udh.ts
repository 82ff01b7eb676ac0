import { CmppTextError } from './msg-fmt.js';

/** One UDH information element: IEI and its data (the length byte is implied). */
export interface UdhIe {
  iei: number;
  data: Uint8Array;
}

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  ref16: boolean;
}

export interface ParsedUdh {
  /** UDHL: header bytes after the length byte itself. */
  udhLength: number;
  ies: UdhIe[];
  concat?: ConcatInfo;
  ports?: { dst: number; src: number };
  /** The user data after the header. */
  payload: Buffer;
}

export const IEI_CONCAT_8 = 0x00;
export const IEI_PORTS_8 = 0x04;
export const IEI_PORTS_16 = 0x05;
export const IEI_CONCAT_16 = 0x08;

/** TP_udhi is honoured as 0x01 or 0x40: gateways send 0x40 for long messages (facts §7). */
export function hasUdhi(tpUdhi: number): boolean {
  return (tpUdhi & 0x41) !== 0;
}

/** Builds `UDHL (IEI len data)*`. */
export function buildUdh(ies: readonly UdhIe[]): Buffer {
  const udhl = ies.reduce((n, ie) => n + 2 + ie.data.length, 0);
  if (udhl > 0xff || ies.some((ie) => ie.data.length > 0xff)) {
    throw new CmppTextError('BAD_UDH', `UDH too long (${udhl} bytes)`);
  }
  const out = Buffer.alloc(1 + udhl);
  out[0] = udhl;
  let at = 1;
  for (const ie of ies) {
    out[at++] = ie.iei;
    out[at++] = ie.data.length;
    out.set(ie.data, at);
    at += ie.data.length;
  }
  return out;
}

/** Concatenation IE: 8-bit `00 03 RR TT NN` or 16-bit `08 04 Rh Rl TT NN` (facts §6, Long messages). */
export function concatIe(ref: number, total: number, seq: number, ref16: boolean): UdhIe {
  return ref16
    ? { iei: IEI_CONCAT_16, data: Uint8Array.of(ref >> 8, ref & 0xff, total, seq) }
    : { iei: IEI_CONCAT_8, data: Uint8Array.of(ref, total, seq) };
}

/** Full UDH carrying only the concatenation IE: `05 00 03 RR TT NN` or `06 08 04 Rh Rl TT NN`. */
export function buildConcatUdh(ref: number, total: number, seq: number, ref16: boolean): Buffer {
  return buildUdh([concatIe(ref, total, seq, ref16)]);
}

function badUdh(why: string): never {
  throw new CmppTextError('BAD_UDH', `malformed UDH: ${why}`);
}

const KNOWN_IE_LENGTH: Readonly<Record<number, number>> = {
  [IEI_CONCAT_8]: 3,
  [IEI_PORTS_8]: 2,
  [IEI_PORTS_16]: 4,
  [IEI_CONCAT_16]: 4,
};

/** Reads a UDH at the start of Msg_Content. IEs may come in any order; a repeated IE: the last wins. */
export function parseUdh(content: Uint8Array): ParsedUdh {
  if (content.length === 0) badUdh('empty content');
  const udhLength = content[0];
  const end = 1 + udhLength;
  if (end > content.length) badUdh(`UDHL ${udhLength} beyond content of ${content.length} bytes`);
  const parsed: ParsedUdh = { udhLength, ies: [], payload: Buffer.from(content.subarray(end)) };
  let at = 1;
  while (at < end) {
    if (at + 2 > end) badUdh(`truncated IE header at ${at}`);
    const iei = content[at];
    const len = content[at + 1];
    if (at + 2 + len > end) badUdh(`IE 0x${iei.toString(16)} length ${len} beyond UDHL`);
    const d = Buffer.from(content.subarray(at + 2, at + 2 + len));
    const expected = KNOWN_IE_LENGTH[iei];
    if (expected !== undefined && expected !== len) badUdh(`IE 0x${iei.toString(16)} length ${len}`);
    parsed.ies.push({ iei, data: d });
    at += 2 + len;
    if (iei === IEI_CONCAT_8 || iei === IEI_CONCAT_16) {
      const ref16 = iei === IEI_CONCAT_16;
      const c = ref16
        ? { ref: d.readUInt16BE(0), total: d[2], seq: d[3], ref16 }
        : { ref: d[0], total: d[1], seq: d[2], ref16 };
      // 3GPP TS 23.040 §9.2.3.24.1: a zero total, or a seq of 0 or above total, voids the IE.
      if (c.total > 0 && c.seq > 0 && c.seq <= c.total) parsed.concat = c;
    } else if (iei === IEI_PORTS_16) {
      parsed.ports = { dst: d.readUInt16BE(0), src: d.readUInt16BE(2) };
    } else if (iei === IEI_PORTS_8) {
      parsed.ports = { dst: d[0], src: d[1] };
    }
  }
  return parsed;
}
