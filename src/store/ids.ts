import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** The character codes of the id being built (every call writes all 26 before reading them). */
const digits: number[] = new Array(26).fill(0);

/** Writes `value` (an integer below 2^53) as `count` base32 digits at `at`, most significant first. */
function put(value: number, at: number, count: number): void {
  for (let i = at + count - 1; i >= at; i--) {
    digits[i] = CODES[value % 32];
    value = Math.floor(value / 32);
  }
}

// Random bytes drawn 4 KiB at a time: one system call per ~400 ids instead of one each.
let pool = randomBytes(4096);
let used = 0;

/**
 * A time-ordered id: 10 base32 digits of milliseconds, then 16 random ones (80 bits, as two 40-bit
 * halves, each exact in a double). Built as character codes and turned into a string once: ids are made
 * for every message on the API's hot path.
 */
export function newId(now = Date.now()): string {
  if (used + 10 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  const at = used;
  used += 10;
  put(now, 0, 10);
  put(pool[at] * 2 ** 32 + pool.readUInt32BE(at + 1), 10, 8);
  put(pool[at + 5] * 2 ** 32 + pool.readUInt32BE(at + 6), 18, 8);
  return String.fromCharCode.apply(null, digits);
}
