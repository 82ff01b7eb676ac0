import { PapParseError } from './errors.js';

/** A PAP client address `WAPPUSH=+8613800138000/TYPE=PLMN@ppg.example.com` (facts §8, Client address). */
export interface PapAddress {
  /** The client part, %-escapes decoded: `+8613800138000`. */
  value: string;
  /** Address type, upper case for the known ones: PLMN, USER, IPV4, IPV6. */
  type: string;
  /** The PPG host after `@`, when given. */
  ppg?: string;
  /** The address exactly as written. */
  raw: string;
}

const ADDRESS = /^wappush=(.+)\/type=([^/@]+)(?:@(.*))?$/i;
const KNOWN_TYPES = new Set(['PLMN', 'USER', 'IPV4', 'IPV6']);

function bad(raw: string, why: string): never {
  throw new PapParseError(`bad address "${raw}": ${why}`, 2002, 'address-value');
}

function percentDecode(raw: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return bad(raw, 'broken %-escape');
  }
}

/** Parses a client address; keywords in any case, `@ppg` optional, %-escapes decoded. Throws 2002. */
export function parsePapAddress(s: string): PapAddress {
  const raw = s.trim();
  const m = ADDRESS.exec(raw) ?? bad(raw, 'expected WAPPUSH=<client>/TYPE=<type>[@<ppg>]');
  const value = percentDecode(raw, m[1]);
  const upper = m[2].toUpperCase();
  const type = KNOWN_TYPES.has(upper) ? upper : m[2];
  if (type === 'PLMN' && !/^\+?\d{3,21}$/.test(value)) bad(raw, 'a PLMN address is a phone number');
  const ppg = m[3] === undefined ? undefined : percentDecode(raw, m[3]);
  if (ppg === '') bad(raw, 'empty PPG host after "@"');
  return ppg === undefined ? { value, type, raw } : { value, type, ppg, raw };
}

/** Characters other than these are %-escaped in the client part (`+` stays readable). */
const percentEncode = (s: string) =>
  s.replace(/[^A-Za-z0-9+._-]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

/** Writes `WAPPUSH=<value>/TYPE=<type, default PLMN>[@<ppg>]`. */
export function formatPapAddress(a: { value: string; type?: string; ppg?: string }): string {
  return `WAPPUSH=${percentEncode(a.value)}/TYPE=${a.type ?? 'PLMN'}${a.ppg ? `@${a.ppg}` : ''}`;
}
