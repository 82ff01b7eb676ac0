import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(value: bigint, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

// Random bytes drawn 4 KiB at a time: one system call per ~400 ids instead of one each.
let pool = randomBytes(4096);
let used = 0;

function random80(): bigint {
  if (used + 10 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += 10;
  return BigInt(`0x${pool.toString('hex', used - 10, used)}`);
}

/** A time-ordered id: 10 base32 digits of milliseconds, then 16 random ones (80 bits). */
export function newId(now = Date.now()): string {
  return base32(BigInt(now), 10) + base32(random80(), 16);
}
