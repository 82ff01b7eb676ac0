import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../gateway/errors.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { WapPushRequest } from '../../gateway/ppg-json.js';
import { errorSchema, wapPushSchema } from '../schemas.js';
import { acceptedJson, pushJson } from '../views.js';

/** WAP Push without PAP: the JSON shortcut, and the push records with their per-address states. */
export function pushRoutes(app: FastifyInstance, gateway: Gateway): void {
  const view = (p: Parameters<typeof pushJson>[0]) => pushJson(p, (a) => gateway.ppg.stateOf(a));

  app.post<{ Body: WapPushRequest }>(
    '/api/v1/wap-push',
    {
      schema: {
        summary: 'Send a WAP Push SI or SL (compiled to WBXML, sent as binary SMS to port 2948)',
        body: wapPushSchema,
        response: { '4xx': errorSchema },
      },
    },
    async (req, reply) => {
      const { pushId, messages } = await gateway.ppg.pushJson(req.body);
      reply.code(202);
      return { pushId, messages: messages.map(acceptedJson) };
    },
  );

  app.get<{ Querystring: { account?: string; cursor?: string; limit: number } }>(
    '/api/v1/pushes',
    {
      schema: {
        summary: 'WAP pushes (PAP and JSON), newest first, with each address state',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            account: { type: 'string' },
            cursor: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const page = await gateway.store.listPushes(req.query);
      return { items: page.items.map(view), next: page.next };
    },
  );

  app.get<{ Params: { pushId: string } }>(
    '/api/v1/pushes/:pushId',
    { schema: { summary: 'One WAP push with each address state' } },
    async (req) => {
      const push = await gateway.store.getPush(req.params.pushId);
      if (!push) throw new GatewayError(404, 'not_found', `no push ${req.params.pushId}`, 'pushId');
      return view(push);
    },
  );
}
