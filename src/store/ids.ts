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

/** A time-ordered id: 10 base32 digits of milliseconds, then 16 random ones (80 bits). */
export function newId(now = Date.now()): string {
  return base32(BigInt(now), 10) + base32(BigInt(`0x${randomBytes(10).toString('hex')}`), 16);
}
