import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway/gateway.js';

/** Liveness (the process answers) and readiness (store open, at least one link per account up). */
export function healthRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ready = gateway.ready();
    reply.code(ready ? 200 : 503);
    return { ready, links: gateway.links() };
  });
}
