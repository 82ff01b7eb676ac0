import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway/gateway.js';
import { buildPap } from '../../wap/index.js';
import { apiKeyOf } from '../auth.js';
import { trustedNetworks } from '../trusted.js';

export interface PapRouteOptions {
  path: string;
  trustedNetworks: string[];
  apiKeys: string[];
}

const XML = 'application/xml';

/**
 * The PPG's PAP endpoint: PAP documents in (multipart/related or bare XML), PAP documents out. Push
 * Initiators authenticate with an API key (Bearer, or Basic with the key as password) or come from a
 * trusted network, like Kannel's trusted-pi.
 */
export async function papRoutes(app: FastifyInstance, gateway: Gateway, o: PapRouteOptions): Promise<void> {
  const trusted = trustedNetworks(o.trustedNetworks);
  const keys = new Set(o.apiKeys);
  await app.register(async (pap) => {
    // The PPG reads every body itself: a wrong content type is a PAP error (2000), not an HTTP 415.
    pap.removeAllContentTypeParsers();
    pap.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    pap.addHook('onRequest', async (req, reply) => {
      // The key first: a set lookup, where the network check parses the address on every request.
      const key = apiKeyOf(req);
      if ((key !== undefined && keys.has(key)) || trusted(req.ip)) return;
      reply
        .code(401)
        .header('www-authenticate', 'Basic realm="cmppgw PPG"')
        .type(XML)
        .send(
          buildPap({
            type: 'badmessage-response',
            code: 2001,
            desc: 'Forbidden: an API key (Bearer, or Basic password) or a trusted network is required',
          }),
        );
    });
    pap.post(o.path, { schema: { hide: true } }, async (req, reply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await gateway.ppg.handle(body, req.headers['content-type']);
      reply.code(answer.status).type(XML);
      return buildPap(answer.control);
    });
  });
}
