import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `value` (an integer below 2^53) as `digits` base32 digits, most significant first. */
function base32(value: number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

// Random bytes drawn 4 KiB at a time: one system call per ~400 ids instead of one each.
let pool = randomBytes(4096);
let used = 0;

/** 80 random bits as 16 base32 digits: two 40-bit halves, each exact in a double. */
function random80(): string {
  if (used + 10 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  const at = used;
  used += 10;
  const half = (o: number) => pool[o] * 2 ** 32 + pool.readUInt32BE(o + 1);
  return base32(half(at), 8) + base32(half(at + 5), 8);
}

/** A time-ordered id: 10 base32 digits of milliseconds, then 16 random ones (80 bits). */
export function newId(now = Date.now()): string {
  return base32(now, 10) + random80();
}
