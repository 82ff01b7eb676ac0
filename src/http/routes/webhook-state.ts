import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../gateway/errors.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { WebhookState } from '../../store/types.js';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function webhookJson(w: WebhookState) {
  return {
    ...w,
    createdAt: iso(w.createdAt),
    nextAttemptAt: iso(w.nextAttemptAt),
    deliveredAt: iso(w.deliveredAt),
  };
}

/** The outbox entry of a message's report webhook or an MO's webhook: state, attempts, last error. */
export function webhookStateRoutes(app: FastifyInstance, gateway: Gateway): void {
  const read = async (eventKey: string) => {
    const store = gateway.store;
    if (!store.webhookState)
      throw new GatewayError(501, 'not_implemented', 'this store backend cannot show webhook states');
    const state = await store.webhookState(eventKey);
    return { webhook: state ? webhookJson(state) : null };
  };
  app.get<{ Params: { id: string } }>(
    '/api/v1/messages/:id/webhook',
    {
      schema: {
        summary: "A message's report webhook: state, attempts, last error (null before it is final)",
      },
    },
    async (req) => {
      if (!(await gateway.getMessage(req.params.id)))
        throw new GatewayError(404, 'not_found', `no message ${req.params.id}`, 'id');
      return read(`report:${req.params.id}`);
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/mo/:id/webhook',
    { schema: { summary: "An MO's webhook: state, attempts, last error" } },
    (req) => read(`mo:${req.params.id}`),
  );
}
