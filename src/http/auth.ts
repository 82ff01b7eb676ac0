import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';

/**
 * The API key of a request: `Authorization: Bearer KEY`, HTTP Basic with the key as password (what PAP
 * Push Initiators send), or `X-API-Key: KEY`.
 */
export function apiKeyOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Requests per second per key, counted in one-second windows; 0 turns it off. Answers 401 without a valid
 * key and 429 over the rate.
 */
export function authenticate(
  keys: readonly string[],
  ratePerSecond: number,
  alsoFrom?: (req: FastifyRequest) => string | undefined,
) {
  const valid = new Set(keys);
  const windows = new Map<string, { second: number; count: number }>();
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const key = apiKeyOf(req) ?? alsoFrom?.(req);
    if (key === undefined || !valid.has(key)) {
      return reply
        .code(401)
        .send(
          errorBody(
            'unauthorized',
            'a valid API key is required (Authorization: Bearer KEY)',
            'authorization',
          ),
        );
    }
    if (ratePerSecond > 0) {
      const second = Math.floor(Date.now() / 1000);
      const w = windows.get(key);
      if (!w || w.second !== second) windows.set(key, { second, count: 1 });
      else if (++w.count > ratePerSecond) {
        reply.header('retry-after', '1');
        return reply
          .code(429)
          .send(errorBody('rate_limited', `more than ${ratePerSecond} requests per second for this key`));
      }
    }
  };
}
