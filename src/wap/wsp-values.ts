import { WapDecodeError, WapTransformError } from './errors.js';

/** uintvar: 7 bits per octet, most significant first, 0x80 on every octet but the last (facts §9). */
export function uintvar(n: number): Buffer {
  const out = [n & 0x7f];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) out.unshift(0x80 | (v & 0x7f));
  return Buffer.from(out);
}

/** Integer-value: Short-integer below 128, else Long-integer (Short-length + big-endian octets). */
export function integerValue(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new WapTransformError(`WSP integer ${n} out of range`);
  if (n < 128) return Buffer.of(0x80 | n);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return Buffer.from([octets.length, ...octets]);
}

/**
 * Text-string, NUL-terminated; a first octet ≥ 0x80 is preceded by the Quote 0x7F (WAP-230 §8.4.2.1).
 * A NUL inside would end the string early, so it is refused.
 */
export function textString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.includes(0))
    throw new WapTransformError(`WSP cannot encode ${JSON.stringify(s)}: it holds a NUL`);
  const quote = bytes[0] >= 0x80 ? [0x7f] : [];
  return Buffer.concat([Buffer.from(quote), bytes, Buffer.of(0)]);
}

/** Value-length: 0–30 in one octet, else 31 and a uintvar. */
export function valueLength(n: number): Buffer {
  return n <= 30 ? Buffer.of(n) : Buffer.concat([Buffer.of(31), uintvar(n)]);
}

/** Sequential reader over a WSP PDU; every failure is a WapDecodeError. */
export class WspReader {
  at = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  byte(): number {
    if (this.done) throw new WapDecodeError(`WSP PDU truncated at byte ${this.at}`);
    return this.buf[this.at++];
  }

  peek(): number {
    if (this.done) throw new WapDecodeError(`WSP PDU truncated at byte ${this.at}`);
    return this.buf[this.at];
  }

  bytes(n: number): Buffer {
    if (this.at + n > this.buf.length)
      throw new WapDecodeError(`WSP PDU truncated: ${n} bytes at ${this.at}`);
    this.at += n;
    return this.buf.subarray(this.at - n, this.at);
  }

  uintvar(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    throw new WapDecodeError('uintvar longer than 5 octets');
  }

  text(): string {
    if (this.peek() === 0x7f) this.at++;
    const end = this.buf.indexOf(0, this.at);
    if (end < 0) throw new WapDecodeError(`unterminated text string at byte ${this.at}`);
    const s = this.buf.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }

  /** Value-length after its first octet `b` (0–31). */
  lengthAfter(b: number): number {
    return b === 31 ? this.uintvar() : b;
  }

  integer(): number {
    const b = this.byte();
    if (b >= 0x80) return b & 0x7f;
    if (b < 1 || b > 30) throw new WapDecodeError(`bad Long-integer length ${b}`);
    return this.bytes(b).reduce((n, o) => n * 256 + o, 0);
  }
}
