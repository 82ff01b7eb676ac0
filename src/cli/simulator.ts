import type { Command } from 'commander';
import pino from 'pino';
import {
  DEMO_ACCOUNT,
  readSimulatorConfigFile,
  Simulator,
  SimulatorConfigError,
} from '../simulator/index.js';
import { parseAccount } from './bench.js';
import { CliError, type CliIo } from './io.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

interface SimulatorFlags {
  config?: string;
  host?: string;
  port?: number;
  httpPort?: number;
  account?: string[];
  logLevel: string;
}

function portFlag(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new CliError(`${flag} must be 0-65535, got "${value}"`);
    }
    return n;
  };
}

/** The config file with the flags laid over it: flags win, and each --account adds or re-keys one account. */
async function configInput(flags: SimulatorFlags): Promise<Record<string, unknown>> {
  const input = flags.config ? await readSimulatorConfigFile(flags.config) : {};
  if (flags.host !== undefined) input.host = flags.host;
  if (flags.port !== undefined) input.port = flags.port;
  if (flags.httpPort !== undefined) input.httpPort = flags.httpPort;
  if (flags.account) {
    const fromFile = input.accounts ?? {};
    if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
      throw new CliError('accounts: must be an object');
    }
    const merged: Record<string, unknown> = { ...fromFile };
    for (const [id, secret] of flags.account.map(parseAccount)) {
      merged[id] = { ...(merged[id] as object | undefined), secret };
    }
    input.accounts = merged;
  }
  return input;
}

async function untilSignal(): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `cmppgw simulator`: the ISMG simulator with its HTTP control API, until SIGINT or SIGTERM. */
export function registerSimulatorCommand(program: Command, io: CliIo): void {
  program
    .command('simulator')
    .description(
      'run an ISMG simulator: CMPP 2.0/3.0 server with reports, MO, faults and an HTTP control API',
    )
    .option('--config <file>', 'YAML config file (flags override it)')
    .option('--host <host>', 'CMPP address to listen on (default 127.0.0.1)')
    .option('--port <port>', 'CMPP port, 0 picks a free one (default 7890)', portFlag('--port'))
    .option(
      '--http-port <port>',
      'control API port, 0 picks a free one (default 7891)',
      portFlag('--http-port'),
    )
    .option('--account <spid:secret...>', `accounts allowed to log in (default: demo ${DEMO_ACCOUNT.id})`)
    .option('--log-level <level>', LOG_LEVELS.join('|'), 'info')
    .action(async (flags: SimulatorFlags) => {
      if (!LOG_LEVELS.includes(flags.logLevel)) {
        throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${flags.logLevel}"`);
      }
      let simulator: Simulator;
      try {
        const input = await configInput(flags);
        simulator = new Simulator(input, { logger: pino({ level: flags.logLevel, name: 'simulator' }) });
      } catch (err) {
        if (err instanceof SimulatorConfigError) throw new CliError(err.message);
        throw err;
      }
      await simulator.start();
      const { address, port } = simulator.cmppAddress;
      io.out(`CMPP listening on ${address}:${port}`);
      if (simulator.httpUrl) io.out(`HTTP control API on ${simulator.httpUrl}`);
      for (const account of simulator.config.accounts.values()) {
        const demo = account === DEMO_ACCOUNT ? ` (demo, secret ${account.secret})` : '';
        const code = account.serviceCode ? `, service code ${account.serviceCode}` : '';
        io.out(`account ${account.id}${demo}: CMPP ${account.versions.join('/')}${code}`);
      }
      await untilSignal();
      await simulator.stop();
    });
}
