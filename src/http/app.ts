import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Gateway } from '../gateway/gateway.js';
import { authenticate } from './auth.js';
import { handleError } from './errors.js';
import { lazyRequestLogger } from './request-logger.js';
import { adminRoutes } from './routes/admin.js';
import { compatRoutes } from './routes/compat.js';
import { EVENTS_PATH, eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { messageRoutes } from './routes/messages.js';
import { metricsRoutes } from './routes/metrics.js';
import { papRoutes } from './routes/pap.js';
import { pushRoutes } from './routes/pushes.js';
import { webhookStateRoutes } from './routes/webhook-state.js';
import { dashboard } from './static.js';

export interface HttpOptions {
  apiKeys: string[];
  rateLimit: number;
  bodyLimit: number;
  logger: Logger;
  /** GET /metrics open to anyone who reaches the port, or only with an API key (the default). */
  metricsAuth?: 'open' | 'apiKey';
  /** The PAP endpoint (default `/pap`, no trusted networks). */
  pap?: { path: string; trustedNetworks: string[] };
}

/**
 * The gateway's HTTP API: REST under /api/v1, the cmpp-gateway compatible /submit, health, metrics, the
 * dashboard at /, OpenAPI at /docs.
 */
export async function buildApp(gateway: Gateway, o: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: o.bodyLimit,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url}` } });
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'cmppgw', version: '1', description: 'CMPP 2.0/3.0 SMS gateway API' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  healthRoutes(app, gateway);
  const keyOnly = authenticate(o.apiKeys, o.rateLimit);
  metricsRoutes(app, gateway.metrics, o.metricsAuth === 'open' ? undefined : keyOnly, [EVENTS_PATH]);
  await dashboard(app);
  await papRoutes(app, gateway, { path: '/pap', trustedNetworks: [], ...o.pap, apiKeys: o.apiKeys });
  await app.register(async (api) => {
    api.addHook(
      'onRequest',
      authenticate(o.apiKeys, o.rateLimit, (req) => (req.query as { key?: string }).key),
    );
    messageRoutes(api, gateway, Math.max(o.bodyLimit, 64 * 1024 * 1024));
    compatRoutes(api, gateway);
    pushRoutes(api, gateway);
  });
  await app.register(async (api) => {
    api.addHook('onRequest', keyOnly);
    eventRoutes(api, gateway.telemetry);
    webhookStateRoutes(api, gateway);
    adminRoutes(api, gateway);
  });
  return app;
}
