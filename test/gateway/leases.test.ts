import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/gateway.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../store/redis-keys.js';
import { Harness, mobile, SECRET, SERVICE_CODE, SP_ID, silent, sleep, waitFor } from './harness.js';

/* Two gateways on one Redis: an account allowing one link is held by one node, both are ready, and the
 * link moves to the other node when its holder stops; a node started later gets its share of two links. */

let h: Harness | undefined;
let gateways: Gateway[] = [];
const prefix = testPrefix();
afterEach(async () => {
  for (const g of gateways) await g.close(0);
  gateways = [];
  await h?.close();
  h = undefined;
  await deleteKeys(prefix);
});

async function node(nodeId: string): Promise<Gateway> {
  const store = await RedisStore.open(REDIS_URL, { prefix, nodeId, nodeTtlMs: 900, claimIdleMs: 300 });
  const g = new Gateway((h as Harness).config(), store, silent);
  gateways.push(g);
  await g.start();
  return g;
}

const linksUp = (g: Gateway) => g.links().filter((l) => l.state === 'up').length;

describe('link leases across gateways', () => {
  it('one link for the account: held by one node, both ready, taken over when the holder stops', async () => {
    h = await Harness.start({
      startGateway: false,
      simulator: { accounts: { [SP_ID]: { secret: SECRET, serviceCode: SERVICE_CODE, maxConnections: 1 } } },
      account: { links: 1 },
    });
    for (const nodeId of ['node-a', 'node-b']) await node(nodeId);
    const account = () => h!.simulator.statsJson().accounts[SP_ID];
    const up = () => gateways.map(linksUp);
    await waitFor(() => account().sessionsUp === 1, 5000, 'one link');
    await waitFor(() => gateways.every((g) => g.ready()), 3000, 'both nodes ready');
    expect(up().sort()).toEqual([0, 1]);

    const holder = gateways[up().indexOf(1)];
    const other = gateways.find((g) => g !== holder)!;
    gateways = gateways.filter((g) => g !== holder);
    await holder.close(0); // gives its lease back
    await waitFor(() => other.links().some((l) => l.state === 'up'), 5000, 'the other node to take the link');
    expect(account().maxLinks).toBe(1);
    expect(account().loginsRefused).toEqual({});
  });

  it('a node started later gets one of two links: the holder drains it and hands it over, no message lost or sent twice', async () => {
    h = await Harness.start({
      startGateway: false,
      simulator: { accounts: { [SP_ID]: { secret: SECRET, serviceCode: SERVICE_CODE, maxConnections: 2 } } },
      account: { links: 2 },
    });
    const a = await node('node-a');
    await waitFor(() => linksUp(a) === 2, 5000, 'node a holding both links');

    // Messages keep coming through node a while the link changes hands.
    const ids: string[] = [];
    let sending = true;
    const load = (async () => {
      for (let i = 0; sending; i++) {
        const [[stored]] = await a.send([{ to: mobile(i), text: `handover ${i}` }]);
        ids.push(stored.message.id);
        await sleep(5);
      }
    })();
    await sleep(300);
    const b = await node('node-b');
    await waitFor(() => linksUp(a) === 1 && linksUp(b) === 1, 8000, 'one link on each node');
    await sleep(300);
    sending = false;
    await load;

    // Messages posted to node b are delivered too (by whichever node claims them).
    const burst = await b.send(
      Array.from({ length: 20 }, (_, i) => ({ to: mobile(10_000 + i), text: `b ${i}` })),
    );
    ids.push(...burst.map(([stored]) => stored.message.id));
    for (const id of ids)
      await waitFor(async () => (await a.getMessage(id))?.status === 'delivered', 5000, id);
    const submits = await h.submits();
    // Nothing was lost or sent twice, and the ISMG never saw more than its 2 links.
    expect(submits).toHaveLength(ids.length);
    expect(new Set(submits.map((s) => s.text)).size).toBe(ids.length);
    const account = h.simulator.statsJson().accounts[SP_ID];
    expect(account.maxLinks).toBe(2);
    expect(account.loginsRefused).toEqual({});
  });
});
