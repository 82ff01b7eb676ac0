import type { Command } from 'commander';
import {
  decodePdu,
  encodePdu,
  inferVersion,
  parseMsgId,
  parseVersion,
  pduFromJson,
  pduToJson,
  unpackMsgId,
} from '../cmpp/index.js';
import { argOrStdin, CliError, type CliIo } from './io.js';

/** Hex as users paste it: whitespace, a 0x prefix and upper case are fine. */
export function parseHex(text: string): Buffer {
  const clean = text.replace(/\s+/g, '').replace(/^0x/i, '');
  const bad = clean.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new CliError(`input is not hex: "${clean[bad]}" at character ${bad}`);
  if (clean.length % 2 !== 0) throw new CliError(`input has an odd number of hex digits (${clean.length})`);
  return Buffer.from(clean, 'hex');
}

/** `cmppgw pdu decode|encode|msgid`: the packet inspector. */
export function registerPduCommands(program: Command, io: CliIo): void {
  const pdu = program.command('pdu').description('decode, encode and inspect CMPP packets');

  pdu
    .command('decode')
    .description('decode a packet given as hex ("-" reads stdin) and print it as JSON')
    .argument('<hex>', 'the packet as hex, header included')
    .option('--version <v>', 'CMPP version 2 or 3 (default: inferred from the packet)')
    .action(async (hexArg: string, opts: { version?: string }) => {
      const frame = parseHex(await argOrStdin(hexArg, io));
      const version = opts.version ? parseVersion(opts.version) : inferVersion(frame);
      io.out(JSON.stringify(pduToJson(decodePdu(frame, version), frame.length)));
    });

  pdu
    .command('encode')
    .description('encode a packet from its JSON form ("-" reads stdin) and print its hex')
    .argument('<json>', 'the JSON printed by "pdu decode"')
    .action(async (jsonArg: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await argOrStdin(jsonArg, io));
      } catch (err) {
        throw new CliError(`input is not JSON: ${(err as Error).message}`);
      }
      const { version, command, sequenceId, fields } = pduFromJson(parsed);
      io.out(encodePdu(version, command, sequenceId, fields).toString('hex'));
    });

  pdu
    .command('msgid')
    .description('print the parts of a decimal Msg_Id')
    .argument('<decimal>', 'the Msg_Id as a decimal number')
    .action((decimal: string) => {
      io.out(JSON.stringify(unpackMsgId(parseMsgId(decimal.trim()))));
    });
}
