import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { acceptAll, newMessage, reportFor, T0 } from './contract.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-keys.js';

/*
 * The queue and indexes on Redis, beyond the contract: where a stored or re-queued segment waits, and what
 * the one-step scripts leave in the streams, the expiry index and the counters.
 */

const ACCT = 'acct-901234';
const MINUTE = 60_000;
const prefix = testPrefix();
let n = 0;
let key: (name: string) => string;
let store: RedisStore;
let redis: Redis;

beforeEach(async () => {
  const current = `${prefix}-${++n}`;
  key = (name) => `{${current}}:${name}`;
  store = await RedisStore.open(REDIS_URL, { prefix: current, nodeId: `queue-${n}` });
  redis = new Redis(REDIS_URL);
});
afterEach(async () => {
  await store.close();
  redis.disconnect();
});
afterAll(async () => void (await deleteKeys(prefix)));

describe('Redis queue', () => {
  it('a segment due at once is in its stream when stored; a scheduled one waits in the due ZSET', async () => {
    const now = newMessage({ segments: 2, priority: 4 });
    const later = newMessage({ sendAt: T0 + 10 * MINUTE, priority: 4 });
    await store.insertMessages([now, later]);
    expect(await redis.xlen(key(`q:${ACCT}:4`))).toBe(2);
    expect(await redis.zrange(key(`due:${ACCT}:4`), '0', '-1')).toEqual([`${later.id}|0`]);
    expect((await store.claimSegments(ACCT, 10, T0)).map((j) => j.messageId)).toEqual([now.id, now.id]);
    const due = await store.claimSegments(ACCT, 10, T0 + 10 * MINUTE);
    expect(due.map((j) => j.messageId)).toEqual([later.id]);
    expect(await redis.zcard(key(`due:${ACCT}:4`))).toBe(0);
  });

  it('a re-queued segment keeps its turn: it goes before those waiting, and nothing stays pending', async () => {
    const [m1, m2, m3] = [1, 2, 3].map((k) => newMessage({ to: `1380000000${k}` }));
    await store.insertMessages([m1, m2, m3]);
    expect((await store.claimSegments(ACCT, 1, T0)).map((j) => j.messageId)).toEqual([m1.id]);
    await store.requeueSegments([{ messageId: m1.id, index: 0 }]);
    const jobs = await store.claimSegments(ACCT, 2, T0);
    expect(jobs.map((j) => [j.messageId, j.attempts])).toEqual([
      [m1.id, 2],
      [m2.id, 1],
    ]);
    await acceptAll(store, jobs, T0 + 1);
    const stream = key(`q:${ACCT}:1`);
    expect(((await redis.xpending(stream, 'gw')) as unknown[])[0]).toBe(0);
    expect(await redis.xlen(stream)).toBe(1); // m3's, still waiting
  });

  it('a message cancelled after its segment was re-queued leaves no stream entry behind', async () => {
    const m = newMessage();
    await store.insertMessages([m]);
    await store.claimSegments(ACCT, 1, T0);
    await store.requeueSegments([{ messageId: m.id, index: 0 }]);
    expect(await store.cancelMessage(m.id, T0 + 1)).toBe('cancelled');
    expect(await store.claimSegments(ACCT, 10, T0 + 2)).toEqual([]);
    const stream = key(`q:${ACCT}:1`);
    expect(((await redis.xpending(stream, 'gw')) as unknown[])[0]).toBe(0);
    expect(await redis.xlen(stream)).toBe(0);
    expect(await redis.zcard(key(`due:${ACCT}:1`))).toBe(0);
  });

  it('a message whose segments are all sent leaves the expiry index; the counters follow', async () => {
    const reported = newMessage({ validUntil: T0 + 10 * MINUTE, callbackUrl: null });
    const unreported = newMessage({ validUntil: T0 + 10 * MINUTE, callbackUrl: null, report: false });
    const plain = newMessage({ callbackUrl: null });
    await store.insertMessages([reported, unreported, plain]);
    expect((await redis.zrange(key('exp'), '0', '-1')).sort()).toEqual([reported.id, unreported.id].sort());
    const { msgIds } = await acceptAll(store, await store.claimSegments(ACCT, 10, T0), T0 + 1);
    expect(await redis.zcard(key('exp'))).toBe(0);
    await store.recordReports([reportFor(msgIds[0], 'DELIVRD', T0 + 2)]);
    expect((await store.getMessage(reported.id))?.status).toBe('delivered');
    expect((await store.getMessage(unreported.id))?.status).toBe('submitted');
    expect((await store.stats()).messagesByStatus).toEqual({ delivered: 1, submitted: 2 });
    const counters = await redis.hgetall(key('stats'));
    expect(Number(counters.qs)).toBe(0);
  });
});
