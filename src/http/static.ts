import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The dashboard bundle `vite build` writes (the same path from src/http and dist/http). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Only this origin's scripts, styles, images and connections: the dashboard loads nothing from elsewhere. */
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/** Serves the dashboard at / (hash-routed, so every view is index.html); 503 when it was not built. */
export async function dashboard(app: FastifyInstance, root = WEB_ROOT): Promise<void> {
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build` (or `npm start`, which builds it).\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    decorateReply: false,
    index: 'index.html',
    wildcard: false,
    setHeaders(reply, path) {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      // Vite names assets by content hash: they never change; index.html must be revalidated.
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
