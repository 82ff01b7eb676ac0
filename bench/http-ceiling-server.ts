/**
 * The floor of HTTP work on this machine, for bench:http-ceiling: a server that parses the bench's POST
 * and answers 202 with a message-shaped body, and does nothing else (no store, no links, no auth).
 * `fastify` (as the gateway's API) or `node` (node:http alone). Prints `listening on URL`.
 */
import { createServer } from 'node:http';
import Fastify from 'fastify';

const kind = process.argv[2];
const answer = (to: unknown) => ({ id: '01jd0000000000000000000000', status: 'queued', segments: 1, to });

if (kind === 'fastify') {
  const app = Fastify({ logger: false });
  app.post('/api/v1/messages', async (req, reply) => {
    reply.code(202);
    return answer((req.body as { to?: unknown }).to);
  });
  console.log(`listening on ${await app.listen({ host: '127.0.0.1', port: 0 })}`);
} else if (kind === 'node') {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown };
      res.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer(body.to)));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`listening on http://127.0.0.1:${port}`);
  });
} else {
  throw new Error('usage: http-ceiling-server.ts fastify|node');
}
