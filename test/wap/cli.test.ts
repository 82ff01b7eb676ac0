import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import {
  buildPap,
  PAP_CODES,
  PapClient,
  type PapMessage,
  PapResponseError,
  readPapRequest,
} from '../../src/wap/index.js';

interface Vector {
  name: string;
  document: string;
  udh_hex: string;
  ud_hex: string;
}
const VECTORS: Vector[] = JSON.parse(readFileSync('/work/shared/vectors/wap-push.json', 'utf8')).vectors;
const dir = mkdtempSync(join(tmpdir(), 'cmppgw-wap-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function cli(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => stdin };
  return { code: await runCli(argv, io), out, err };
}

function expectUserError(run: { code: number; out: string[]; err: string[] }): string {
  expect(run.code).toBe(2);
  expect(run.out).toEqual([]);
  expect(run.err).toHaveLength(1);
  expect(run.err[0]).toMatch(/^error: [^\n]+$/);
  return run.err[0];
}

describe('cmppgw wap compile', () => {
  it.each(['si-basic', 'si-minimal'])('--json prints vector %s byte for byte', async (name) => {
    const v = VECTORS.find((x) => x.name === name) as Vector;
    const tid = Number.parseInt(v.ud_hex.slice(0, 2), 16);
    const run = await cli([
      'wap',
      'compile',
      file(`${name}.xml`, v.document),
      '--tid',
      String(tid),
      '--json',
    ]);
    expect(run.err).toEqual([]);
    expect(run.out).toHaveLength(1);
    const json = JSON.parse(run.out[0]);
    expect(Object.keys(json)).toEqual(['contentType', 'wbxml', 'wsp', 'segments']);
    expect(json.contentType).toBe('application/vnd.wap.sic');
    expect(json.segments).toEqual([{ udh: v.udh_hex.toLowerCase(), ud: v.ud_hex.toLowerCase() }]);
    expect(json.wsp).toBe(v.ud_hex.toLowerCase());
  });

  it('--app-id and stdin; readable output lists every SMS of a long push', async () => {
    const v = VECTORS.find((x) => x.name === 'si-with-app-id') as Vector;
    const run = await cli(
      ['wap', 'compile', '-', '--tid', '6', '--app-id', 'x-wap-application:push.sia', '--json'],
      v.document,
    );
    expect(JSON.parse(run.out[0]).segments[0].ud).toBe(v.ud_hex.toLowerCase());

    const long = `<si><indication href="http://www.example.com/${'x'.repeat(300)}">${'长'.repeat(40)}</indication></si>`;
    const text = await cli(['wap', 'compile', file('long.xml', long), '--reference', '7']);
    expect(text.code).toBe(0);
    expect(text.out.slice(0, 3).map((l) => l.split(/\s+/)[0])).toEqual(['content-type', 'wbxml', 'wsp']);
    const sms = text.out.slice(3);
    expect(sms.length).toBeGreaterThan(2);
    sms.forEach((line, i) => {
      expect(line).toContain(`sms ${i + 1}/${sms.length}  udh 0b05040b8423f00003070${sms.length}0${i + 1}`);
    });
  });

  it.each([
    [['wap', 'compile', '/nonexistent.xml'], '', /cannot read/],
    [['wap', 'compile', '-'], '<foo/>', /cannot tell SI from SL/],
    [['wap', 'compile', '-'], '<si><indication', /malformed XML/],
    [['wap', 'compile', '-', '--type', 'sl'], '<sl/>', /needs the attribute "href"/],
    [['wap', 'compile', '-', '--tid', '256'], '<sl/>', /--tid must be an integer/],
  ])('bad input %j: one line on stderr, exit 2', async (argv, stdin, message) => {
    expect(expectUserError(await cli(argv, stdin))).toMatch(message);
  });
});

/** A small PPG: records each request and answers with the PAP document `answer` builds. */
function startPpg(answer: (control: PapMessage) => PapMessage) {
  const requests: { headers: IncomingMessage['headers']; control: PapMessage; content?: string }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url?.endsWith('/broken')) return void res.writeHead(500).end('oops');
    const { control, content } = readPapRequest(Buffer.concat(chunks), req.headers['content-type'] ?? '');
    requests.push({ headers: req.headers, control, content: content?.body.toString() });
    res.writeHead(202, { 'content-type': 'application/xml' }).end(buildPap(answer(control)));
  });
  return { server, requests };
}

describe('PapClient and cmppgw pap against a real HTTP PPG', () => {
  const ppg = startPpg((control): PapMessage => {
    const base = { pushId: 'pushId' in control ? control.pushId : '?', productName: 'test-ppg' };
    if (base.pushId === 'reject') return { type: 'badmessage-response', code: 2000, desc: 'Bad Request' };
    if (control.type === 'push-message') {
      return { type: 'push-response', ...base, result: { code: 1001, desc: PAP_CODES[1001] } };
    }
    if (control.type === 'statusquery-message') {
      return {
        type: 'statusquery-response',
        ...base,
        results: [
          {
            messageState: 'delivered',
            code: 1000,
            desc: 'OK',
            eventTime: new Date('2024-01-15T10:31:00Z'),
            addresses: control.addresses ?? [],
          },
        ],
      };
    }
    if (control.type === 'cancel-message') {
      return { type: 'cancel-response', ...base, results: [{ code: 2008, desc: PAP_CODES[2008] }] };
    }
    return { type: 'badmessage-response', code: 2000, desc: 'Bad Request' };
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => ppg.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(ppg.server.address() as AddressInfo).port}/pap`;
  });
  afterAll(() => new Promise<void>((resolve) => ppg.server.close(() => resolve())));

  it('push sends multipart/related with the control and content entities and a Bearer key', async () => {
    const si = '<si><indication href="http://wap.example.com/a">你好</indication></si>';
    const client = new PapClient({ ppg: url, apiKey: 'k1' });
    const answer = await client.push({
      to: ['13800138000', 'WAPPUSH=+8613900139000/TYPE=PLMN@ppg.example.com'],
      pushId: 'p1',
      ppgNotifyRequestedTo: 'http://pi.example.com/n',
      content: { contentType: 'text/vnd.wap.si', body: si, headers: { 'X-Wap-Application-Id': 'push.sia' } },
    });
    expect(answer).toEqual({
      type: 'push-response',
      productName: 'test-ppg',
      pushId: 'p1',
      result: { code: 1001, desc: 'Accepted for Processing' },
    });
    const req = ppg.requests.at(-1);
    expect(req?.headers['content-type']).toMatch(
      /^multipart\/related; boundary="[^"]+"; type="application\/xml"$/,
    );
    expect(req?.headers.authorization).toBe('Bearer k1');
    expect(req?.control).toMatchObject({
      type: 'push-message',
      pushId: 'p1',
      ppgNotifyRequestedTo: 'http://pi.example.com/n',
      addresses: [
        { value: '13800138000', type: 'PLMN' },
        { value: '+8613900139000', type: 'PLMN', ppg: 'ppg.example.com' },
      ],
    });
    expect(req?.content).toBe(si);
  });

  it('a badmessage-response or a non-PAP answer is a PapResponseError', async () => {
    const rejected = await new PapClient({ ppg: url }).cancel('reject').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(PapResponseError);
    expect(rejected).toMatchObject({ status: 202, response: { type: 'badmessage-response', code: 2000 } });
    const broken = await new PapClient({ ppg: `${url}/broken` }).status('p1').catch((e: unknown) => e);
    expect(broken).toMatchObject({ status: 500, message: 'PPG answered HTTP 500 without a PAP document' });
    const run = await cli(['pap', 'cancel', '--ppg', url, '--push-id', 'reject']);
    expect(expectUserError(run)).toBe('error: PPG answered badmessage-response 2000 Bad Request');
  });

  it('pap push prints the result readably; --json prints the response', async () => {
    const si = file('push.si.xml', '<si><indication href="http://a">x</indication></si>');
    const run = await cli([
      'pap',
      'push',
      '--ppg',
      url,
      '--to',
      '13800138000',
      '--si',
      si,
      '--push-id',
      'p9',
    ]);
    expect(run).toEqual({ code: 0, out: ['push-id  p9', 'result   1001 Accepted for Processing'], err: [] });
    const json = await cli(['pap', 'push', '--ppg', url, '--to', '13800138000', '--si', si, '--json']);
    expect(JSON.parse(json.out[0])).toMatchObject({ type: 'push-response', result: { code: 1001 } });
  });

  it('pap status and pap cancel print per-address states and codes', async () => {
    const status = await cli(['pap', 'status', '--ppg', url, '--push-id', 'p1', '--to', '13800138000']);
    expect(status.out).toEqual([
      'push-id  p1',
      'WAPPUSH=13800138000/TYPE=PLMN  delivered  1000 OK  2024-01-15T10:31:00Z',
    ]);
    expect(ppg.requests.at(-1)?.headers['content-type']).toBe('application/xml');
    const cancel = await cli(['pap', 'cancel', '--ppg', url, '--push-id', 'p1', '--json']);
    expect(JSON.parse(cancel.out[0])).toEqual({
      type: 'cancel-response',
      productName: 'test-ppg',
      pushId: 'p1',
      results: [{ code: 2008, desc: 'Cancellation Not Possible' }],
    });
  });

  it.each([
    [['pap', 'push', '--ppg', 'http://x/pap', '--to', '1'], /exactly one of --si/],
    [['pap', 'push', '--ppg', 'ftp://x', '--to', '13800138000', '--sl', '-'], /--ppg must be an http/],
    [['pap', 'push', '--ppg', 'http://x/pap', '--to', 'nobody', '--sl', '-'], /bad address/],
    [['pap', 'status', '--push-id', 'p1'], /--ppg/],
  ])('bad input %j: one line on stderr, exit 2', async (argv, message) => {
    expect(expectUserError(await cli(argv, '<sl href="http://a"/>'))).toMatch(message);
  });
});
