import { describe, expect, it } from 'vitest';
import { harnessPerTest, sleep, waitFor } from '../gateway/harness.js';

/* Scheduled sending (sendAt), expiry (validUntil) and cancellation, end to end. */

const harness = harnessPerTest();

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('sendAt and validUntil', () => {
  it('a message scheduled 1.5 s ahead is not submitted before sendAt and is delivered after it', async () => {
    const h = await harness();
    const sendAt = Date.now() + 1500;
    const res = await h.api('POST', '/api/v1/messages', {
      to: '13800000101',
      text: 'later',
      sendAt: new Date(sendAt).toISOString(),
    });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    await sleep(1000);
    expect(await h.submits('13800000101')).toHaveLength(0);
    expect((await h.message(res.body.id)).status).toBe('queued');
    const m = await h.waitStatus(res.body.id, 'delivered', 4000);
    const [submit] = await h.submits('13800000101');
    expect(Date.parse(submit.at)).toBeGreaterThanOrEqual(sendAt);
    expect(m.sendAt).toBe(new Date(sendAt).toISOString());
  });

  it('rejects sendAt after validUntil with 400 and stores nothing', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', {
      to: '13800000102',
      text: 'never',
      sendAt: inMs(60_000),
      validUntil: inMs(30_000),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', field: 'sendAt' });
    expect(h.count('messages')).toBe(0);
  });

  it('a message that cannot be sent before validUntil (ISMG down) expires and its report webhook fires', async () => {
    const h = await harness();
    await h.stopSimulator();
    await waitFor(() => !h.gateway?.ready(), 3000, 'the link to go down');
    const validUntil = inMs(1000);
    const res = await h.api('POST', '/api/v1/messages', {
      to: '13800000103',
      text: 'too late',
      validUntil,
    });
    expect(res.status).toBe(202);
    const m = await h.waitStatus(res.body.id, 'expired', 4000);
    expect(Date.parse(String(m.updatedAt))).toBeGreaterThanOrEqual(Date.parse(validUntil));
    expect(m.segments[0]).toMatchObject({ status: 'expired', msgId: null });
    const webhook = h.webhook!;
    const [hook] = await waitFor(
      () => (webhook.of('report').length > 0 ? webhook.of('report') : undefined),
      3000,
    );
    expect(hook.body).toMatchObject({ type: 'report', id: res.body.id, status: 'expired' });
    await sleep(200);
    expect(webhook.of('report')).toHaveLength(1);
  });
});

describe('DELETE /api/v1/messages/:id', () => {
  it('cancels a scheduled message, which is then never submitted', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', {
      to: '13800000111',
      text: 'cancel me',
      sendAt: inMs(800),
    });
    const del = await h.api('DELETE', `/api/v1/messages/${res.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: res.body.id, status: 'cancelled' });
    expect(del.body.segments[0].status).toBe('cancelled');
    await sleep(1200);
    expect(await h.submits('13800000111')).toHaveLength(0);
    expect((await h.message(res.body.id)).status).toBe('cancelled');
    // Cancelling twice is harmless.
    expect((await h.api('DELETE', `/api/v1/messages/${res.body.id}`)).status).toBe(200);
  });

  it('answers 409 once the message was sent, and 404 for an unknown id', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', { to: '13800000112', text: 'gone' });
    await h.waitStatus(res.body.id, 'delivered');
    const del = await h.api('DELETE', `/api/v1/messages/${res.body.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'too_late' });
    expect((await h.message(res.body.id)).status).toBe('delivered');
    const missing = await h.api('DELETE', '/api/v1/messages/nosuchmessage');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await h.api('GET', '/api/v1/messages/nosuchmessage')).status).toBe(404);
  });
});
