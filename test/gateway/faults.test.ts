import { afterEach, describe, expect, it } from 'vitest';
import { Harness, mobile, sleep, waitFor } from './harness.js';

/* The ISMG misbehaving: reports before SUBMIT_RESP, links dropped in the middle of a window. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('ISMG faults', () => {
  it('a report that arrives before its SUBMIT_RESP is kept and matched: the message is delivered', async () => {
    h = await Harness.start({
      simulator: { reports: { delayMs: [0, 10] }, faults: { responseDelayMs: 200 } },
    });
    await h.linkUp();
    const res = await h.api('POST', '/api/v1/messages', {
      to: ['13800000301', '13800000302'],
      text: 'early',
    });
    expect(res.status).toBe(202);
    for (const a of res.body) {
      const m = await h.waitStatus(a.id, 'delivered', 4000);
      const [submit] = await h.submits(a.to);
      expect(m.segments[0]).toMatchObject({ msgId: submit.msgIds[0], stat: 'DELIVRD' });
    }
    const stats = await h.sim('GET', '/stats');
    expect(stats.body.accounts['900001'].faults.delayed).toBeGreaterThanOrEqual(2);
    expect(h.count('orphan_reports')).toBe(0);
  });

  it('the ISMG dropping the link in the middle of the window loses nothing: every message is delivered', async () => {
    h = await Harness.start({ simulator: { faults: { disconnectAfter: 8 } } });
    await h.linkUp();
    const to = Array.from({ length: 24 }, (_, i) => mobile(300 + i));
    const res = await h.api('POST', '/api/v1/messages', { to, text: 'through a flaky link' });
    expect(res.status).toBe(202);
    const harness = h;
    // Once the link has been dropped, let the next one live.
    await waitFor(
      async () => (await harness.sim('GET', '/stats')).body.accounts['900001'].faults.disconnected >= 1,
      5000,
      'the fault to hit',
    );
    await h.sim('PUT', '/faults', { disconnectAfter: 0 });
    await waitFor(
      () => h!.count('messages', "status = 'delivered'") === to.length,
      10_000,
      'every message to be delivered',
      50,
    );
    const stats = (await h.sim('GET', '/stats')).body.accounts['900001'];
    expect(stats.logins).toBeGreaterThanOrEqual(2);
    for (const a of res.body) {
      const m = await h.message(a.id);
      expect(m.status).toBe('delivered');
      // The Msg_Id kept is one the simulator issued for this recipient.
      const issued = (await h.submits(a.to)).flatMap((s) => s.msgIds);
      expect(issued).toContain(m.segments[0].msgId);
    }
    const receiver = h.webhook!;
    await waitFor(() => receiver.of('report').length >= to.length, 3000, 'every report webhook');
    await sleep(200);
    const reports = receiver.of('report');
    expect(reports).toHaveLength(to.length);
    expect(new Set(reports.map((r) => r.body.id)).size).toBe(to.length);
  });
});
