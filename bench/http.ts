/**
 * HTTP acceptance rate, driven by autocannon with single-message POSTs and then batch POSTs. Prints
 * accepted msgs/s, p50/p99 latency, the rate at which SUBMITs reach the simulator (are the links keeping
 * up?) and the CPU of every process.
 *
 *   npm run bench:http                            one node, SQLite, embedded simulator (demo mode)
 *   npm run bench:http -- --store redis           one node on Redis (REDIS_URL), embedded simulator
 *   npm run bench:http -- --store redis --nodes 2 two nodes on one Redis and one simulator process
 *   npm run bench:http -- --only single|batch     one phase only
 *
 * Targets: ≥ 15,000 msgs/s with single POSTs on SQLite (issue #5), ≥ 8,000 on Redis (issue #7), ≥ 60,000
 * msgs/s with batches.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GatewayNode, readUntil } from '../test/gateway/cluster-node.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../test/store/redis-keys.js';
import { simulatorSubmits, startGateway } from './gateway-process.js';
import { cpuMeter } from './proc-cpu.js';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const backend = args.store;
const nodeCount = Number(args.nodes);
if (backend !== 'sqlite' && backend !== 'redis') throw new Error('--store must be sqlite or redis');
if (nodeCount > 1 && backend !== 'redis') throw new Error('--nodes above 1 needs --store redis');
if (args.only !== undefined && args.only !== 'single' && args.only !== 'batch')
  throw new Error('--only must be single or batch');

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const batchSize = 1000;
const key = 'bench-key';
const dir = mkdtempSync(join(tmpdir(), 'cmppgw-bench-'));
const prefix = testPrefix().replace('cmppgw-test', 'cmppgw-bench');
const store = backend === 'redis' ? `${REDIS_URL}?prefix=${prefix}` : `sqlite:${join(dir, 'bench.db')}`;
const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Running {
  urls: string[];
  simulator: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

function redisPid(): Record<string, number> {
  try {
    const info = execFileSync('redis-cli', ['-u', REDIS_URL, 'info', 'server'], { encoding: 'utf8' });
    const pid = /process_id:(\d+)/.exec(info)?.[1];
    return pid ? { redis: Number(pid) } : {};
  } catch {
    return {};
  }
}

/** One node in demo mode: `cmppgw start` with its embedded simulator (4 links, reports). */
async function startOne(): Promise<Running> {
  const gw = await startGateway(
    [
      'http: { host: 127.0.0.1, port: 0, apiKeys: [bench-key], bodyLimit: 67108864 }',
      `store: ${store}`,
      'demo: { links: 4, reportDelayMs: [100, 1000] }',
    ].join('\n'),
  );
  return {
    urls: [gw.url],
    simulator: gw.simulator,
    pids: { gateway: gw.child.pid as number, ...redisPid() },
    stop: gw.stop,
  };
}

/** N nodes on one Redis, one `cmppgw simulator` process; the account allows 4 links per node in all. */
async function startCluster(n: number): Promise<Running> {
  writeFileSync(
    join(dir, 'simulator.yaml'),
    [
      'port: 0',
      'httpPort: 0',
      'accounts:',
      `  "900001": { secret: bench-secret, serviceCode: "1065900001", maxConnections: ${4 * n} }`,
      'reports: { enabled: true, delayMs: [100, 1000] }',
    ].join('\n'),
  );
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'simulator', '--config', join(dir, 'simulator.yaml'), '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [port, simulator] = await readUntil(sim, [/CMPP listening on \S+:(\d+)/, /control API on (\S+)/]);
  const nodes = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      GatewayNode.start({
        dir,
        nodeId: `bench-${i + 1}`,
        store,
        ismgPort: Number(port),
        spId: '900001',
        secret: 'bench-secret',
        serviceCode: '1065900001',
        apiKey: key,
        links: 4 * n,
        nodeTtlMs: 3000,
      }),
    ),
  );
  // Let the leases share the links out before measuring.
  await new Promise((r) => setTimeout(r, 4 * 3000));
  const pids: Record<string, number> = {};
  nodes.forEach((node, i) => {
    pids[`node${i + 1}`] = node.child.pid as number;
  });
  return {
    urls: nodes.map((node) => node.url),
    simulator,
    pids: { ...pids, simulator: sim.pid as number, ...redisPid() },
    async stop() {
      for (const child of [sim, ...nodes.map((node) => node.child)]) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

async function queued(url: string): Promise<number> {
  const stats = (await (
    await fetch(`${url}/api/v1/stats`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as {
    store: { queuedSegments: number };
  };
  return stats.store.queuedSegments;
}

async function phase(label: string, run: Running, body: string, connections: number, perRequest: number) {
  const before = await simulatorSubmits(run.simulator);
  const cpu = cpuMeter({ ...run.pids, autocannon: process.pid });
  const results = await Promise.all(
    run.urls.map((url) =>
      autocannon({
        url: `${url}${perRequest === 1 ? '/api/v1/messages' : '/api/v1/messages/batch'}`,
        method: 'POST',
        connections: Math.max(1, Math.round(connections / run.urls.length)),
        duration: seconds,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      }),
    ),
  );
  const usage = cpu();
  const submitted = (await simulatorSubmits(run.simulator)) - before;
  const accepted = results.reduce((n, r) => n + r['2xx'], 0) * perRequest;
  const non2xx = results.reduce((n, r) => n + r.non2xx, 0);
  const drainStart = Date.now();
  while ((await queued(run.urls[0])) > 0 && Date.now() - drainStart < 120_000)
    await new Promise((r) => setTimeout(r, 250));
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
  const latency = results.map((r) => `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`).join(' | ');
  console.log(
    `${label.padEnd(14)} accepted ${fmt(accepted / seconds)} msgs/s  ${latency}  ` +
      `non-2xx ${non2xx}  SUBMITs at the simulator during the run ${fmt(submitted / seconds)}/s  ` +
      `queue drained ${drainSeconds.toFixed(1)} s after`,
  );
  console.log(`${''.padEnd(14)} CPU: ${usage}`);
}

console.log(`store ${backend}, ${nodeCount} node(s), ${seconds} s per phase`);
const run = nodeCount > 1 ? await startCluster(nodeCount) : await startOne();
try {
  const one = { to: '13800138000', text: '您的验证码是 123456，五分钟内有效。' };
  if (args.only !== 'batch')
    await phase('single POST', run, JSON.stringify(one), Number(process.env.BENCH_CONNECTIONS ?? 64), 1);
  if (args.only !== 'single') {
    const batch = JSON.stringify({ messages: Array.from({ length: batchSize }, () => one) });
    await phase(`batch ×${batchSize}`, run, batch, 4 * run.urls.length, batchSize);
  }
} finally {
  await run.stop();
  rmSync(dir, { recursive: true, force: true });
  if (backend === 'redis') await deleteKeys(prefix);
}
