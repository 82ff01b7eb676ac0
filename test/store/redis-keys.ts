import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/* Test runs on the shared Redis: each run its own key prefix, its keys deleted afterwards (never FLUSHDB). */

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other run uses: `cmppgw-test:<random>` (plus a suffix per store when several are needed). */
export function testPrefix(): string {
  return `cmppgw-test:${randomBytes(6).toString('hex')}`;
}

/** Deletes every key of the stores whose prefix starts with `prefix` (SCAN + UNLINK). */
export async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  redis.on('error', () => undefined); // connect() rejects with it
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
