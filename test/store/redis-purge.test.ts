import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { MoPart } from '../../src/store/types.js';
import { acceptAll, mo, newMessage, nextMsgId, reportFor, T0 } from './contract.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-keys.js';

/*
 * Retention on Redis, beyond the contract: what a purge leaves in Redis, and how a call bounds its work.
 */

const HOUR = 3600_000;
const BEFORE = T0 + HOUR;
const ACCT = 'acct-901234';
const HOOK = 'https://hooks.example.com/cmppgw/events';
const prefix = testPrefix();
let n = 0;
let current = '';
let store: RedisStore;
let redis: Redis;

beforeEach(async () => {
  current = `${prefix}-${++n}`;
  store = await RedisStore.open(REDIS_URL, { prefix: current, nodeId: `purge-${n}` });
  redis = new Redis(REDIS_URL);
});
afterEach(async () => {
  await store.close();
  redis.disconnect();
});
afterAll(async () => void (await deleteKeys(prefix)));

/** Every key of the store, without its `{prefix}:`. */
async function storeKeys(): Promise<string[]> {
  const start = `{${current}}:`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${start}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch.map((k) => k.slice(start.length)));
  } while (cursor !== '0');
  return keys.sort();
}

const part = (groupKey: string, seq: number, receivedAt: number): MoPart => ({
  account: ACCT,
  groupKey,
  total: 2,
  seq,
  ismgMsgId: nextMsgId(),
  payload: Buffer.from(`part ${seq}`),
  msgFmt: 0,
  linkId: null,
  receivedAt,
});

describe('Redis purge', () => {
  it('leaves no key, list entry, index entry or counter of what it deleted', async () => {
    // Messages: delivered (clientRef, two segments, Msg_Id index), cancelled while scheduled, expired.
    const delivered = newMessage({ clientRef: 'ref-1', segments: 2, createdAt: T0, to: '13800000001' });
    const scheduled = newMessage({
      createdAt: T0 + 1,
      sendAt: T0 + 24 * HOUR,
      priority: 3,
      to: '13800000002',
    });
    const expired = newMessage({ createdAt: T0 + 2, validUntil: T0 + 5, to: '13800000003' });
    await store.insertMessages([delivered, scheduled, expired]);
    const jobs = await store.claimSegments(ACCT, 2, T0 + 3);
    expect(jobs.map((j) => j.messageId)).toEqual([delivered.id, delivered.id]);
    const { msgIds } = await acceptAll(store, jobs, T0 + 4);
    await store.recordReports(msgIds.map((id) => reportFor(id, 'DELIVRD', T0 + 5)));
    expect(await store.cancelMessage(scheduled.id, T0 + 6)).toBe('cancelled');
    expect(await store.expireDue(T0 + 10)).toHaveLength(1);

    // MO with its webhook, a long MO, an unassembled part.
    const single = mo({ receivedAt: T0 + 20 });
    await store.insertMo(single, { eventKey: `mo:${single.id}`, url: HOOK, body: '{}' });
    const group = '13900139000|106571234501|0x31|2';
    const [p1, p2] = [part(group, 1, T0 + 21), part(group, 2, T0 + 22)];
    await store.addMoPart(p1);
    expect(await store.addMoPart(p2)).toHaveLength(2);
    await store.insertMo(mo({ receivedAt: T0 + 22, ismgMsgId: p2.ismgMsgId, parts: 2 }), undefined, {
      account: ACCT,
      groupKey: group,
    });
    await store.addMoPart(part('13900139000|106571234501|0x32|2', 1, T0 + 23));

    // A push (its message cancelled), a dead webhook, an orphan report.
    const carried = {
      ...newMessage({ binary: true, createdAt: T0 + 30, to: '13800000004' }),
      pushId: 'push-1',
    };
    const push = {
      pushId: 'push-1',
      account: ACCT,
      contentType: 'application/vnd.wap.sic',
      notifyTo: null,
      deliverBefore: null,
      deliverAfter: null,
      createdAt: T0 + 30,
      addresses: [{ address: 'WAPPUSH=+8613800000004/TYPE=PLMN@ppg.example.com', messageId: carried.id }],
    };
    await store.insertPush(push, [carried]);
    await store.cancelMessage(carried.id, T0 + 31);
    await store.enqueueWebhook('evt-dead', HOOK, '{}', T0 + 32);
    for (const job of await store.claimWebhooks(T0 + 40, 10, 30_000)) {
      if (job.createdAt === T0 + 32) await store.webhookFailed(job.id, null, 'HTTP 410');
      else await store.webhookDelivered(job.id, T0 + 41);
    }
    await store.recordReports([reportFor(nextMsgId(), 'DELIVRD', T0 + 50)]);

    // 4 messages, 2 MO, 1 part, 1 push, 2 webhooks, 1 orphan.
    expect(await store.purge(BEFORE, 1000)).toBe(11);
    const left = (await storeKeys()).filter(
      (k) => !/^(seq|stats|accounts|nodes|wh:seq|purge|whendfill|qp:.*|q:.*|mocons:.*)$/s.test(k),
    );
    expect(left).toEqual([]);
    // What remains of a consumed long-MO part lapses by itself.
    for (const key of (await storeKeys()).filter((k) => k.startsWith('mocons:')))
      expect(await redis.pttl(`{${current}}:${key}`)).toBeGreaterThan(0);
    const counters = await redis.hgetall(`{${current}}:stats`);
    expect(Object.values(counters).every((v) => v === '0')).toBe(true);
    expect(Object.keys(counters)).toContain('whdone');
    for (const stream of (await storeKeys()).filter((k) => k.startsWith('q:')))
      expect(await redis.xlen(`{${current}}:${stream}`)).toBe(0);
  });

  it('an MO whose text holds a lone surrogate (which Lua cjson cannot decode) goes like any other', async () => {
    const broken = mo({ receivedAt: T0, text: '\ud83d回复', from: '13900139001' });
    await store.insertMo(broken);
    await store.insertMo(mo({ receivedAt: BEFORE + 1 }));
    expect(await store.purge(BEFORE, 10)).toBe(1);
    expect((await store.listMo({ limit: 10 })).items.map((m) => m.id)).not.toContain(broken.id);
    expect(await store.insertMo(broken)).toBe(true); // its (account, Msg_Id) key went with it
  });

  it('a call looks at no more than 4 × limit records; the next goes on where it stopped', async () => {
    const waiting = Array.from({ length: 10 }, (_, i) =>
      newMessage({ createdAt: T0 + i, sendAt: T0 + 48 * HOUR, to: `1380000${String(i).padStart(4, '0')}` }),
    );
    const done = Array.from({ length: 3 }, (_, i) =>
      newMessage({ createdAt: T0 + 10 + i, to: `1390000000${i}` }),
    );
    await store.insertMessages([...waiting, ...done]);
    for (const m of done) await store.cancelMessage(m.id, T0 + 20);
    const calls: number[] = [];
    for (let i = 0; i < 6; i++) calls.push(await store.purge(BEFORE, 1));
    // 4 queued, 4 queued, 2 queued and a deletion, two deletions, the end of the cycle.
    expect(calls).toEqual([0, 0, 1, 1, 1, 0]);
    for (const m of done) expect(await store.getMessage(m.id)).toBeUndefined();
    expect((await store.stats()).messagesByStatus).toEqual({ queued: 10 });
    // A new cycle starts from the oldest again.
    expect(await store.purge(BEFORE, 1)).toBe(0);
    expect(await redis.hgetall(`{${current}}:purge`)).toEqual({ kind: '1', at: '4' });
  });

  it('webhooks finished by a version without the whend index are indexed once, at open, and then purged', async () => {
    for (const event of ['old-delivered', 'old-dead', 'old-pending'])
      await store.enqueueWebhook(event, HOOK, event, T0);
    const jobs = new Map((await store.claimWebhooks(T0, 10, 30_000)).map((j) => [j.body, j.id]));
    await store.webhookDelivered(jobs.get('old-delivered')!, T0 + 1);
    await store.webhookFailed(jobs.get('old-dead')!, null, 'HTTP 410');
    await store.webhookFailed(jobs.get('old-pending')!, T0 + HOUR, 'HTTP 503');
    // What such a version left: no whend entries, no event key in the hashes, no backfill done.
    const key = (name: string) => `{${current}}:${name}`;
    await redis.del(key('whend'), key('whendfill'));
    for (const id of jobs.values()) await redis.hdel(key(`wh:${id}`), 'k');
    expect(await store.purge(BEFORE, 10)).toBe(0);

    await store.close();
    store = await RedisStore.open(REDIS_URL, { prefix: current, nodeId: `purge-${n}` });
    expect(await redis.zrange(key('whend'), '0', '-1')).toEqual(
      [jobs.get('old-delivered'), jobs.get('old-dead')].map((id) => String(id).padStart(15, '0')).sort(),
    );
    expect(await redis.hget(key(`wh:${jobs.get('old-dead')}`), 'k')).toBe('old-dead');
    expect(await redis.hget(key('whendfill'), 'done')).toBe('1');

    expect(await store.purge(BEFORE, 10)).toBe(2);
    expect(await redis.hkeys(key('whkeys'))).toEqual(['old-pending']);
    expect(await redis.exists(key(`wh:${jobs.get('old-delivered')}`))).toBe(0);
    expect(await store.webhookState('old-pending')).toMatchObject({ status: 'pending' });
  });
});
