import type { Command } from 'commander';
import { parseVersion } from '../cmpp/index.js';
import { benchServe } from './bench-serve.js';
import { benchSubmit, DEFAULT_BENCH_TEXT } from './bench-submit.js';
import { CliError, type CliIo } from './io.js';

/** "SPID:SECRET" → [spId, secret]. */
export function parseAccount(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new CliError(`--account must be SPID:SECRET, got "${text}"`);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

function positiveInt(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port must be 0-65535, got "${value}"`);
  return n;
}

/** `cmppgw bench submit|serve`: the CMPP load tool and its quiet server. */
export function registerBenchCommands(program: Command, io: CliIo): void {
  const bench = program.command('bench').description('CMPP load tools');

  bench
    .command('submit')
    .description('connect as an SP and measure SUBMIT → SUBMIT_RESP throughput and latency')
    .option('--host <host>', 'ISMG host', '127.0.0.1')
    .requiredOption('--port <port>', 'ISMG port', port)
    .requiredOption('--account <spid:secret>', 'SP id and shared secret')
    .option('--version <v>', 'CMPP version 2 or 3', '3')
    .option('--window <n>', 'requests in flight', positiveInt('--window'), 16)
    .option('--count <n>', 'SUBMITs to send', positiveInt('--count'), 200_000)
    .option('--text <text>', 'message text (default: 70 Chinese characters, UCS2)', DEFAULT_BENCH_TEXT)
    .option('--report', 'ask for status reports (Registered_Delivery 1)')
    .option('--json', 'print one JSON line')
    .action(async (o) => {
      const [account, secret] = parseAccount(o.account);
      const report = await benchSubmit({
        host: o.host,
        port: o.port,
        account,
        secret,
        version: parseVersion(o.version),
        window: o.window,
        count: o.count,
        text: o.text,
        report: o.report === true,
      });
      if (o.json) {
        io.out(JSON.stringify(report));
        return;
      }
      io.out(`${report.count} submits, window ${report.window}, ${report.elapsedMs} ms`);
      io.out(`rate ${report.rate} submits/s, latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms`);
      io.out(`errors ${JSON.stringify(report.errors)}`);
    });

  bench
    .command('serve')
    .description('a quiet ISMG that answers every SUBMIT at once, for load tests')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', port, 7890)
    .option('--account <spid:secret...>', 'accounts allowed to log in', ['900001:888888'])
    .action(async (o: { host: string; port: number; account: string[] }) => {
      const server = await benchServe(o.host, o.port, new Map(o.account.map(parseAccount)));
      io.out(`listening on ${server.address.address}:${server.address.port}`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
