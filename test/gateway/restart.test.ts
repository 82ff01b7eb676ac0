import { afterEach, describe, expect, it } from 'vitest';
import { Harness, mobile, waitFor } from './harness.js';

/* No message lost and no report webhook repeated when the gateway is stopped in the middle of a load. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('restart under load', () => {
  it('300 messages, the gateway closed while submitting and started again on the same DB: all delivered, one report each', async () => {
    // 150 SUBMITs/s keeps the load going for ~2 s, so the stop lands in the middle of it.
    h = await Harness.start({ account: { rateLimit: 150 } });
    await h.linkUp();
    const messages = Array.from({ length: 300 }, (_, i) => ({ to: mobile(1000 + i), text: `load ${i}` }));
    const res = await h.api('POST', '/api/v1/messages/batch', { messages });
    expect(res.status).toBe(202);
    const ids: string[] = res.body.results.map((r: { id: string }[]) => r[0].id);
    expect(new Set(ids).size).toBe(300);

    const harness = h;
    await waitFor(
      async () => (await harness.sim('GET', '/stats')).body.accounts['900001'].submits >= 60,
      5000,
      '60 SUBMITs',
    );
    await h.restart(0);
    const before = h.count('messages', "status = 'delivered'");
    expect(before).toBeLessThan(300);

    await waitFor(
      () => harness.count('messages', "status = 'delivered'") === 300,
      15_000,
      'all 300 delivered',
      100,
    );
    const receiver = h.webhook!;
    await waitFor(
      () => new Set(receiver.of('report').map((r) => r.body.id)).size === 300,
      5000,
      '300 reports',
    );
    await new Promise((r) => setTimeout(r, 300));
    const reports = receiver.of('report');
    const perId = new Map<string, number>();
    for (const r of reports) perId.set(r.body.id, (perId.get(r.body.id) ?? 0) + 1);
    const repeated = [...perId].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    expect(reports).toHaveLength(300);
    expect(new Set(perId.keys())).toEqual(new Set(ids));
    expect(reports.every((r) => r.body.status === 'delivered')).toBe(true);

    // At least once toward the ISMG: a SUBMIT in flight at the stop may have been sent twice, never more
    // than the window.
    const submits = (await h.sim('GET', '/stats')).body.accounts['900001'].submits;
    expect(submits).toBeGreaterThanOrEqual(300);
    expect(submits - 300).toBeLessThanOrEqual(16);
  });

  it('a webhook that became due while the gateway was stopping is not POSTed after the stop, nor twice', async () => {
    h = await Harness.start();
    await h.linkUp();
    const receiver = h.webhook!;
    // The first report's POST is answered slowly, so that the outbox is busy when close() begins.
    receiver.holdMs = (_hook, n) => (n === 1 ? 600 : 0);
    const a = await h.api('POST', '/api/v1/messages', { to: '13800000401', text: 'first' });
    await waitFor(() => receiver.received.length === 1, 5000, 'the first report POST');
    const b = await h.api('POST', '/api/v1/messages', { to: '13800000402', text: 'second' });
    await h.waitStatus(b.body.id, 'delivered');
    expect(receiver.received).toHaveLength(1);

    await h.stopGateway(0);
    const postedAtStop = receiver.received.length;
    // Whatever the receiver got, the closed gateway's DB says was delivered.
    const delivered = h.count('webhooks', "status = 'delivered'");
    expect(delivered).toBe(postedAtStop);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(postedAtStop);

    await h.startGateway();
    await waitFor(() => receiver.of('report').length >= 2, 5000, 'both reports');
    // Past the outbox lease (2 × webhooks.timeoutMs): a leased, unrecorded POST would be repeated by now.
    await new Promise((r) => setTimeout(r, 2500));
    const ids = receiver.of('report').map((r) => r.body.id);
    expect(ids.sort()).toEqual([a.body.id, b.body.id].sort());
  });
});
