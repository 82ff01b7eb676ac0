import { describe, expect, it } from 'vitest';
import {
  buildMultipart,
  buildPap,
  formatPapAddress,
  type MultipartPart,
  PapParseError,
  parseMultipart,
  parsePapAddress,
  readPapRequest,
} from '../../src/wap/index.js';

const PAP = buildPap({
  type: 'push-message',
  pushId: 'p1',
  addresses: [parsePapAddress(formatPapAddress({ value: '+8613800138000' }))],
});
const SI = '<si><indication href="http://wap.example.com/a">你好</indication></si>';

/** The seed's request (S004): bare boundary, a trailing ";" and a folded type parameter. */
const SEED_HEADER = 'multipart/related; boundary=asdlfkjiurwghasf;\r\n  type="application/xml"';
const seedBody = (eol: string) =>
  [
    'This preamble is ignored.',
    '--asdlfkjiurwghasf',
    'Content-Type: application/xml',
    '',
    PAP.trimEnd(),
    '--asdlfkjiurwghasf',
    'content-type: text/vnd.wap.si',
    'X-Wap-Application-Id: x-wap-application:wml.ua',
    '',
    SI,
    '--asdlfkjiurwghasf',
    'Content-Type: application/xml',
    '',
    '<capabilities/>',
    '--asdlfkjiurwghasf--',
    'epilogue',
  ].join(eol);

describe('multipart/related (facts §8, Transport)', () => {
  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['LF', '\n'],
  ]) {
    it(`reads the seed's request with ${name} line ends`, () => {
      const parts = parseMultipart(Buffer.from(seedBody(eol)), SEED_HEADER);
      expect(parts.map((p) => p.headers)).toEqual([
        { 'content-type': 'application/xml' },
        { 'content-type': 'text/vnd.wap.si', 'x-wap-application-id': 'x-wap-application:wml.ua' },
        { 'content-type': 'application/xml' },
      ]);
      expect(parts[0].body.toString()).toBe(PAP.trimEnd());
      expect(parts[1].body.toString()).toBe(SI);
      expect(parts[2].body.toString()).toBe('<capabilities/>');
    });
  }

  it('takes a quoted boundary, transport padding, empty parts and a boundary that prefixes a longer line', () => {
    const body = '--b c\r\n\r\n\r\n--b c  \r\nA: 1\r\n\r\n--b cd\r\nx\r\n--b c--';
    const parts = parseMultipart(Buffer.from(body), 'Multipart/Related; BOUNDARY="b c"');
    expect(parts).toEqual([
      { headers: {}, body: Buffer.alloc(0) },
      { headers: { a: '1' }, body: Buffer.from('--b cd\r\nx') },
    ]);
  });

  it('decodes base64 parts and keeps binary bodies intact', () => {
    const binary = Buffer.from([0, 1, 0x0d, 0x0a, 0xff, 0x2d, 0x2d]);
    const body = [
      '--x',
      'Content-Type: application/vnd.wap.sic',
      'Content-Transfer-Encoding: BASE64',
      '',
      'AgVqAEXGDANh',
      'AAEDSGkAAQE=',
      '--x--',
    ].join('\r\n');
    const [part] = parseMultipart(Buffer.from(body), 'multipart/related; boundary=x');
    expect(part.body.toString('hex')).toBe('02056a0045c60c0361000103486900010' + '1');
    const built = buildMultipart(
      [{ headers: { 'content-type': 'application/octet-stream' }, body: binary }],
      'x',
    );
    expect(parseMultipart(built.body, built.contentType)[0].body).toEqual(binary);
  });

  it('buildMultipart → parseMultipart round-trips, base64 included, with a random boundary', () => {
    const parts: MultipartPart[] = [
      { headers: { 'content-type': 'application/xml' }, body: Buffer.from(PAP) },
      {
        headers: { 'content-type': 'application/vnd.wap.sic', 'content-transfer-encoding': 'base64' },
        body: Buffer.alloc(200, 0xab),
      },
    ];
    const built = buildMultipart(parts);
    expect(built.contentType).toMatch(
      /^multipart\/related; boundary="cmppgw-[0-9a-f]+"; type="application\/xml"$/,
    );
    expect(built.body.toString()).toContain('Content-Transfer-Encoding: base64\r\n');
    expect(parseMultipart(built.body, built.contentType)).toEqual(parts);
  });

  it.each([
    ['not multipart', 'application/xml', '--x\r\n\r\na\r\n--x--', 'content-type'],
    ['no boundary', 'multipart/related; type="application/xml"', '--x\r\n\r\na\r\n--x--', 'boundary'],
    ['boundary never used', 'multipart/related; boundary=y', '--x\r\n\r\na\r\n--x--', 'boundary'],
    ['no closing delimiter', 'multipart/related; boundary=x', '--x\r\n\r\na\r\n', 'multipart'],
    ['delimiter at the very end', 'multipart/related; boundary=x', '--x\r\n\r\na\r\n--x', 'multipart'],
    [
      'bad part header',
      'multipart/related; boundary=x',
      '--x\r\nno colon here\r\n\r\na\r\n--x--',
      'multipart',
    ],
    [
      'bad base64',
      'multipart/related; boundary=x',
      '--x\r\nContent-Transfer-Encoding: base64\r\n\r\n**\r\n--x--',
      'content-transfer-encoding',
    ],
  ])('%s → PapParseError 2000', (_, header, body, field) => {
    expect(() => parseMultipart(Buffer.from(body), header)).toThrow(PapParseError);
    try {
      parseMultipart(Buffer.from(body), header);
    } catch (err) {
      expect(err).toMatchObject({ code: 2000, field });
    }
  });
});

describe('readPapRequest', () => {
  it('returns the control entity and the content entity of a push', () => {
    const { control, content } = readPapRequest(Buffer.from(seedBody('\r\n')), SEED_HEADER);
    expect(control).toMatchObject({ type: 'push-message', pushId: 'p1' });
    expect(content?.headers['content-type']).toBe('text/vnd.wap.si');
    expect(content?.body.toString()).toBe(SI);
  });

  it('reads a bare application/xml control document', () => {
    const xml = buildPap({ type: 'statusquery-message', pushId: 'p1' });
    expect(readPapRequest(Buffer.from(xml), 'application/xml; charset=utf-8')).toEqual({
      control: { type: 'statusquery-message', pushId: 'p1' },
    });
  });

  it('rejects other content types and empty multiparts', () => {
    expect(() => readPapRequest(Buffer.from('x'), 'text/plain')).toThrow(PapParseError);
    expect(() => readPapRequest(Buffer.from('--x--'), 'multipart/related; boundary=x')).toThrow(/no parts/);
  });
});
