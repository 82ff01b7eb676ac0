import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway/gateway.js';
import type { TraceLevel } from '../../gateway/link-probe.js';
import { errorSchema } from '../schemas.js';

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'debug', 'trace'];

const traceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['account', 'level'],
  properties: {
    account: { type: 'string', minLength: 1 },
    level: { type: 'string', enum: TRACE_LEVELS },
  },
} as const;

/** Operator switches: PDU tracing per account, at runtime. */
export function adminRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/api/v1/admin/trace', { schema: { summary: 'PDU tracing level of every account' } }, async () => ({
    items: gateway.traces(),
  }));

  app.put<{ Body: { account: string; level: TraceLevel } }>(
    '/api/v1/admin/trace',
    {
      schema: {
        summary: "Switch an account's PDU tracing: off, debug (decoded PDUs), trace (also hex)",
        body: traceSchema,
        response: { 200: traceSchema, '4xx': errorSchema },
      },
    },
    async (req) => gateway.setTrace(req.body.account, req.body.level),
  );
}
