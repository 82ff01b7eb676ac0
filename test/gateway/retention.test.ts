import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

/* Retention end to end: the gateway's sweeper deletes what is done with and older than retentionDays. */

const harness = harnessPerTest();
const DAY = 24 * 3600_000;

describe('retention', () => {
  it('deletes delivered messages older than retentionDays; a scheduled one stays; a clientRef is free again', async () => {
    const h = await harness({ gateway: { retentionDays: 30 }, webhook: false });
    const done = await h.api('POST', '/api/v1/messages', {
      to: '13800000301',
      text: 'old',
      clientRef: 'r-1',
    });
    const later = new Date(Date.now() + 60 * DAY).toISOString();
    const held = await h.api('POST', '/api/v1/messages', { to: '13800000302', text: 'later', sendAt: later });
    expect([done.status, held.status]).toEqual([202, 202]);
    await h.waitStatus(done.body.id, 'delivered');

    const gateway = h.gateway!;
    // Nothing is 30 days old yet.
    expect(await gateway.retention.sweep()).toBe(0);
    expect((await h.api('GET', `/api/v1/messages/${done.body.id}`)).status).toBe(200);

    // 31 days on: the delivered message goes, the one still scheduled stays.
    expect(await gateway.retention.sweep(Date.now() + 31 * DAY)).toBe(1);
    expect((await h.api('GET', `/api/v1/messages/${done.body.id}`)).status).toBe(404);
    expect((await h.api('GET', `/api/v1/messages/${held.body.id}`)).body).toMatchObject({ status: 'queued' });
    const stats = await h.api('GET', '/api/v1/stats');
    expect(stats.body.store.messagesByStatus).toEqual({ queued: 1 });

    // The idempotency key went with the message: the same clientRef is a new message now.
    const again = await h.api('POST', '/api/v1/messages', {
      to: '13800000301',
      text: 'old',
      clientRef: 'r-1',
    });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(done.body.id);
  });

  it('retentionDays 0 keeps everything', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', { to: '13800000303', text: 'kept' });
    await h.waitStatus(res.body.id, 'delivered');
    h.gateway!.retention.start();
    expect(await h.gateway!.retention.sweep(Date.now() + 10_000 * DAY)).toBe(0);
    expect((await h.api('GET', `/api/v1/messages/${res.body.id}`)).status).toBe(200);
  });
});
