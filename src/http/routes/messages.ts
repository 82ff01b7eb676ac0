import type { FastifyInstance } from 'fastify';
import type { SendRequest } from '../../gateway/compose.js';
import { GatewayError, invalid } from '../../gateway/errors.js';
import type { Gateway } from '../../gateway/gateway.js';
import { MESSAGE_STATUSES } from '../../store/status.js';
import type { MessageStatus } from '../../store/types.js';
import { acceptedSchema, errorSchema, messageSchema, sendRequestSchema } from '../schemas.js';
import { acceptedJson, messageJson, moJson } from '../views.js';

const MAX_BATCH = 50_000;

function since(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid('since', 'since must be an ISO 8601 time');
  return t;
}

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: MESSAGE_STATUSES },
    to: { type: 'string' },
    account: { type: 'string' },
    clientRef: { type: 'string' },
    since: { type: 'string' },
    cursor: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

export function messageRoutes(app: FastifyInstance, gateway: Gateway, batchBodyLimit: number): void {
  app.post<{ Body: SendRequest }>(
    '/api/v1/messages',
    {
      schema: {
        summary: 'Send a message to one or more recipients',
        body: sendRequestSchema,
        response: {
          202: { anyOf: [acceptedSchema, { type: 'array', items: acceptedSchema }] },
          '4xx': errorSchema,
        },
      },
    },
    async (req, reply) => {
      const [stored] = await gateway.send([req.body]);
      const accepted = stored.map((s) => acceptedJson(s.message));
      reply.code(202);
      return typeof req.body.to === 'string' ? accepted[0] : accepted;
    },
  );

  app.post<{ Body: { messages: SendRequest[] } }>(
    '/api/v1/messages/batch',
    {
      bodyLimit: batchBodyLimit,
      schema: {
        summary: 'Send many messages in one request (all stored, or none when one is invalid)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['messages'],
          properties: {
            messages: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: sendRequestSchema },
          },
        },
      },
    },
    async (req, reply) => {
      let stored: Awaited<ReturnType<Gateway['send']>>;
      try {
        stored = await gateway.send(req.body.messages);
      } catch (err) {
        if (err instanceof GatewayError) throw await batchError(err, req.body.messages, gateway);
        throw err;
      }
      reply.code(202);
      return { results: stored.map((s) => s.map((m) => acceptedJson(m.message))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/messages/:id',
    {
      schema: {
        summary: 'A message with its segments and reports',
        response: { 200: messageSchema, '4xx': errorSchema },
      },
    },
    async (req) => {
      const m = await gateway.getMessage(req.params.id);
      if (!m) throw new GatewayError(404, 'not_found', `no message ${req.params.id}`, 'id');
      return messageJson(m);
    },
  );

  app.get<{
    Querystring: {
      status?: MessageStatus;
      to?: string;
      account?: string;
      clientRef?: string;
      since?: string;
      cursor?: string;
      limit: number;
    };
  }>(
    '/api/v1/messages',
    { schema: { summary: 'List messages, newest first, with cursor pagination', querystring: listQuery } },
    async (req) => {
      const page = await gateway.listMessages({ ...req.query, since: since(req.query.since) });
      return { items: page.items.map(messageJson), next: page.next };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/messages/:id',
    { schema: { summary: 'Cancel a message that is still queued or scheduled' } },
    async (req) => messageJson(await gateway.cancel(req.params.id)),
  );

  app.get<{ Querystring: { account?: string; since?: string; cursor?: string; limit: number } }>(
    '/api/v1/mo',
    {
      schema: {
        summary: 'Received (MO) messages, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            account: { type: 'string' },
            since: { type: 'string' },
            cursor: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const page = await gateway.listMo({ ...req.query, since: since(req.query.since) });
      return { items: page.items.map(moJson), next: page.next };
    },
  );

  app.get('/api/v1/stats', { schema: { summary: 'Counts by status, queue depth, links' } }, () =>
    gateway.stats(),
  );
}

/** Names the failing message of a batch: `messages[i].field`. */
async function batchError(
  err: GatewayError,
  messages: SendRequest[],
  gateway: Gateway,
): Promise<GatewayError> {
  for (let i = 0; i < messages.length; i++) {
    try {
      gateway.validate(messages[i]);
    } catch (e) {
      if (e instanceof GatewayError)
        return new GatewayError(
          e.status,
          e.code,
          `messages[${i}]: ${e.message}`,
          `messages[${i}].${e.field}`,
        );
    }
  }
  return err;
}
