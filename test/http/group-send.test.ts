import { afterEach, describe, expect, it } from 'vitest';
import { Harness, mobile } from '../gateway/harness.js';

/* Group sending: without reports, recipients of the same content share SUBMITs (DestUsr_tl < 100). */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('group SUBMITs for messages without reports', () => {
  it('sends 120 recipients of one request as two SUBMITs (99 + 21) with consecutive Msg_Ids', async () => {
    h = await Harness.start();
    await h.linkUp();
    const to = Array.from({ length: 120 }, (_, i) => mobile(i));
    const res = await h.api('POST', '/api/v1/messages', { to, text: 'group notice', report: false });
    expect(res.status).toBe(202);
    const ids: string[] = res.body.map((m: { id: string }) => m.id);
    const messages = await Promise.all(ids.map((id) => h!.waitStatus(id, 'submitted')));

    const submits = (await h.submits()).filter((s) => s.text === 'group notice');
    const sizes = submits.map((s) => s.pdu.fields.DestUsr_tl as number);
    expect(sizes).toHaveLength(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(99);
    expect(sizes[0] + sizes[1]).toBe(120);
    for (const s of submits) expect(s.pdu.fields.Registered_Delivery).toBe(0);

    // Each message got the Msg_Id the simulator assigned to its position in its SUBMIT.
    const assigned = new Map<string, string>();
    for (const s of submits) {
      for (const [k, dest] of (s.pdu.fields.Dest_terminal_Id as string[]).entries())
        assigned.set(dest, s.msgIds[k]);
    }
    for (const m of messages) {
      expect(m.segments[0].msgId).toBe(assigned.get(m.to));
      expect(m.status).toBe('submitted');
    }
    expect(new Set(messages.map((m) => m.segments[0].msgId)).size).toBe(120);
  });

  it('keeps one SUBMIT per recipient when reports are asked for', async () => {
    h = await Harness.start();
    await h.linkUp();
    const to = [mobile(1), mobile(2), mobile(3)];
    const res = await h.api('POST', '/api/v1/messages', { to, text: 'with reports', report: true });
    await Promise.all(res.body.map((m: { id: string }) => h!.waitStatus(m.id, 'delivered')));
    const submits = (await h.submits()).filter((s) => s.text === 'with reports');
    expect(submits.map((s) => s.pdu.fields.DestUsr_tl)).toEqual([1, 1, 1]);
  });
});
