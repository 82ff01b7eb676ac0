import { describe, expect, it } from 'vitest';
import {
  chinese,
  harnessPerTest,
  SERVICE_CODE,
  sleep,
  validSignature,
  WebhookReceiver,
  waitFor,
} from './harness.js';

/* Report and MO webhooks, end to end: simulator → CMPP DELIVER → SQLite outbox → signed POST. */

const harness = harnessPerTest();

describe('report webhooks', () => {
  it('an account without a webhook: a message with a callbackUrl gets its report there, the others none', async () => {
    const h = await harness({ webhook: false });
    const callback = await h.receiver();
    const silent = await h.api('POST', '/api/v1/messages', { to: '13800000211', text: 'no callback' });
    const called = await h.api('POST', '/api/v1/messages', {
      to: ['13800000212', '13800000213'],
      text: chinese(100),
      callbackUrl: `${callback.url}/cb`,
    });
    expect([silent.status, called.status]).toEqual([202, 202]);
    for (const id of [silent.body.id, ...called.body.map((a: { id: string }) => a.id)])
      await h.waitStatus(id, 'delivered');
    await waitFor(() => callback.of('report').length >= 2, 5000);
    await sleep(300);
    expect(
      callback
        .of('report')
        .map((r) => r.body.id)
        .sort(),
    ).toEqual(called.body.map((a: { id: string }) => a.id).sort());
    expect(h.count('webhooks', "status = 'delivered'")).toBe(2);
  });

  it('POSTs exactly one signed report per message when final: to callbackUrl if given, else the account webhookUrl', async () => {
    const h = await harness();
    const account = h.webhook!;
    const callback = await h.receiver();
    const plain = await h.api('POST', '/api/v1/messages', {
      to: ['13800000201', '13800000202'],
      text: chinese(150),
      clientRef: 'ref-201',
    });
    const called = await h.api('POST', '/api/v1/messages', {
      to: '13800000203',
      text: 'with a callback',
      callbackUrl: `${callback.url}/hooks/sms?x=1`,
    });
    expect(plain.status).toBe(202);
    expect(called.status).toBe(202);
    await waitFor(() => account.of('report').length >= 2 && callback.of('report').length >= 1, 5000);
    await sleep(300);

    expect(account.of('report')).toHaveLength(2);
    expect(callback.of('report')).toHaveLength(1);
    const [hook] = callback.of('report');
    expect(hook.path).toBe('/hooks/sms?x=1');
    expect(hook.body).toMatchObject({
      type: 'report',
      id: called.body.id,
      status: 'delivered',
      to: '13800000203',
    });
    expect(validSignature(hook)).toBe(true);
    expect(hook.headers['content-type']).toBe('application/json');

    const byId = new Map(account.of('report').map((r) => [r.body.id, r]));
    for (const a of plain.body) {
      const r = byId.get(a.id);
      expect(r, `report of ${a.id}`).toBeDefined();
      expect(validSignature(r!)).toBe(true);
      expect(r!.body).toMatchObject({ status: 'delivered', clientRef: 'ref-201', to: a.to });
      expect(r!.body.segments).toHaveLength(3);
      for (const s of r!.body.segments) expect(s).toMatchObject({ status: 'delivered', stat: 'DELIVRD' });
      const m = await h.message(a.id);
      expect(r!.body.segments.map((s: { msgId: string }) => s.msgId)).toEqual(m.segments.map((s) => s.msgId));
    }
    // A tampered body does not verify.
    expect(validSignature({ ...hook, raw: `${hook.raw} ` })).toBe(false);
  });

  it('retries a receiver that answers 500 twice, and stops once it answers 200', async () => {
    const h = await harness();
    const receiver = h.webhook!;
    receiver.respond = (_hook, n) => (n <= 2 ? 500 : 200);
    const res = await h.api('POST', '/api/v1/messages', { to: '13800000211', text: 'retry me' });
    await h.waitStatus(res.body.id, 'delivered');
    const started = Date.now();
    await waitFor(() => receiver.ok('report').length === 1, 6000, 'the third attempt');
    await sleep(300);
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(receiver.received.map((r) => r.headers['x-cmppgw-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
    expect(receiver.received.every((r) => validSignature(r))).toBe(true);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(h.count('webhooks', "status = 'delivered'")).toBe(1);
  });
});

describe('MO', () => {
  it('a short MO reaches the webhook once, signed, and is listed in GET /api/v1/mo', async () => {
    const h = await harness();
    const mo = await h.sim('POST', '/mo', { from: '13900000001', to: `${SERVICE_CODE}88`, text: 'TD' });
    expect(mo.status).toBe(200);
    expect(mo.body).toEqual({ delivered: 1, results: [0] });
    const receiver = h.webhook!;
    await waitFor(() => receiver.of('mo').length === 1, 3000, 'the MO webhook');
    await sleep(200);
    expect(receiver.of('mo')).toHaveLength(1);
    const [hook] = receiver.of('mo');
    expect(validSignature(hook)).toBe(true);
    expect(hook.body).toMatchObject({
      type: 'mo',
      account: 'main',
      from: '13900000001',
      to: `${SERVICE_CODE}88`,
      text: 'TD',
      parts: 1,
    });
    const list = await h.api('GET', '/api/v1/mo');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: hook.body.id, from: '13900000001', text: 'TD', parts: 1 });
  });

  it('MO routes: the longest matching extension after the service code picks the webhook, else the account one', async () => {
    const routed = await new WebhookReceiver().start();
    const longer = await new WebhookReceiver().start();
    try {
      const h = await harness({
        account: {
          moRoutes: [
            { extension: '88', webhookUrl: routed.url },
            { extension: '881', webhookUrl: longer.url },
          ],
        },
      });
      for (const to of [`${SERVICE_CODE}88`, `${SERVICE_CODE}8812`, `${SERVICE_CODE}77`, SERVICE_CODE])
        expect((await h.sim('POST', '/mo', { from: '13900000001', to, text: to })).status).toBe(200);
      const account = h.webhook!;
      await waitFor(() => routed.of('mo').length + longer.of('mo').length + account.of('mo').length === 4);
      expect(routed.of('mo').map((x) => x.body.to)).toEqual([`${SERVICE_CODE}88`]);
      expect(longer.of('mo').map((x) => x.body.to)).toEqual([`${SERVICE_CODE}8812`]);
      expect(
        account
          .of('mo')
          .map((x) => x.body.to)
          .sort(),
      ).toEqual([SERVICE_CODE, `${SERVICE_CODE}77`]);
    } finally {
      await routed.close();
      await longer.close();
    }
  });

  it('a long MO of 150 Chinese characters arrives in parts and is reassembled into one webhook and one record', async () => {
    const h = await harness();
    const text = chinese(150);
    const mo = await h.sim('POST', '/mo', { from: '13900000002', to: SERVICE_CODE, text });
    expect(mo.status).toBe(200);
    expect(mo.body).toEqual({ delivered: 3, results: [0, 0, 0] });
    const receiver = h.webhook!;
    await waitFor(() => receiver.of('mo').length === 1, 3000, 'the MO webhook');
    await sleep(200);
    expect(receiver.of('mo')).toHaveLength(1);
    const [hook] = receiver.of('mo');
    expect(validSignature(hook)).toBe(true);
    expect(hook.body).toMatchObject({ type: 'mo', from: '13900000002', to: SERVICE_CODE, text, parts: 3 });
    const list = await h.api('GET', '/api/v1/mo');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ text, parts: 3, msgFmt: 8 });
    // The parts were stored one by one and removed once the whole MO was kept.
    expect(h.count('mo_parts')).toBe(0);
    expect(h.count('mo')).toBe(1);
  });
});
