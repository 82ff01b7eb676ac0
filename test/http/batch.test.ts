import { afterEach, describe, expect, it } from 'vitest';
import { Harness, mobile } from '../gateway/harness.js';

/* A large batch is accepted in one request and stored whole. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('POST /api/v1/messages/batch', () => {
  it('accepts 10,000 messages with 202 and 10,000 results, all stored', async () => {
    h = await Harness.start();
    // Scheduled an hour ahead, so that the test measures the API and the store, not the ISMG.
    const sendAt = new Date(Date.now() + 3600_000).toISOString();
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      to: mobile(i),
      text: `batch message ${i}`,
      sendAt,
      clientRef: `b-${i}`,
    }));
    const res = await h.api('POST', '/api/v1/messages/batch', { messages });
    expect(res.status).toBe(202);
    expect(res.body.results).toHaveLength(10_000);
    const accepted: { id: string; to: string; status: string }[] = res.body.results.map(
      (r: { id: string; to: string; status: string }[]) => r[0],
    );
    expect(accepted.every((a, i) => a.status === 'queued' && a.to === mobile(i))).toBe(true);
    expect(new Set(accepted.map((a) => a.id)).size).toBe(10_000);
    expect(h.count('messages')).toBe(10_000);
    expect(h.count('messages', "status = 'queued'")).toBe(10_000);
    // The same batch again: idempotent by clientRef, nothing new stored.
    const again = await h.api('POST', '/api/v1/messages/batch', { messages: messages.slice(0, 100) });
    expect(again.status).toBe(202);
    expect(again.body.results.map((r: { id: string }[]) => r[0].id)).toEqual(
      accepted.slice(0, 100).map((a) => a.id),
    );
    expect(h.count('messages')).toBe(10_000);
    expect((await h.submits()).length).toBe(0);
  });
});
