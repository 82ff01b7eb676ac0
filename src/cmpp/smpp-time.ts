import { CmppProtocolError } from './errors.js';

/*
 * ValId_Time and At_Time use the SMPP 3.4 §7.1.1 format "YYMMDDhhmmsstnnp" (16 characters; the 17-byte
 * field ends with 0x00): t = tenths of a second, nn = offset from UTC in quarter hours, p = '+' or '-'
 * for an absolute time, 'R' for a time relative to the SMSC's clock.
 */

const two = (n: number) => String(n).padStart(2, '0');

/** China Standard Time, UTC+8, in quarter hours. */
export const CST_QUARTER_HOURS = 32;

/** An absolute time, written in the given UTC offset (default UTC+8). */
export function formatSmppAbsolute(date: Date, quarterHours = CST_QUARTER_HOURS): string {
  const local = new Date(date.getTime() + quarterHours * 15 * 60_000);
  const tenths = Math.floor(local.getUTCMilliseconds() / 100);
  return (
    two(local.getUTCFullYear() % 100) +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds()) +
    String(tenths) +
    two(Math.abs(quarterHours)) +
    (quarterHours < 0 ? '-' : '+')
  );
}

/** A relative time of `seconds` (days, hours, minutes, seconds; years and months stay 00). */
export function formatSmppRelative(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds >= 100 * 86_400) {
    throw new CmppProtocolError('BAD_FIELD', `relative time of ${seconds} s is out of range`, 'ValId_Time');
  }
  const days = Math.floor(seconds / 86_400);
  const rest = seconds % 86_400;
  return `0000${two(days)}${two(Math.floor(rest / 3600))}${two(Math.floor((rest % 3600) / 60))}${two(rest % 60)}000R`;
}

const PATTERN = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([+\-R])$/;

/** Parses either form; an empty string (the field left 0x00) means "not set" and gives null. */
export function parseSmppTime(text: string, now: Date = new Date()): Date | null {
  if (text === '') return null;
  const m = PATTERN.exec(text);
  if (!m) throw new CmppProtocolError('BAD_FIELD', `"${text}" is not an SMPP time (YYMMDDhhmmsstnnp)`);
  const [yy, mo, dd, hh, mi, ss, t, nn] = m.slice(1, 9).map(Number);
  if (hh > 23 || mi > 59 || ss > 59) {
    throw new CmppProtocolError('BAD_FIELD', `"${text}" has a time of day out of range`);
  }
  if (m[9] === 'R') {
    const shifted = new Date(now.getTime());
    shifted.setUTCFullYear(
      shifted.getUTCFullYear() + yy,
      shifted.getUTCMonth() + mo,
      shifted.getUTCDate() + dd,
    );
    return new Date(shifted.getTime() + ((hh * 60 + mi) * 60 + ss) * 1000 + t * 100);
  }
  // SMPP 3.4 §7.1.1: the UTC offset is at most 48 quarter hours.
  const daysInMonth = new Date(Date.UTC(2000 + yy, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || dd < 1 || dd > daysInMonth || nn > 48) {
    throw new CmppProtocolError('BAD_FIELD', `"${text}" is not a valid absolute time`);
  }
  const offsetMs = (m[9] === '-' ? -1 : 1) * nn * 15 * 60_000;
  return new Date(Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, t * 100) - offsetMs);
}
