import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/gateway.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../store/redis-keys.js';
import { Harness, SECRET, SERVICE_CODE, SP_ID, silent, waitFor } from './harness.js';

/* Two gateways on one Redis, an account allowing one link: one node holds it, both are ready, and the
 * link moves to the other node when its holder stops. */

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

describe('link leases across gateways', () => {
  it('one link for the account: held by one node, both ready, taken over when the holder stops', async () => {
    h = await Harness.start({
      startGateway: false,
      simulator: { accounts: { [SP_ID]: { secret: SECRET, serviceCode: SERVICE_CODE, maxConnections: 1 } } },
      account: { links: 1 },
    });
    const config = h.config();
    for (const nodeId of ['node-a', 'node-b']) {
      const store = await RedisStore.open(REDIS_URL, { prefix, nodeId, nodeTtlMs: 900, claimIdleMs: 300 });
      const g = new Gateway(config, store, silent);
      gateways.push(g);
      await g.start();
    }
    const account = () => h!.simulator.statsJson().accounts[SP_ID];
    const up = () => gateways.map((g) => g.links().filter((l) => l.state === 'up').length);
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
});
