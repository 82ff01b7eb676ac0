const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * `YYYY-MM-DDThh:mm:ssZ` as packed BCD, two digits per byte, trailing zero bytes dropped (WAP-167 §8.2.2;
 * facts §11, Dates). Returns undefined for any other form.
 */
export function packDate(value: string): Buffer | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [month, day, hour, minute, second] = m.slice(2).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const bytes = Buffer.from(m.slice(1).join(''), 'hex');
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/** The inverse of packDate; undefined when the bytes are not BCD digits or too many. */
export function unpackDate(bcd: Uint8Array): string | undefined {
  if (bcd.length > 7) return undefined;
  const digits = Buffer.concat([bcd, Buffer.alloc(7 - bcd.length)]).toString('hex');
  if (!/^\d{14}$/.test(digits)) return undefined;
  const d = (from: number, to: number) => digits.slice(from, to);
  return `${d(0, 4)}-${d(4, 6)}-${d(6, 8)}T${d(8, 10)}:${d(10, 12)}:${d(12, 14)}Z`;
}
