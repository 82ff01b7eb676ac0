import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { CmppClient } from '../../src/session/index.js';
import { waitFor } from '../session/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => '' };
  return { code: await runCli(argv, io), out, err };
}

describe('cmppgw simulator', () => {
  it('prints its addresses, serves the accounts given, logs to stdout and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const config = join(dir, 'simulator.yaml');
    writeFileSync(config, "accounts:\n  '900007':\n    secret: from-file\n    serviceCode: '10650007'\n");
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        'simulator',
        '--config',
        config,
        '--port',
        '0',
        '--http-port',
        '0',
        '--account',
        '900007:from-flag',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    await waitFor(() => stdout.includes('account 900007'), 10_000, 'the simulator to start');
    const port = Number(/CMPP listening on 127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    const url = /HTTP control API on (http:\S+)/.exec(stdout)?.[1];
    expect(stdout).toContain('account 900007: CMPP 2.0/3.0, service code 10650007');

    const client = new CmppClient({
      host: '127.0.0.1',
      port,
      account: '900007',
      secret: 'from-flag',
      reconnect: false,
    });
    await client.connect();
    const stats = await (await fetch(`${url}/stats`)).json();
    expect(stats.accounts['900007'].sessionsUp).toBe(1);
    await client.close();
    await waitFor(() => stdout.includes('"msg":"session closed"'), 5000, 'the log line');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });

  it('exits with 2 and names the key of a bad config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const config = join(dir, 'simulator.yaml');
    writeFileSync(config, 'reports:\n  stats: DELIVRD\n');
    expect(await cli(['simulator', '--config', config])).toEqual({
      code: 2,
      out: [],
      err: ['error: reports.stats: "DELIVRD" is not STAT:weight'],
    });
    expect((await cli(['simulator', '--log-level', 'loud'])).err).toEqual([
      'error: --log-level must be one of trace, debug, info, warn, error, silent, got "loud"',
    ]);
    expect((await cli(['simulator', '--account', 'nocolon'])).code).toBe(2);
  });
});
