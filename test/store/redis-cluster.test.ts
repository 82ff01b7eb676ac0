import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { newMessage, nextMsgId, T0 } from './contract.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-keys.js';

/*
 * What only several nodes on one Redis can show: a node's claims are its own while it lives and are taken
 * over once it is dead; link leases never exceed the limit and pass to the survivors.
 */

const TTL = 400;
const IDLE = 100;
const prefix = testPrefix();
let n = 0;
let stores: RedisStore[] = [];
let current = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function node(id: string): Promise<RedisStore> {
  const s = await RedisStore.open(REDIS_URL, {
    prefix: current,
    nodeId: id,
    nodeTtlMs: TTL,
    claimIdleMs: IDLE,
  });
  stores.push(s);
  return s;
}

/**
 * A node dies: its heartbeat stops without a goodbye (close() would leave the cluster at once), and
 * everything it held lapses; `meanwhile` runs every 100 ms as the survivors' renewals would.
 */
async function crash(
  s: RedisStore,
  meanwhile: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  stores = stores.filter((x) => x !== s);
  (s as unknown as { heartbeat?: NodeJS.Timeout }).heartbeat?.close();
  for (let waited = 0; waited < TTL + IDLE + 50; waited += 100) {
    await meanwhile();
    await sleep(100);
  }
}

afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});
afterAll(() => deleteKeys(prefix));

describe('Redis store, several nodes', () => {
  it("a live node's claims stay its own; a dead node's are taken over with attempts + 1, once", async () => {
    current = `${prefix}-${++n}`;
    const a = await node('node-a');
    const b = await node('node-b');
    const messages = [1, 2, 3].map((i) => newMessage({ to: `1380000000${i}` }));
    await a.insertMessages(messages);
    const claimedByA = await a.claimSegments(messages[0].account, 10, T0);
    expect(claimedByA).toHaveLength(3);
    await sleep(IDLE * 3);
    expect(await b.claimSegments(messages[0].account, 10, T0)).toEqual([]);
    expect(await b.recoverInFlight()).toBe(0);

    await crash(a);
    await sleep(1000); // past the claim's takeover throttle
    const taken = await b.claimSegments(messages[0].account, 10, T0);
    expect(taken.map((j) => j.messageId).sort()).toEqual(messages.map((m) => m.id).sort());
    expect(taken.every((j) => j.attempts === 2)).toBe(true);
    await b.recordSubmits(
      taken.map((j) => ({
        messageId: j.messageId,
        index: j.index,
        msgId: nextMsgId(),
        result: 0,
        at: T0 + 1,
      })),
    );
    await sleep(1000);
    expect(await b.claimSegments(messages[0].account, 10, T0 + 2)).toEqual([]);
    expect((await b.getMessage(messages[0].id))?.status).toBe('submitted');
  });

  it('a segment a dead node had re-queued keeps its turn when taken over', async () => {
    current = `${prefix}-${++n}`;
    const a = await node('node-a');
    const b = await node('node-b');
    const [m1, m2, m3] = [1, 2, 3].map((i) => newMessage({ to: `1380000000${i}` }));
    await a.insertMessages([m1, m2, m3]);
    expect((await a.claimSegments(m1.account, 1, T0)).map((j) => j.messageId)).toEqual([m1.id]);
    await a.requeueSegments([{ messageId: m1.id, index: 0 }]); // its link dropped
    await crash(a);
    await sleep(1000); // past the claim's takeover throttle
    const jobs = await b.claimSegments(m1.account, 1, T0);
    expect(jobs.map((j) => [j.messageId, j.attempts])).toEqual([[m1.id, 2]]);
    const rest = await b.claimSegments(m1.account, 10, T0);
    expect(rest.map((j) => j.messageId)).toEqual([m2.id, m3.id]);
    expect((await b.stats()).messagesByStatus).toEqual({ submitting: 3 });
  });

  it("recoverInFlight re-queues a dead node's entries, never a live one's", async () => {
    current = `${prefix}-${++n}`;
    const a = await node('node-a');
    const b = await node('node-b');
    const c = await node('node-c');
    const [m1, m2] = [newMessage({ to: '13800000001' }), newMessage({ to: '13800000002' })];
    await a.insertMessages([m1, m2]);
    expect(await a.claimSegments(m1.account, 1, T0)).toHaveLength(1);
    expect(await b.claimSegments(m1.account, 1, T0)).toHaveLength(1);
    await crash(a);
    expect(await c.recoverInFlight()).toBe(1);
    // The dead node's consumer is forgotten: the node that recovered its entry holds it now (a re-queued
    // segment keeps its entry, and with it its turn); the live ones stay.
    const redis = new Redis(REDIS_URL);
    const consumers = (await redis.xinfo('CONSUMERS', `{${current}}:q:${m1.account}:1`, 'gw')) as string[][];
    redis.disconnect();
    expect(consumers.map((c) => c[1]).sort()).toEqual(['node-b', 'node-c']);
    const again = await c.claimSegments(m1.account, 10, T0);
    expect(again.map((j) => [j.messageId, j.attempts])).toEqual([[m1.id, 2]]);
    expect((await c.stats()).messagesByStatus).toEqual({ submitting: 2 });
  });

  it('link leases: shared out, never above the limit, and a dead node’s pass to the survivors', async () => {
    current = `${prefix}-${++n}`;
    const [a, b, c] = [await node('node-a'), await node('node-b'), await node('node-c')];
    const slots = async (s: RedisStore, held: number[], grow: boolean) =>
      (await s.leases.sync('main', 2, held, grow)).held;
    // Three live nodes, limit 2: a share is one slot each; the third node gets none.
    expect(await slots(a, [], true)).toEqual([0]);
    expect(await slots(a, [0], true)).toEqual([0]);
    expect(await slots(b, [], true)).toEqual([1]);
    expect(await slots(c, [], true)).toEqual([]);
    // A slot is renewed only by its holder.
    expect(await slots(c, [0, 1], false)).toEqual([]);
    // Nobody holds more than the lower share (0 of 2 over 3): nobody is asked to give one back.
    expect((await a.leases.sync('main', 2, [0], false)).giveBack).toBe(false);

    await crash(a, () => slots(b, [1], false));
    expect(await slots(c, [], true)).toEqual([0]);
    expect(await slots(b, [1], true)).toEqual([1]);
    await b.leases.release('main', [1], false);
    // c is alone with b now (share 1 each): it takes the freed slot only once b is gone too.
    expect(await slots(c, [0], true)).toEqual([0]);
    await crash(b, () => slots(c, [0], false));
    expect(await slots(c, [0], true)).toEqual([0, 1]);

    // A lease not renewed in time is lost, and is not quietly taken again in the same call.
    await sleep(TTL + 50);
    expect(await slots(c, [0, 1], true)).toEqual([]);
    // On the next call, alone, c takes both at once.
    expect(await slots(c, [], true)).toEqual([0, 1]);
  });

  it('a node started later gets its share: the holder is asked to give a slot back, only while none is free', async () => {
    current = `${prefix}-${++n}`;
    const a = await node('node-a');
    // Alone, a node is owed every slot: it takes them in one call, not one per renewal.
    expect(await a.leases.sync('main', 2, [], true)).toEqual({ held: [0, 1], giveBack: false });

    const b = await node('node-b');
    expect(await b.leases.sync('main', 2, [], true)).toEqual({ held: [], giveBack: false });
    expect(await a.leases.sync('main', 2, [0, 1], false)).toEqual({ held: [0, 1], giveBack: true });
    await a.leases.release('main', [1], false);
    // A slot is free: b takes it on its next round, nobody is asked for another.
    expect(await a.leases.sync('main', 2, [0], false)).toEqual({ held: [0], giveBack: false });
    expect(await b.leases.sync('main', 2, [], true)).toEqual({ held: [1], giveBack: false });
    expect(await a.leases.sync('main', 2, [0], false)).toEqual({ held: [0], giveBack: false });
    expect(await b.leases.sync('main', 2, [1], false)).toEqual({ held: [1], giveBack: false });

    // Limit 4 over three nodes holding 2-2-0: the lower share is 1, so both holders are asked for one.
    const c = await node('node-c');
    await a.leases.release('main', [0], true);
    await b.leases.release('main', [1], true);
    // Three live nodes, limit 4: a node takes its lower share (1) at once, then one more per renewal.
    let held = { a: [] as number[], b: [] as number[] };
    held.a = (await a.leases.sync('main', 4, [], true)).held;
    expect(held.a).toHaveLength(1);
    for (let round = 0; round < 2; round++) {
      held = {
        a: (await a.leases.sync('main', 4, held.a, true)).held,
        b: (await b.leases.sync('main', 4, held.b, true)).held,
      };
    }
    expect([held.a.length, held.b.length]).toEqual([2, 2]);
    expect(await c.leases.sync('main', 4, [], true)).toEqual({ held: [], giveBack: false });
    expect((await a.leases.sync('main', 4, held.a, false)).giveBack).toBe(true);
    expect((await b.leases.sync('main', 4, held.b, false)).giveBack).toBe(true);
  });
});
