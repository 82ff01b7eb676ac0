import { CmppTextError, encodeText, MsgFmt } from './msg-fmt.js';
import { buildUdh, concatIe, parseUdh, type UdhIe } from './udh.js';

export interface SplitInput {
  /** Text to encode with `fmt`; ignored when `binary` is given. */
  text?: string;
  /** Already encoded payload; split on `fmt`'s character boundaries all the same. */
  binary?: Uint8Array;
  fmt: number;
  /** Concatenation reference: 0–255, or 0–65535 with `ref16`. */
  reference: number;
  ref16?: boolean;
  /** Raw IEs (no UDHL) that every segment carries before the concatenation IE, e.g. WAP ports. */
  udhPrefix?: Uint8Array;
}

export interface Segment {
  pkNumber: number;
  tpUdhi: 0 | 1;
  /** Complete Msg_Content: UDH (if any) + payload. */
  content: Buffer;
}

export interface SplitResult {
  pkTotal: number;
  segments: Segment[];
}

const MAX_SEGMENTS = 255;

/** Msg_Length limit: < 160 for Msg_Fmt 0, otherwise ≤ 140 (facts §6). */
function capacity(fmt: number): number {
  return fmt === MsgFmt.ASCII ? 159 : 140;
}

/** Bytes of the GB18030 char at `i`: lead 0x81–0xFE then 0x30–0x39 → 4, else 2; below 0x81 → 1. */
function gbCharLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x81 || b === 0xff) return 1;
  const next = bytes[i + 1];
  return next >= 0x30 && next <= 0x39 ? 4 : 2;
}

/** End of a segment starting at `start` holding at most `max` bytes, never cutting a character. */
function segmentEnd(bytes: Uint8Array, start: number, max: number, fmt: number): number {
  if (fmt === MsgFmt.GB18030) {
    let end = start;
    while (end < bytes.length) {
      const next = end + gbCharLength(bytes, end);
      if (next - start > max) break;
      end = next;
    }
    return Math.min(end, bytes.length);
  }
  if (fmt === MsgFmt.UCS2) {
    // Whole UTF-16 units only; a segment ending on a high surrogate gives it to the next one.
    let end = start + (max & ~1);
    if (end >= bytes.length) return bytes.length;
    const lastHigh = bytes[end - 2] >= 0xd8 && bytes[end - 2] <= 0xdb;
    if (lastHigh) end -= 2;
    return end;
  }
  return Math.min(start + max, bytes.length);
}

function prefixIes(udhPrefix: Uint8Array | undefined): UdhIe[] {
  if (!udhPrefix?.length) return [];
  if (udhPrefix.length > 0xff) throw new CmppTextError('BAD_UDH', 'UDH prefix longer than 255 bytes');
  return parseUdh(Uint8Array.of(udhPrefix.length, ...udhPrefix)).ies;
}

function checkReference(reference: number, ref16: boolean): void {
  const max = ref16 ? 0xffff : 0xff;
  if (!Number.isInteger(reference) || reference < 0 || reference > max) {
    throw new CmppTextError('BAD_REFERENCE', `reference ${reference} out of 0–${max}`);
  }
}

/**
 * Splits a message into CMPP segments. One that fits a single SMS gets no concatenation UDH;
 * otherwise each segment carries `05 00 03 RR TT NN` (or the 16-bit IE) after any prefix IEs
 * (facts §6 Long messages and Payload per segment; facts §10 for the WAP port prefix).
 */
export function splitMessage(input: SplitInput): SplitResult {
  const { fmt, reference, ref16 = false } = input;
  checkReference(reference, ref16);
  const bytes = input.binary ?? encodeText(input.text ?? '', fmt);
  const prefix = prefixIes(input.udhPrefix);
  const cap = capacity(fmt);

  const singleUdh = prefix.length ? buildUdh(prefix) : Buffer.alloc(0);
  if (singleUdh.length + bytes.length <= cap) {
    const content = Buffer.concat([singleUdh, bytes]);
    return { pkTotal: 1, segments: [{ pkNumber: 1, tpUdhi: prefix.length ? 1 : 0, content }] };
  }

  const udhLength = buildUdh([...prefix, concatIe(reference, 0, 0, ref16)]).length;
  const max = cap - udhLength;
  // 4 bytes fit any single UCS2 pair or GB18030 char, so every segment makes progress.
  if (max < 4) throw new CmppTextError('TOO_LONG', `UDH of ${udhLength} bytes leaves no room for payload`);

  const payloads: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; ) {
    if (payloads.length === MAX_SEGMENTS) {
      throw new CmppTextError('TOO_LONG', `message needs more than ${MAX_SEGMENTS} segments`);
    }
    const end = segmentEnd(bytes, start, max, fmt);
    payloads.push(bytes.subarray(start, end));
    start = end;
  }

  const pkTotal = payloads.length;
  const segments = payloads.map((payload, i): Segment => {
    const udh = buildUdh([...prefix, concatIe(reference, pkTotal, i + 1, ref16)]);
    return { pkNumber: i + 1, tpUdhi: 1, content: Buffer.concat([udh, payload]) };
  });
  return { pkTotal, segments };
}
