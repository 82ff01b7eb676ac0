/**
 * What HTTP alone costs on this machine: bench:http's single-POST phase (same body, connections and
 * duration) against a server that only parses the POST and answers 202 (bench/http-ceiling-server.ts),
 * with Fastify and with node:http. No gateway can accept single POSTs faster than these on the same
 * machine, so they put bench:http's figures in scale.
 *
 *   npm run bench:http-ceiling        BENCH_SECONDS, BENCH_CONNECTIONS as for bench:http
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readUntil } from '../test/gateway/cluster-node.js';
import { cpuMeter } from './proc-cpu.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const server = fileURLToPath(new URL('./http-ceiling-server.ts', import.meta.url));
const body = JSON.stringify({ to: '13800138000', text: '您的验证码是 123456，五分钟内有效。' });

for (const kind of ['fastify', 'node']) {
  const child = spawn(process.execPath, ['--import', 'tsx', server, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [url] = await readUntil(child, [/listening on (\S+)/]);
    const cpu = cpuMeter({ server: child.pid as number, autocannon: process.pid });
    const r = await autocannon({
      url: `${url}/api/v1/messages`,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const rate = Math.round(r['2xx'] / seconds).toLocaleString('en-US');
    console.log(
      `${kind.padEnd(8)} ${rate.padStart(7)} POSTs/s answered 202  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}`,
    );
    console.log(`${''.padEnd(8)} CPU: ${cpu()}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
