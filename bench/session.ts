/**
 * Session throughput: `cmppgw bench serve` and `cmppgw bench submit` in two processes on loopback, at
 * window 1 and 16. Targets (issue #3): ≥ 100,000 submits/s at window 16 and ≥ 13,000/s at window 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const count16 = Number(process.env.BENCH_COUNT ?? 200_000);
const count1 = Math.round(count16 / 5);

function cmppgw(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout as NodeJS.ReadableStream) {
    text += chunk.toString();
    if (text.includes('\n')) return text.split('\n')[0];
  }
  throw new Error('process ended without output');
}

const server = cmppgw(['bench', 'serve', '--port', '0']);
try {
  const listening = await firstLine(server);
  const port = listening.split(':').pop() as string;
  console.log(`bench serve: ${listening}`);
  for (const [window, count] of [
    [16, count16],
    [1, count1],
  ]) {
    const client = cmppgw([
      'bench',
      'submit',
      '--port',
      port,
      '--account',
      '900001:888888',
      '--window',
      String(window),
      '--count',
      String(count),
      '--json',
    ]);
    const report = JSON.parse(await firstLine(client));
    await once(client, 'exit');
    console.log(
      `window ${String(window).padStart(2)}: ${report.rate.toLocaleString('en-US').padStart(8)} submits/s  ` +
        `(${report.count} in ${report.elapsedMs} ms, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, errors ${JSON.stringify(report.errors)})`,
    );
  }
} finally {
  server.kill('SIGTERM');
}
