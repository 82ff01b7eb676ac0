import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../store/redis-keys.js';
import { GatewayNode } from './cluster-node.js';
import { mobile, SECRET, SERVICE_CODE, SP_ID, silent, waitFor } from './harness.js';

/*
 * Two gateway processes on one Redis, one simulator whose account allows 2 links. One node is killed
 * (SIGKILL) while the queue drains: every accepted message is still submitted and reported, duplicates
 * stay within the dead node's window, and the account never has more than 2 links at once.
 */

const MESSAGES = Number(process.env.CLUSTER_TEST_MESSAGES ?? 10_000);
const WINDOW = 16;
const API_KEY = 'cluster-key';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

describe('two nodes on one Redis', () => {
  it(`${MESSAGES} messages over both nodes, one killed mid-way: all delivered, duplicates ≤ its window, ≤ 2 links`, async () => {
    const simulator = new Simulator(
      {
        host: '127.0.0.1',
        port: 0,
        httpPort: 0,
        responseTimeoutMs: 1000,
        heartbeatIntervalMs: 0,
        accounts: { [SP_ID]: { secret: SECRET, serviceCode: SERVICE_CODE, maxConnections: 2 } },
        reports: { enabled: true, delayMs: [20, 200] },
      },
      { logger: silent },
    );
    await simulator.start();
    cleanup.push(() => simulator.stop());
    const dir = mkdtempSync(join(tmpdir(), 'cmppgw-cluster-'));
    const prefix = testPrefix();
    cleanup.push(async () => {
      rmSync(dir, { recursive: true, force: true });
      await deleteKeys(prefix);
    });
    const settings = {
      dir,
      store: `${REDIS_URL}?prefix=${prefix}`,
      ismgPort: simulator.cmppAddress.port,
      spId: SP_ID,
      secret: SECRET,
      serviceCode: SERVICE_CODE,
      apiKey: API_KEY,
      links: 2,
      window: WINDOW,
    };
    const nodes = await Promise.all(
      ['node-a', 'node-b'].map((nodeId) => GatewayNode.start({ ...settings, nodeId })),
    );
    for (const n of nodes) cleanup.push(() => n.kill());
    const [a, b] = nodes;
    const account = () => simulator.statsJson().accounts[SP_ID];
    // The leases share the 2 links out: one per node.
    await waitFor(() => account().sessionsUp === 2, 10_000, 'both nodes to hold a link');

    const ids: string[] = [];
    const batch = 500;
    for (let i = 0; i < MESSAGES; i += batch) {
      const node = (i / batch) % 2 === 0 ? a : b;
      const messages = Array.from({ length: Math.min(batch, MESSAGES - i) }, (_, k) => ({
        to: mobile(i + k),
        text: `cluster ${i + k}`,
      }));
      const res = await node.api<{ results: { id: string }[][] }>('POST', '/api/v1/messages/batch', {
        messages,
      });
      expect(res.status).toBe(202);
      ids.push(...res.body.results.map((r) => r[0].id));
    }
    expect(new Set(ids).size).toBe(MESSAGES);

    await waitFor(() => account().submits >= MESSAGES * 0.3, 30_000, '30% submitted');
    await b.kill('SIGKILL');
    const submitsAtKill = account().submits;
    expect(submitsAtKill).toBeLessThan(MESSAGES);

    let last: Record<string, number> = {};
    await waitFor(
      async () => {
        last = (await a.storeStats()).messagesByStatus;
        return last.delivered === MESSAGES;
      },
      40_000,
      `all ${MESSAGES} delivered (last: ${JSON.stringify(last)})`,
      200,
    );
    expect(last).toEqual({ delivered: MESSAGES });
    // Every accepted id is delivered (spot-check a spread of them through the survivor's API).
    for (const id of ids.filter((_, i) => i % 1000 === 0)) {
      const m = await a.api<{ status: string }>('GET', `/api/v1/messages/${id}`);
      expect(m.body.status).toBe('delivered');
    }

    const stats = account();
    const seen = JSON.stringify({ submitsAtKill, stats });
    // At least once: only what the killed node had on the wire (its one link's window) can repeat.
    expect(stats.submits, seen).toBeGreaterThanOrEqual(MESSAGES);
    expect(stats.submits - MESSAGES, seen).toBeLessThanOrEqual(WINDOW);
    // The ISMG's limit held throughout: never a third link, never a refused login.
    expect(stats.maxLinks, seen).toBe(2);
    expect(stats.loginsRefused, seen).toEqual({});
    // The survivor takes over the dead node's lease once it expires (nodeTtlMs 2 s), however early the
    // queue drained.
    await waitFor(() => account().sessionsUp === 2, 10_000, "the survivor to take the dead node's link");
    expect(account().maxLinks).toBe(2);
  }, 90_000);
});
