import { afterEach, describe, expect, it } from 'vitest';
import type { CmppClient } from '../../src/session/index.js';
import type { FaultSettings } from '../../src/simulator/index.js';
import { delay, waitFor } from '../session/helpers.js';
import { ACCOUNT, Harness, http, submitFields } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

/** Resolves with the reason the client's link went down. */
function down(client: CmppClient): Promise<string> {
  return new Promise((resolve) => client.once('down', resolve));
}

describe('fault injection', () => {
  it('a dropped SUBMIT_RESP makes the SP retransmit, and the retransmission gets the same Msg_Id', async () => {
    const sim = await h.simulator({ faults: { dropResponses: 1 } });
    const { client, delivers } = await h.connected(sim, { responseTimeoutMs: 300, maxTries: 3 });
    const pending = client.submit(submitFields());
    await waitFor(() => sim.stats.of(ACCOUNT).faults.dropped === 1);
    expect((await http(sim, 'PUT', '/faults', { dropResponses: 0 })).status).toBe(200);
    const { msgId, result } = await pending;
    expect(result).toBe(0);
    const retransmits = client.counters.retransmits;
    expect(retransmits).toBeGreaterThanOrEqual(1);
    const stats = sim.stats.of(ACCOUNT);
    expect([stats.submits, stats.retransmissions, stats.reports.scheduled]).toEqual([1, retransmits, 1]);
    const [record] = sim.submits();
    expect(sim.submits()).toHaveLength(1);
    expect(record.msgIds).toEqual([String(msgId)]);
    expect(record.retransmissions).toBe(retransmits);
    await waitFor(() => delivers.length === 1);
    await delay(50);
    expect(delivers).toHaveLength(1);
  });

  it('a retransmission whose first answer was sent is answered again without a second message', async () => {
    // A response delay longer than the SP's T: the SP resends while the first answer is still pending.
    const sim = await h.simulator({ faults: { responseDelayMs: 200 } });
    const { client } = await h.connected(sim, { responseTimeoutMs: 120, maxTries: 3 });
    const { msgId } = await client.submit(submitFields());
    expect(client.counters.retransmits).toBeGreaterThanOrEqual(1);
    expect(sim.submits().map((r) => r.msgIds)).toEqual([[String(msgId)]]);
    expect(sim.stats.of(ACCOUNT).retransmissions).toBe(client.counters.retransmits);
  });

  it('rejects every SUBMIT with the configured Result at fraction 1.0 (set at runtime)', async () => {
    const sim = await h.simulator();
    const { client, delivers } = await h.connected(sim);
    const put = await http<FaultSettings>(sim, 'PUT', '/faults', { rejectFraction: 1, rejectResult: 9 });
    expect(put.body).toMatchObject({ rejectFraction: 1, rejectResult: 9, dropResponses: 0 });
    expect((await http(sim, 'GET', '/faults')).body).toEqual(put.body);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.submit(submitFields())));
    expect(answers).toEqual(Array(5).fill({ msgId: 0n, result: 9 }));
    expect(sim.stats.of(ACCOUNT).faults.rejected).toBe(5);
    await delay(30);
    expect(delivers).toHaveLength(0);
  });

  it('delays every SUBMIT_RESP', async () => {
    const sim = await h.simulator({ faults: { responseDelayMs: 150 } });
    const { client } = await h.connected(sim);
    const started = Date.now();
    expect((await client.submit(submitFields())).result).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(sim.stats.of(ACCOUNT).faults.delayed).toBe(1);
  });

  it('closes the link right after answering its Nth SUBMIT', async () => {
    const sim = await h.simulator({ faults: { disconnectAfter: 3 } });
    const { client } = await h.connected(sim);
    const wentDown = down(client);
    for (let i = 0; i < 3; i++) expect((await client.submit(submitFields())).result).toBe(0);
    expect(await wentDown).toMatch(/closed by peer/);
    expect(sim.stats.of(ACCOUNT)).toMatchObject({ submits: 3, sessionsUp: 0, faults: { disconnected: 1 } });
  });

  it('closes the link after a SUBMIT with the configured probability', async () => {
    const sim = await h.simulator({ faults: { disconnectProbability: 1 } });
    const { client } = await h.connected(sim);
    const wentDown = down(client);
    expect((await client.submit(submitFields())).result).toBe(0);
    await wentDown;
    expect(client.state).toBe('down');
  });

  it('POST /faults/malformed writes a frame the SP cannot parse, so it closes the link', async () => {
    const sim = await h.simulator();
    const { client } = await h.connected(sim);
    const wentDown = down(client);
    expect(await http(sim, 'POST', `/faults/malformed?account=${ACCOUNT}`)).toEqual({
      status: 200,
      body: { links: 1 },
    });
    expect(await wentDown).toMatch(/^protocol error: Total_Length 5 is below 12/);
    expect(sim.stats.of(ACCOUNT).faults.malformed).toBe(1);
    expect((await http(sim, 'POST', '/faults/malformed')).status).toBe(503);
  });

  it('leaves ACTIVE_TEST unanswered when told to, so the SP gives up on the link', async () => {
    const sim = await h.simulator();
    const heartbeat = { heartbeatIntervalMs: 100, responseTimeoutMs: 150, maxTries: 2 };
    const { client } = await h.connected(sim, heartbeat);
    await delay(300);
    expect(client.state).toBe('up');
    expect(client.counters.heartbeatsSent).toBeGreaterThan(0);
    const wentDown = down(client);
    sim.setFaults({ ignoreActiveTest: true });
    expect(await wentDown).toBe('no answer to 2 ACTIVE_TESTs');
    expect(sim.stats.of(ACCOUNT).faults.activeTestIgnored).toBe(2);
    // A link that logs in while the fault is on is not answered either.
    const next = (await h.connected(sim, heartbeat)).client;
    expect(await down(next)).toBe('no answer to 2 ACTIVE_TESTs');
  });
});
