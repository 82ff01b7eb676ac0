import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { GatewayMetrics } from '../../gateway/metrics.js';

/**
 * GET /metrics in the Prometheus text format, behind `auth` when given; and every HTTP request's
 * latency by route (except routes in `untimed`: streams that stay open by design).
 */
export function metricsRoutes(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  auth: onRequestHookHandler | undefined,
  untimed: readonly string[],
): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (untimed.includes(route)) return;
    metrics.httpDuration.observe(
      { method: req.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get(
    '/metrics',
    { schema: { hide: true }, ...(auth ? { onRequest: auth } : {}) },
    async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
