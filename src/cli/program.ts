import { Command, CommanderError } from 'commander';
import { CmppProtocolError } from '../cmpp/index.js';
import { registerBenchCommands } from './bench.js';
import { CliError, type CliIo } from './io.js';
import { registerPapCommands } from './pap.js';
import { registerPduCommands } from './pdu.js';
import { registerSimulatorCommand } from './simulator.js';
import { registerStartCommand } from './start.js';
import { registerWapCommands } from './wap.js';

/** Builds the `cmppgw` command tree. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('cmppgw')
    .description('CMPP 2.0/3.0 SMS gateway, ISMG simulator and tools')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerStartCommand(program, io);
  registerPduCommands(program, io);
  registerBenchCommands(program, io);
  registerSimulatorCommand(program, io);
  registerWapCommands(program, io);
  registerPapCommands(program, io);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 2 for bad input (one line on stderr, no stack trace). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError || err instanceof CmppProtocolError) {
      io.err(`error: ${err.message}`);
      return 2;
    }
    io.err(`error: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
