import type { ConfigReader } from './config-reader.js';

export type MoEncoding = 'ascii' | 'ucs2' | 'gb18030';

const ENCODINGS: readonly MoEncoding[] = ['ascii', 'ucs2', 'gb18030'];

/** An MO message a handset sends to an SP (POST /mo, or a scripted MO in the config). */
export interface MoRequest {
  /** The SP account; by default the one whose service code `to` starts with. */
  account?: string;
  /** The handset's number (DELIVER Src_terminal_Id). */
  from: string;
  /** The SP's service code plus any extension (DELIVER Dest_Id, 21 bytes). */
  to: string;
  text: string;
  /** Default: ASCII when every character is 7-bit, else UCS2. */
  encoding?: MoEncoding;
}

function number(r: ConfigReader, key: string, pattern: RegExp, what: string): string {
  const value = r.string(key) ?? r.fail(key, 'is required');
  if (!pattern.test(value)) r.fail(key, `must be ${what}, got "${value}"`);
  return value;
}

export function parseMoRequest(r: ConfigReader): MoRequest {
  const encoding = r.string('encoding');
  if (encoding !== undefined && !ENCODINGS.includes(encoding as MoEncoding)) {
    r.fail('encoding', `must be one of ${ENCODINGS.join(', ')}, got "${encoding}"`);
  }
  const mo: MoRequest = {
    account: r.string('account'),
    from: number(r, 'from', /^\+?\d{1,20}$/, 'a phone number'),
    to: number(r, 'to', /^\d{1,21}$/, '1–21 digits'),
    text: r.string('text') ?? r.fail('text', 'is required'),
    encoding: encoding as MoEncoding | undefined,
  };
  r.done();
  return mo;
}
