/**
 * HTTP acceptance rate: `cmppgw start` (embedded simulator with reports, SQLite on disk) in its own
 * process, driven by autocannon with single-message POSTs and then batch POSTs. Prints accepted msgs/s,
 * p50/p99 latency, and the rate at which SUBMITs reach the simulator (are the links keeping up?).
 * Targets (issue #5): ≥ 15,000 msgs/s with single POSTs, ≥ 60,000 msgs/s with batches.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const batchSize = 1000;
const key = 'bench-key';
const dir = mkdtempSync(join(tmpdir(), 'cmppgw-bench-'));
const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
writeFileSync(
  join(dir, 'cmppgw.yaml'),
  [
    'http: { host: 127.0.0.1, port: 0, apiKeys: [bench-key], bodyLimit: 67108864 }',
    `store: sqlite:${join(dir, 'bench.db')}`,
    'demo: { links: 4, reportDelayMs: [100, 1000] }',
  ].join('\n'),
);

function start(): { child: ChildProcess; ready: Promise<{ url: string; simulator: string }> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'start', '--config', join(dir, 'cmppgw.yaml'), '--log-level', 'warn'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ready = (async () => {
    let text = '';
    for await (const chunk of child.stdout as NodeJS.ReadableStream) {
      text += chunk.toString();
      const url = /listening on (\S+)/.exec(text)?.[1];
      const simulator = /control API (\S+)/.exec(text)?.[1];
      if (url && simulator) return { url, simulator };
    }
    throw new Error('cmppgw start exited before listening');
  })();
  return { child, ready };
}

async function simulatorSubmits(simulator: string): Promise<number> {
  const stats = (await (await fetch(`${simulator}/stats`)).json()) as {
    accounts: Record<string, { submits: number }>;
  };
  return Object.values(stats.accounts).reduce((n, a) => n + a.submits, 0);
}

async function queued(url: string): Promise<number> {
  const stats = (await (
    await fetch(`${url}/api/v1/stats`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as {
    store: { queuedSegments: number };
  };
  return stats.store.queuedSegments;
}

async function phase(
  label: string,
  url: string,
  simulator: string,
  body: string,
  connections: number,
  perRequest: number,
) {
  const before = await simulatorSubmits(simulator);
  const result = await autocannon({
    url: `${url}${perRequest === 1 ? '/api/v1/messages' : '/api/v1/messages/batch'}`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
  const submitted = (await simulatorSubmits(simulator)) - before;
  const accepted = result['2xx'] * perRequest;
  const drainStart = Date.now();
  while ((await queued(url)) > 0 && Date.now() - drainStart < 120_000)
    await new Promise((r) => setTimeout(r, 250));
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
  console.log(
    `${label.padEnd(14)} accepted ${fmt(accepted / seconds)} msgs/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ` +
      `non-2xx ${result.non2xx}  SUBMITs at the simulator during the run ${fmt(submitted / seconds)}/s  ` +
      `queue drained ${drainSeconds.toFixed(1)} s after`,
  );
}

const { child, ready } = start();
try {
  const { url, simulator } = await ready;
  const one = { to: '13800138000', text: '您的验证码是 123456，五分钟内有效。' };
  await phase(
    'single POST',
    url,
    simulator,
    JSON.stringify(one),
    Number(process.env.BENCH_CONNECTIONS ?? 64),
    1,
  );
  const batch = JSON.stringify({ messages: Array.from({ length: batchSize }, () => one) });
  await phase(`batch ×${batchSize}`, url, simulator, batch, 4, batchSize);
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
