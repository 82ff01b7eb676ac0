/**
 * ISMG simulator throughput against `cmppgw bench serve`, both started through the CLI in child processes
 * and loaded by `cmppgw bench submit` at window 16. The simulator runs with status reports enabled (after
 * 0–10 ms). Target (issue #4): SUBMITs without reports requested at ≥ 80% of bench serve's rate. The rate
 * with reports requested (every SUBMIT then also brings a DELIVER for the client to answer) is printed too.
 * Each figure is the median of ROUNDS runs, serve and simulator alternating, which evens out a busy machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const count = Number(process.env.BENCH_COUNT ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 5);
const ACCOUNT = '900001:888888';

interface Report {
  count: number;
  rate: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
}

function cmppgw(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Lines of a child's stdout until `done` says enough; the rest of the output is drained and ignored. */
async function linesUntil(child: ChildProcess, done: (lines: string[]) => boolean): Promise<string[]> {
  const stdout = child.stdout as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stdout) {
    text += chunk.toString();
    const lines = text.split('\n').slice(0, -1);
    if (done(lines)) {
      stdout.resume();
      return lines;
    }
  }
  throw new Error('process ended early');
}

async function submit(port: string, report: boolean): Promise<Report> {
  const args = [
    'bench',
    'submit',
    '--port',
    port,
    '--account',
    ACCOUNT,
    '--window',
    '16',
    '--count',
    String(count),
  ];
  const client = cmppgw([...args, '--json', ...(report ? ['--report'] : [])]);
  const [line] = await linesUntil(client, (lines) => lines.length > 0);
  await once(client, 'exit');
  return JSON.parse(line) as Report;
}

const dir = mkdtempSync(join(tmpdir(), 'cmppgw-bench-'));
const config = join(dir, 'simulator.yaml');
// No service code, so that bench submit's Src_Id (the SP id) passes; warn: no log line per report.
writeFileSync(config, "accounts:\n  '900001':\n    secret: '888888'\nreports:\n  delayMs: [0, 10]\n");

const serve = cmppgw(['bench', 'serve', '--port', '0']);
const simulator = cmppgw([
  'simulator',
  '--config',
  config,
  '--port',
  '0',
  '--http-port',
  '0',
  '--log-level',
  'warn',
]);
try {
  const servePort = (await linesUntil(serve, (l) => l.length > 0))[0].split(':').pop() as string;
  const simLines = await linesUntil(simulator, (l) => l.some((x) => x.startsWith('HTTP')));
  const simPort = simLines[0].split(':').pop() as string;
  const controlApi = simLines[1].split(' ').pop() as string;

  const runs: Record<string, Report[]> = { serve: [], simulator: [], 'simulator, reports': [] };
  for (let round = 0; round < rounds; round++) {
    runs.serve.push(await submit(servePort, false));
    runs.simulator.push(await submit(simPort, false));
  }
  // Last, so that reports still queued when a run ends cannot reach a run without reports.
  for (let round = 0; round < rounds; round++) runs['simulator, reports'].push(await submit(simPort, true));
  const median = (name: string) => [...runs[name]].sort((a, b) => a.rate - b.rate)[Math.floor(rounds / 2)];
  const serveRate = median('serve').rate;
  for (const name of Object.keys(runs)) {
    const r = median(name);
    const ratio = name === 'serve' ? '' : `  ${((100 * r.rate) / serveRate).toFixed(0)}% of bench serve`;
    console.log(
      `${name.padEnd(18)} ${r.rate.toLocaleString('en-US').padStart(7)} submits/s  ` +
        `(p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${JSON.stringify(r.errors)})${ratio}`,
    );
  }
  const stats = (await (await fetch(`${controlApi}/stats`)).json()) as {
    accounts: Record<string, { reports: { acked: number } }>;
  };
  console.log(`reports acknowledged by the bench client: ${stats.accounts['900001'].reports.acked}`);
  const ratio = median('simulator').rate / serveRate;
  console.log(
    `target ≥ 80% of bench serve: ${ratio >= 0.8 ? 'met' : 'NOT met'} (${(100 * ratio).toFixed(0)}%)`,
  );
} finally {
  serve.kill('SIGTERM');
  simulator.kill('SIGTERM');
}
