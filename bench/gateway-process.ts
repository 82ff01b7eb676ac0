import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readUntil } from '../test/gateway/cluster-node.js';

/** `cmppgw start` in its own process (so the load generator does not share its thread). */
export interface GatewayProcess {
  url: string;
  /** The embedded simulator's control API. */
  simulator: string;
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** Starts the gateway with a YAML config (`DIR` in it is replaced by a fresh temp dir). */
export async function startGateway(configYaml: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cmppgw-bench-'));
  writeFileSync(join(dir, 'cmppgw.yaml'), configYaml.replaceAll('DIR', dir));
  const child = spawn(
    process.execPath,
    [
      ...(process.env.CPUPROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPUPROF] : []),
      '--import',
      'tsx',
      cli,
      'start',
      '--config',
      join(dir, 'cmppgw.yaml'),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [url, simulator] = await readUntil(child, [/listening on (\S+)/, /control API (\S+)/]);
    return { url, simulator, dir, child, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SUBMITs the embedded simulator has received so far. */
export async function simulatorSubmits(simulator: string): Promise<number> {
  const stats = (await (await fetch(`${simulator}/stats`)).json()) as {
    accounts: Record<string, { submits: number }>;
  };
  return Object.values(stats.accounts).reduce((n, a) => n + a.submits, 0);
}
