import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { newMessage, T0 } from './contract.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-keys.js';

/*
 * Segment contents on Redis: every byte value survives insert → claim, and a record written before
 * contents were kept in base64 (raw bytes in `<index>.c`) is still claimed with its bytes.
 */

const prefix = testPrefix();
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
afterAll(async () => void (await deleteKeys(prefix)));

describe('Redis segment contents', () => {
  it('every byte value comes back from a claim as stored, also from a record with raw contents', async () => {
    const store = await RedisStore.open(REDIS_URL, { prefix: `${prefix}-1`, nodeId: 'content-1' });
    const redis = new Redis(REDIS_URL);
    try {
      const fresh = newMessage({ binary: true, createdAt: T0 });
      fresh.segments = [{ content: ALL_BYTES, tpUdhi: 1 }];
      const legacy = newMessage({ binary: true, createdAt: T0 + 1 });
      await store.insertMessages([fresh, legacy]);
      // Rewrite the second one as an earlier version stored it.
      const key = `{${prefix}-1}:m:${legacy.id}`;
      await redis.hdel(key, '0.cb');
      await redis.hset(key, '0.c', Buffer.from(ALL_BYTES).reverse());

      const jobs = await store.claimSegments(fresh.account, 10, T0 + 10);
      const content = new Map(jobs.map((j) => [j.messageId, j.content.toString('hex')]));
      expect(content.get(fresh.id)).toBe(ALL_BYTES.toString('hex'));
      expect(content.get(legacy.id)).toBe(Buffer.from(ALL_BYTES).reverse().toString('hex'));
    } finally {
      await store.close();
      redis.disconnect();
    }
  });
});
