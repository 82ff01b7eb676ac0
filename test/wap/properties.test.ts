import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSi,
  compileSl,
  decodeWbxml,
  decodeWspPush,
  encodeWspPush,
  wapPushSegments,
  type XmlElement,
} from '../../src/wap/index.js';

const xmlEscape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const normalize = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');

const chars = fc.constantFrom(
  'a',
  'Z',
  '0',
  '中',
  '文',
  '　',
  ' ',
  '\n',
  '\t',
  '&',
  '<',
  '"',
  "'",
  '#',
  ';',
  '%',
  '/',
  '.',
  ':',
  '?',
  '=',
  '😀',
);
const text = fc.string({ unit: chars, maxLength: 30 });
const href = fc
  .tuple(
    fc.constantFrom('', 'http://', 'http://www.', 'https://', 'https://www.', 'ftp://'),
    fc.array(fc.oneof(fc.constantFrom('.com/', '.edu/', '.net/', '.org/', '.com', 'www.'), text), {
      maxLength: 6,
    }),
  )
  .map(([prefix, parts]) => prefix + parts.join(''));
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

type Attrs = [string, string | undefined][];
const present = (attrs: Attrs) => attrs.filter((a): a is [string, string] => a[1] !== undefined);
const tag = (name: string, attrs: Attrs, body = '') =>
  `<${name}${present(attrs)
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('')}>${body}</${name}>`;
const el = (name: string, attrs: Attrs, content: (XmlElement | string)[] = []): XmlElement => ({
  name,
  attrs: present(attrs),
  children: content.filter((c) => c !== ''),
});

describe('SI/SL compile → decode round trip (facts §11)', () => {
  it('SI: hrefs with and without prefix tokens, Chinese text, dates, actions, info items', () => {
    const si = fc.record({
      href: optional(href),
      siId: optional(text),
      action: optional(
        fc.constantFrom('signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'),
      ),
      created: optional(date),
      expires: optional(date),
      message: text,
      items: fc.array(fc.record({ cls: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), text }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(si, (d) => {
        const attrs: Attrs = [
          ['href', d.href],
          ['si-id', d.siId],
          ['action', d.action],
          ['created', d.created],
          ['si-expires', d.expires],
        ];
        const items = d.items.map((i) => tag('item', [['class', i.cls]], xmlEscape(i.text)));
        const info = items.length ? `<info>${items.join('')}</info>` : '';
        const xml = `<?xml version="1.0"?>\n<si>\n  ${tag('indication', attrs, xmlEscape(d.message))}${info}\n</si>`;
        const expected = el(
          'si',
          [],
          [
            el('indication', attrs, [normalize(d.message)]),
            ...(items.length
              ? [
                  el(
                    'info',
                    [],
                    d.items.map((i) => el('item', [['class', i.cls]], [normalize(i.text)])),
                  ),
                ]
              : []),
          ],
        );
        const doc = decodeWbxml(compileSi(xml));
        expect(doc.kind).toBe('si');
        expect(doc.root).toEqual(expected);
        expect(compileSi(doc.xml)).toEqual(compileSi(xml));
      }),
      { numRuns: 500 },
    );
  });

  it('SL: hrefs and actions', () => {
    const sl = fc.record({
      href,
      action: optional(fc.constantFrom('execute-low', 'execute-high', 'cache')),
    });
    fc.assert(
      fc.property(sl, (d) => {
        const attrs: Attrs = [
          ['href', d.href],
          ['action', d.action],
        ];
        const doc = decodeWbxml(compileSl(tag('sl', attrs)));
        expect(doc.root).toEqual(el('sl', attrs));
        expect(compileSl(doc.xml)).toEqual(compileSl(tag('sl', attrs)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('WSP push PDU and WDP segments (facts §9, §10)', () => {
  it('decodeWspPush(encodeWspPush(p)) gives p back, application ids as codes', () => {
    const appIds: [string | number | undefined, string | number | undefined][] = [
      [undefined, undefined],
      [2, undefined],
      ['x-wap-application:wml.ua', undefined],
      ['x-wap-application:push.sia', 1],
      ['mms.ua', 4],
      [10, 10],
      [300, 300],
      ['http://example.com/app', 'http://example.com/app'],
    ];
    const push = fc.record({
      tid: fc.integer({ min: 0, max: 255 }),
      contentType: fc.constantFrom(
        'application/vnd.wap.sic',
        'application/vnd.wap.slc',
        'application/vnd.wap.mms-message',
        'text/x-vcard',
        'text/plain; charset=utf-8',
        'application/x-custom; level=1',
      ),
      appId: fc.constantFrom(...appIds),
      initiator: optional(fc.webUrl()),
      app: optional(fc.stringMatching(/^[A-Za-z0-9 ]{0,10}$/)),
      body: fc.uint8Array({ maxLength: 400 }),
    });
    fc.assert(
      fc.property(push, (p) => {
        const headers: Record<string, string> = {};
        if (p.initiator !== undefined) headers['X-Wap-Initiator-URI'] = p.initiator;
        if (p.app !== undefined) headers['X-App-Header'] = p.app;
        const body = Buffer.from(p.body);
        const pdu = encodeWspPush({
          tid: p.tid,
          contentType: p.contentType,
          applicationId: p.appId[0],
          headers,
          body,
        });
        const back = decodeWspPush(pdu);
        expect(back).toEqual({
          tid: p.tid,
          contentType: p.contentType,
          body,
          ...(p.appId[1] === undefined ? {} : { applicationId: p.appId[1] }),
          ...(Object.keys(headers).length ? { headers } : {}),
        });
      }),
      { numRuns: 500 },
    );
  });

  it('segments carry the port IE, the 8-bit concatenation IE after it when needed, and the PDU in order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 0, max: 255 }),
        (bytes, ref) => {
          const wsp = Buffer.from(bytes);
          const segments = wapPushSegments(wsp, ref);
          expect(Buffer.concat(segments.map((s) => s.ud))).toEqual(wsp);
          const total = segments.length;
          expect(total).toBe(wsp.length <= 133 ? 1 : Math.ceil(wsp.length / 128));
          segments.forEach((s, i) => {
            expect(s.udh.length + s.ud.length).toBeLessThanOrEqual(140);
            expect({ pkTotal: s.pkTotal, pkNumber: s.pkNumber }).toEqual({ pkTotal: total, pkNumber: i + 1 });
            const udh =
              total === 1
                ? '0605040b8423f0'
                : Buffer.of(0x0b, 5, 4, 0x0b, 0x84, 0x23, 0xf0, 0, 3, ref, total, i + 1).toString('hex');
            expect(s.udh.toString('hex')).toBe(udh);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
