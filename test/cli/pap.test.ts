import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { API_KEY, type Harness, harnessPerTest } from '../gateway/harness.js';

/* `cmppgw pap push` against the gateway's own PPG: source-reference and progress notes. */

const start = harnessPerTest();
const dir = mkdtempSync(join(tmpdir(), 'cmppgw-pap-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function siFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `<si><indication href="http://www.example.com/news">${text}</indication></si>`);
  return path;
}

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => '' };
  return { code: await runCli(argv, io), out, err };
}

const pushArgs = (h: Harness, pushId: string, file: string, ...more: string[]) => [
  'pap',
  'push',
  '--ppg',
  `${h.url}/pap`,
  '--api-key',
  API_KEY,
  '--to',
  '13900000501',
  '--si',
  file,
  '--push-id',
  pushId,
  ...more,
];

const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
const progressLine = (stage: string, note: string) => new RegExp(`^progress ${stage}  ${TIME}  ${note}$`);

describe('cmppgw pap push: --source-reference and --progress-notes', () => {
  it('prints one line per stage with its time before the result; the PPG keeps the source-reference', async () => {
    const h = await start();
    const run = await cli(
      pushArgs(h, 'cli-1', siFile('a.xml', 'hello'), '--source-reference', 'crm-7', '--progress-notes'),
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(6);
    expect(run.out[0]).toBe('push-id  cli-1');
    expect(run.out[1]).toMatch(progressLine('parsed', 'push-message to 1 address with a content entity .+'));
    expect(run.out[2]).toMatch(progressLine('validated', '1 address reachable over SMS; .+'));
    expect(run.out[3]).toMatch(
      progressLine('compiled', 'text/vnd.wap.si compiled to .+ in 1 SMS per address'),
    );
    expect(run.out[4]).toMatch(progressLine('stored', '1 message stored durably on account main, .+'));
    expect(run.out[5]).toBe('result   1001 Accepted for Processing');
    expect((await h.api('GET', '/api/v1/pushes/cli-1')).body.sourceReference).toBe('crm-7');
  });

  it('a refused push prints the stages it passed, then the refusal', async () => {
    const h = await start();
    const run = await cli(pushArgs(h, 'cli-big', siFile('big.xml', 'x'.repeat(33_000)), '--progress-notes'));
    expect(run.out.map((l) => l.split(' ')[0])).toEqual(['push-id', 'progress', 'progress', 'result']);
    expect(run.out[2]).toMatch(progressLine('validated', '.+'));
    expect(run.out[3]).toMatch(/^result {3}3006 push too large for SMS: /);
    // A refusal is a failure for scripts: exit 1, the code on stderr.
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/the PPG answered 3006 push too large/);
    expect(await h.count('messages')).toBe(0);
  });

  it('without the flags: no progress lines, no source-reference; --json carries the notes', async () => {
    const h = await start();
    const plain = await cli(pushArgs(h, 'cli-2', siFile('b.xml', 'plain')));
    expect(plain.out).toEqual(['push-id  cli-2', 'result   1001 Accepted for Processing']);
    expect((await h.api('GET', '/api/v1/pushes/cli-2')).body.sourceReference).toBeNull();
    const json = await cli(pushArgs(h, 'cli-3', siFile('c.xml', 'json'), '--progress-notes', '--json'));
    const stages = JSON.parse(json.out[0]).progressNotes.map((n: { stage: string }) => n.stage);
    expect(stages).toEqual(['parsed', 'validated', 'compiled', 'stored']);
  });
});
