import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/gateway/logging.js';
import { lazyRequestLogger } from '../../src/http/request-logger.js';

/* A request's logger is made when a handler logs through it, and then logs like Fastify's own child. */

type Line = Record<string, unknown>;
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function app() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('info', sink);
  let children = 0;
  // Counted on the logger its children inherit from: a child's own child must still come from the child.
  const child = logger.child;
  logger.child = function (this: typeof logger, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof logger.child;
  const fastify = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
  });
  fastify.get('/quiet', async () => ({ ok: true }));
  fastify.get('/loud', async (req) => {
    req.log.warn({ to: '13800138000' }, 'something to say');
    req.log.child({ part: 'inner' }).info('from a child');
    return { level: req.log.level };
  });
  await fastify.ready();
  children = 0; // the loggers Fastify makes while it starts
  close = () => fastify.close();
  return { fastify, lines, children: () => children };
}

describe('request logger', () => {
  it('costs nothing for a request that does not log', async () => {
    const { fastify, lines, children } = await app();
    for (let i = 0; i < 3; i++) expect((await fastify.inject('/quiet')).statusCode).toBe(200);
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('logs with the request id and the gateway logger’s masking; children and level work', async () => {
    const { fastify, lines, children } = await app();
    const res = await fastify.inject('/loud');
    expect(res.json()).toEqual({ level: 'info' });
    expect(children()).toBe(2); // the request's, and the one its handler asked for
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, reqId: 'req-1', to: '138****8000', msg: 'something to say' });
    expect(lines[1]).toMatchObject({ level: 30, reqId: 'req-1', part: 'inner', msg: 'from a child' });
  });
});
