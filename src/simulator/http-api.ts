import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ConfigReader, SimulatorConfigError } from './config-reader.js';
import { ControlError } from './control-error.js';
import { parseMoRequest } from './mo-request.js';
import type { Simulator } from './simulator.js';

const ACCOUNT_QUERY = {
  type: 'object',
  properties: { account: { type: 'string' } },
  additionalProperties: false,
} as const;

const SUBMITS_QUERY = {
  type: 'object',
  properties: {
    account: { type: 'string' },
    dest: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
  },
  additionalProperties: false,
} as const;

/** Every error answers `{ "error": "…" }`: 400 for a bad request, 404/503 from ControlError, 500 otherwise. */
function errorStatus(err: FastifyError | Error): number {
  if (err instanceof ControlError) return err.status;
  if (err instanceof SimulatorConfigError) return 400;
  const status = (err as FastifyError).statusCode;
  return status !== undefined && status >= 400 && status < 500 ? status : 500;
}

/**
 * The simulator's control API: introspection (GET /sessions, /stats, /submits, /faults), MO injection
 * (POST /mo) and faults at runtime (PUT /faults, POST /faults/malformed).
 */
export function buildControlApi(sim: Simulator): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setErrorHandler((err: FastifyError | Error, _request, reply) => {
    reply.code(errorStatus(err)).send({ error: err.message });
  });

  app.get('/sessions', async () => sim.sessions());
  app.get('/stats', async () => sim.statsJson());
  app.get<{ Querystring: { account?: string; dest?: string; limit: number } }>(
    '/submits',
    { schema: { querystring: SUBMITS_QUERY } },
    async (request) => sim.submits(request.query),
  );

  app.post('/mo', async (request) => sim.sendMo(parseMoRequest(ConfigReader.of(request.body, 'body'))));

  app.get('/faults', async () => sim.faults.settings);
  app.put('/faults', async (request) => sim.setFaults(request.body));
  app.post<{ Querystring: { account?: string } }>(
    '/faults/malformed',
    { schema: { querystring: ACCOUNT_QUERY } },
    async (request) => ({ links: sim.sendMalformed(request.query.account) }),
  );
  return app;
}
