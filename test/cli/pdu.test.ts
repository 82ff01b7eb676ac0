import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { encodePdu } from '../../src/cmpp/index.js';

interface Vector {
  name: string;
  version: '2.0' | '3.0';
  command: string;
  sequence_id: number | null;
  fields: Record<string, unknown>;
  hex: string;
}

const VECTORS: Vector[] = JSON.parse(readFileSync('/work/shared/vectors/cmpp-gocmpp.json', 'utf8'));
const PACKETS = VECTORS.filter((v) => v.command !== 'MSG_ID');
const vector = (name: string): Vector => {
  const v = VECTORS.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
};

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(argv: string[], stdin = ''): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readStdin: async () => stdin,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** Exit code 2, nothing on stdout, exactly one "error:" line on stderr; returns that line. */
function expectUserError(run: Run): string {
  expect(run.code).toBe(2);
  expect(run.out).toEqual([]);
  expect(run.err).toHaveLength(1);
  const line = run.err[0];
  expect(line.startsWith('error:')).toBe(true);
  expect(line).not.toContain('\n');
  expect(line).not.toContain('    at ');
  return line;
}

/** Exit code 0, nothing on stderr, one line on stdout. */
function expectOneLine(run: Run): string {
  expect(run.err).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.out).toHaveLength(1);
  expect(run.out[0]).not.toContain('\n');
  return run.out[0];
}

describe('pdu decode', () => {
  it('prints one JSON line with version, command, commandId, sequenceId, totalLength and fields', async () => {
    const v = vector('connect-v2-ts1021080510');
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', v.hex])));
    expect(Object.keys(json)).toEqual([
      'version',
      'command',
      'commandId',
      'sequenceId',
      'totalLength',
      'fields',
    ]);
    expect(json).toEqual({
      version: '2.0',
      command: 'CMPP_CONNECT',
      commandId: 1,
      sequenceId: 23,
      totalLength: 39,
      fields: v.fields,
    });
  });

  it('infers the version when none is given', async () => {
    const v = vector('submit-resp-v3-flow-control');
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', v.hex])));
    expect(json.version).toBe('3.0');
    expect(json.commandId).toBe(0x80000004);
    expect(json.fields).toEqual(v.fields);
  });

  it('honours --version, falling back to the layout that fits', async () => {
    const v2 = vector('submit-resp-v2-ok');
    expect(JSON.parse(expectOneLine(await cli(['pdu', 'decode', '--version', '2', v2.hex]))).version).toBe(
      '2.0',
    );
    const v3 = vector('connect-resp-v3-ok');
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', '--version', '2', v3.hex])));
    expect(json.version).toBe('3.0');
    expect(json.fields).toEqual(v3.fields);
  });

  it('reads the hex from stdin with "-"', async () => {
    const v = vector('deliver-v3-report-delivrd-spec');
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', '-'], `${v.hex}\n`)));
    expect(json.command).toBe('CMPP_DELIVER');
    expect(json.fields).toEqual(v.fields);
  });

  it('accepts pasted hex: spaces, upper case, 0x', async () => {
    const v = vector('active-test-resp-v3');
    const pasted = `0x${v.hex.toUpperCase().replace(/(..)/g, '$1 ')}`;
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', pasted])));
    expect(json.command).toBe('CMPP_ACTIVE_TEST_RESP');
    expect(json.sequenceId).toBe(0xffffffff);
  });

  it('shows a packet whose content is not text (Msg_Fmt 5) instead of failing', async () => {
    const frame = encodePdu('3.0', 'CMPP_SUBMIT', 1, {
      Pk_total: 1,
      Pk_number: 1,
      Src_Id: '1065900001',
      Dest_terminal_Id: ['13800138000'],
      Msg_Fmt: 5,
      Msg_Content: Buffer.from('abc'),
    });
    const json = JSON.parse(expectOneLine(await cli(['pdu', 'decode', frame.toString('hex')])));
    expect(json.fields.Msg_Content).toBe('616263');
    expect(json.text).toBeUndefined();
  });
});

describe('pdu decode → pdu encode', () => {
  it.each(PACKETS.map((v) => [v.name, v] as const))('%s gives back the same hex', async (_name, v) => {
    const decoded = expectOneLine(await cli(['pdu', 'decode', '--version', v.version, v.hex]));
    expect(expectOneLine(await cli(['pdu', 'encode', decoded]))).toBe(v.hex);
  });

  it('encode reads the JSON from stdin with "-"', async () => {
    const v = vector('submit-v3-3dest');
    const decoded = expectOneLine(await cli(['pdu', 'decode', v.hex]));
    expect(expectOneLine(await cli(['pdu', 'encode', '-'], `${decoded}\n`))).toBe(v.hex);
  });

  it('encodes a hand-written JSON packet', async () => {
    const json = JSON.stringify({
      version: '2.0',
      command: 'CMPP_CANCEL_RESP',
      sequenceId: 33,
      fields: { Success_Id: 1 },
    });
    expect(expectOneLine(await cli(['pdu', 'encode', json]))).toBe('0000000d800000070000002101');
  });
});

describe('pdu msgid', () => {
  it('prints the parts in spec order', async () => {
    const line = expectOneLine(await cli(['pdu', 'msgid', '14978900892378464255']));
    expect(line).toBe(
      '{"month":12,"day":31,"hour":23,"minute":59,"second":59,"gateway_code":4194303,"sequence":65535}',
    );
    expect(Object.keys(JSON.parse(line))).toEqual([
      'month',
      'day',
      'hour',
      'minute',
      'second',
      'gateway_code',
      'sequence',
    ]);
  });

  it.each(VECTORS.filter((v) => v.command === 'MSG_ID').map((v) => [v.name, v] as const))(
    '%s',
    async (_name, v) => {
      const { Msg_Id, ...parts } = v.fields;
      expect(JSON.parse(expectOneLine(await cli(['pdu', 'msgid', Msg_Id as string])))).toEqual(parts);
    },
  );

  it.each(['abc', '12a', '18446744073709551616'])('rejects %j', async (text) => {
    expect(expectUserError(await cli(['pdu', 'msgid', text]))).toMatch(/Msg_Id|64 bits/);
  });
});

describe('bad input: exit code 2 and one error line', () => {
  const connect = vector('connect-v2-ts1021080510').hex;

  it('bad hex names the character offset', async () => {
    expect(expectUserError(await cli(['pdu', 'decode', '0000zz']))).toMatch(/character 4/);
  });

  it('odd length says how many digits there are', async () => {
    expect(expectUserError(await cli(['pdu', 'decode', connect.slice(0, -1)]))).toMatch(/odd.*\b77\b/);
  });

  it('a cut packet names Total_Length', async () => {
    expect(expectUserError(await cli(['pdu', 'decode', connect.slice(0, 60)]))).toMatch(/Total_Length/);
  });

  it('a truncated packet with a matching Total_Length names the field and its offset', async () => {
    const cut = Buffer.from(connect.slice(0, 64), 'hex');
    cut.writeUInt32BE(cut.length, 0);
    const line = expectUserError(await cli(['pdu', 'decode', cut.toString('hex')]));
    expect(line).toMatch(/AuthenticatorSource/);
    expect(line).toMatch(/offset 6/);
  });

  it('a packet shorter than the header', async () => {
    expectUserError(await cli(['pdu', 'decode', '00000027']));
  });

  it('an unknown Command_Id names Command_Id', async () => {
    expect(expectUserError(await cli(['pdu', 'decode', '0000000c0000000300000001']))).toMatch(/Command_Id/);
  });

  it('an unknown --version', async () => {
    expect(expectUserError(await cli(['pdu', 'decode', '--version', '4', connect]))).toMatch(/version/);
  });

  it('bad JSON names the position', async () => {
    expect(expectUserError(await cli(['pdu', 'encode', '{"version":"3.0"']))).toMatch(/JSON.*position \d+/);
  });

  it('JSON with a string too long for its field names the field', async () => {
    const json = JSON.stringify({
      version: '3.0',
      command: 'CMPP_CONNECT',
      fields: { Source_Addr: '1234567' },
    });
    expect(expectUserError(await cli(['pdu', 'encode', json]))).toMatch(/Source_Addr/);
  });

  it('JSON with a number too big for its field names the field', async () => {
    const json = JSON.stringify({ version: '2.0', command: 'CMPP_SUBMIT_RESP', fields: { Result: 256 } });
    expect(expectUserError(await cli(['pdu', 'encode', json]))).toMatch(/Result/);
  });

  it('JSON with an unknown command', async () => {
    const json = JSON.stringify({ version: '3.0', command: 'CMPP_NOPE', fields: {} });
    expect(expectUserError(await cli(['pdu', 'encode', json]))).toMatch(/command/);
  });

  it('a missing argument', async () => {
    const run = await cli(['pdu', 'decode']);
    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.err.join('\n')).toMatch(/^error:/);
  });
});

describe('the real CLI process', () => {
  it('exits 2 with one stderr line and no stack trace on bad hex', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pdu', 'decode', 'zz'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe('');
    const lines = child.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*character 0/);
    expect(child.stderr).not.toContain('    at ');
  });
});
