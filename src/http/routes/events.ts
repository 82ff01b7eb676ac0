import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Telemetry, TelemetryEvents } from '../../gateway/telemetry.js';

export const EVENTS_PATH = '/api/v1/events';

/**
 * `message` events a stream carries per second at most: under load, thousands of messages change state
 * each second, and a dashboard follows one (its page also reloads on each tick until the message is final).
 */
const MESSAGE_EVENTS_PER_SECOND = 100;

/**
 * GET /api/v1/events: the dashboard's live feed as Server-Sent Events. First a `snapshot` (links, store
 * counts, the last minutes of throughput), then a `tick` every second, `link` on every link state change,
 * `message` when a message changes state (at most MESSAGE_EVENTS_PER_SECOND), `mo` when one arrives and `webhook` when a webhook attempt ends. It needs the API key like the rest of
 * /api/v1 (the dashboard reads it with fetch, so the key travels in a header, never in the URL).
 */
export function eventRoutes(app: FastifyInstance, telemetry: Telemetry): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.get(EVENTS_PATH, { schema: { summary: 'Live events (text/event-stream)' } }, async (_req, reply) => {
    const snapshot = await telemetry.snapshot();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('snapshot', snapshot);
    const names: (keyof TelemetryEvents)[] = ['tick', 'link', 'message', 'mo', 'webhook'];
    let second = 0;
    let messages = 0;
    const underCap = () => {
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) {
        second = now;
        messages = 0;
      }
      return ++messages <= MESSAGE_EVENTS_PER_SECOND;
    };
    const listeners = names.map(
      (name) => [name, (data: unknown) => (name !== 'message' || underCap()) && send(name, data)] as const,
    );
    for (const [name, fn] of listeners) telemetry.events.on(name, fn);
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      for (const [name, fn] of listeners) telemetry.events.off(name, fn);
    });
  });
}
