import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../gateway/errors.js';
import type { Gateway } from '../../gateway/gateway.js';

interface CompatParams {
  src?: string;
  dest?: string;
  cont?: string;
}

/**
 * The Go cmpp-gateway's interface (`/submit?src=&dest=&cont=`, also `/send`), so its users switch by
 * changing a URL: `src` is the extension, `dest` the recipient, `cont` the text. Answers
 * `{"result":0,"error":"","id":"…"}`; a failure has a non-zero result and the reason.
 */
export function compatRoutes(app: FastifyInstance, gateway: Gateway): void {
  const handler = async (req: FastifyRequest) => {
    const p = { ...(req.query as CompatParams), ...((req.body as CompatParams | undefined) ?? {}) };
    try {
      if (!p.dest) throw new GatewayError(400, 'invalid_field', 'dest is required', 'dest');
      if (!p.cont) throw new GatewayError(400, 'invalid_field', 'cont is required', 'cont');
      const [[stored]] = await gateway.send([{ to: p.dest, text: p.cont, from: p.src }]);
      return { result: 0, error: '', id: stored.message.id };
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      return { result: 1, error: err.message, id: '' };
    }
  };
  for (const url of ['/submit', '/send']) {
    app.get(url, handler);
    app.post(url, handler);
  }
}
