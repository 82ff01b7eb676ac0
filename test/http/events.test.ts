import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, type Harness as H, Harness, type Json, waitFor } from '../gateway/harness.js';

/* The dashboard's API: the live event stream and a message's webhook state. */

let h: H | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Reads GET /api/v1/events into `events` until `stop()`. */
async function stream(h: H): Promise<{ events: { name: string; data: Json }[]; stop(): void }> {
  const abort = new AbortController();
  const res = await fetch(`${h.url}/api/v1/events`, {
    headers: { authorization: `Bearer ${API_KEY}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const events: { name: string; data: Json }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const [event, data] = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        events.push({ name: event.slice('event: '.length), data: JSON.parse(data.slice('data: '.length)) });
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => abort.abort() };
}

describe('GET /api/v1/events', () => {
  it('needs the API key in a header (not in the query string)', async () => {
    h = await Harness.start();
    expect((await h.api('GET', '/api/v1/events', undefined, { key: null })).status).toBe(401);
    expect((await h.api('GET', `/api/v1/events?key=${API_KEY}`, undefined, { key: null })).status).toBe(401);
  });

  it('sends a snapshot, then ticks, link changes, message state changes, MO and webhook outcomes', async () => {
    h = await Harness.start();
    await h.linkUp();
    const s = await stream(h);
    const of = (name: string) => s.events.filter((e) => e.name === name).map((e) => e.data);
    const snapshot = await waitFor(() => of('snapshot')[0]);
    expect(snapshot.links).toEqual([
      expect.objectContaining({
        account: 'main',
        link: 0,
        state: 'up',
        window: 16,
        inFlight: 0,
        reason: null,
      }),
    ]);
    expect(snapshot.throughput).toHaveLength(300);
    expect(snapshot.store.queuedSegments).toBe(0);

    const sent = await h.api('POST', '/api/v1/messages', { to: '13800000001', text: 'hi' });
    await waitFor(() => of('message').some((m) => m.id === sent.body.id && m.status === 'delivered'));
    expect(
      of('message')
        .filter((m) => m.id === sent.body.id)
        .map((m) => m.status),
    ).toEqual(['queued', 'submitted', 'delivered']);
    await waitFor(() => of('webhook').some((w) => w.id === sent.body.id && w.type === 'report' && w.ok));
    await h.sim('POST', '/mo', { from: '13900000002', to: '1065900001', text: 'TD' });
    await waitFor(() => of('mo').some((m) => m.account === 'main'));
    const tick = await waitFor(() =>
      of('tick').find((t) => t.reportsByStat.DELIVRD === 1 && t.store.messagesByStatus.delivered === 1),
    );
    expect(tick.links[0]).toMatchObject({ state: 'up' });

    await h.stopSimulator();
    const down = await waitFor(() => of('link').find((l) => l.state === 'down'));
    expect(down).toMatchObject({ account: 'main', link: 0, reason: expect.any(String) });
    s.stop();
  });

  it('an open stream does not keep the server from closing', async () => {
    h = await Harness.start();
    const s = await stream(h);
    await waitFor(() => s.events.length > 0);
    await h.stopGateway();
  });
});

describe('GET /api/v1/messages/:id/webhook', () => {
  it('is 404 for an unknown message, null until the message is final, then the outbox state', async () => {
    h = await Harness.start();
    await h.linkUp();
    h.webhook!.respond = (_hook, n) => (n === 1 ? 503 : 200);
    expect((await h.api('GET', '/api/v1/messages/nope/webhook')).status).toBe(404);
    // A scheduled message is not final: no webhook yet.
    const later = new Date(Date.now() + 60_000).toISOString();
    const scheduled = await h.api('POST', '/api/v1/messages', {
      to: '13800000002',
      text: 'later',
      sendAt: later,
    });
    expect((await h.api('GET', `/api/v1/messages/${scheduled.body.id}/webhook`)).body).toEqual({
      webhook: null,
    });
    const sent = await h.api('POST', '/api/v1/messages', { to: '13800000001', text: 'hi' });
    const failed = await waitFor(async () => {
      const w = (await h!.api('GET', `/api/v1/messages/${sent.body.id}/webhook`)).body.webhook;
      return w?.lastError ? w : undefined;
    });
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'HTTP 503',
      url: h.webhook!.url,
    });
    expect(Date.parse(failed.nextAttemptAt)).toBeGreaterThan(Date.parse(failed.createdAt));
    const delivered = await waitFor(async () => {
      const w = (await h!.api('GET', `/api/v1/messages/${sent.body.id}/webhook`)).body.webhook;
      return w?.status === 'delivered' ? w : undefined;
    });
    expect(delivered).toMatchObject({ attempts: 2, nextAttemptAt: null, deliveredAt: expect.any(String) });
  });
});
