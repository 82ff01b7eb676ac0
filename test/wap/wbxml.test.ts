import { describe, expect, it } from 'vitest';
import type { XmlElement } from '../../src/wap/index.js';
import {
  compilePushContent,
  compileSi,
  compileSl,
  decodeWbxml,
  WapDecodeError,
  WapTransformError,
} from '../../src/wap/index.js';

const hexOf = (b: Buffer) => b.toString('hex').toUpperCase();
const str = (s: string) => hexOf(Buffer.from(`\u0003${s}\u0000`));

describe('SI compiler (facts §11)', () => {
  it('Kannel test/si.txt: dates as packed BCD with trailing zero bytes dropped', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">
<si>
  <indication href="http://www.gni.ch" si-id="1@gni.ch" action="signal-high"
      created="1999-06-25T15:23:15Z" si-expires="2005-06-30T00:00:00Z">
    You have 4 new emails
  </indication>
</si>`;
    expect(hexOf(compileSi(xml))).toBe(
      `02056A0045C60D${str('gni.ch')}11${str('1@gni.ch')}080AC3071999062515231510C3042005063001` +
        `${str('You have 4 new emails')}0101`,
    );
  });

  it('https:// with .org/, info with content (47) and item with attribute and content (C8)', () => {
    const xml =
      '<si><indication href="https://example.org/x">a</indication>' +
      '<info><item class="k">v</item></info></si>';
    expect(hexOf(compileSi(xml))).toBe(
      `02056A0045C60E${str('example')}88${str('x')}01${str('a')}0147C812${str('k')}01${str('v')}010101`,
    );
  });

  it('collapses and trims text; whitespace-only text sets no content bit; U+3000 is content', () => {
    const doc = decodeWbxml(
      compileSi('<si><indication href="http://a">  多个\n\t 空格　 </indication></si>'),
    );
    expect(doc.xml).toBe('<si><indication href="http://a">多个 空格　</indication></si>');
    const bare = compileSi('<si><indication si-id="x" action="delete">  \n </indication></si>');
    expect(hexOf(bare)).toBe(`02056A00458611${str('x')}090101`);
  });

  it('decodes character references and the predefined entities in text and attributes', () => {
    const doc = decodeWbxml(
      compileSi(
        '<si><indication href="http://a/?q=&#x4E2D;&amp;b">&#20013;&#x6587; &lt;ok&gt; &quot;x&quot;</indication></si>',
      ),
    );
    const indication = doc.root.children[0] as XmlElement;
    expect(indication.attrs).toContainEqual(['href', 'http://a/?q=中&b']);
    expect(indication.children).toEqual(['中文 <ok> "x"']);
    // Decoded once: an escaped reference stays a reference (a property test found `&amp;#0;` read as NUL).
    const escaped = decodeWbxml(
      compileSi('<si><indication href="http://a">&amp;#0; &amp;lt;</indication></si>'),
    );
    expect((escaped.root.children[0] as XmlElement).children).toEqual(['&#0; &lt;']);
  });

  it('all actions and href prefixes, longest first', () => {
    const cases: [string, string][] = [
      ['http://x', `0C${str('x')}`],
      ['http://www.x', `0D${str('x')}`],
      ['https://x', `0E${str('x')}`],
      ['https://www.x', `0F${str('x')}`],
      ['ftp://a.com/b.edu/c.net/', `0B${str('ftp://a')}85${str('b')}86${str('c')}87`],
      ['http://', '0C'],
    ];
    for (const [href, bytes] of cases) {
      expect(hexOf(compileSi(`<si><indication href="${href}"/></si>`))).toBe(`02056A004586${bytes}0101`);
    }
    const actions = ['signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'];
    actions.forEach((action, i) => {
      expect(hexOf(compileSi(`<si><indication action="${action}"/></si>`))).toBe(`02056A0045860${5 + i}0101`);
    });
  });

  it.each([
    ['malformed XML', '<si><indication>'],
    ['wrong root', '<sl href="http://a"/>'],
    ['unknown element', '<si><indication/><foo/></si>'],
    ['unknown attribute', '<si><indication bogus="1"/></si>'],
    ['bad action', '<si><indication action="signal-loud"/></si>'],
    ['bad date', '<si><indication created="2024-01-15 10:30"/></si>'],
    ['item without class', '<si><indication/><info><item>x</item></info></si>'],
    ['si without indication', '<si></si>'],
    ['text in si', '<si>text<indication/></si>'],
    ['two roots', '<si><indication/></si><si/>'],
  ])('rejects %s with WapTransformError', (_, xml) => {
    expect(() => compileSi(xml)).toThrow(WapTransformError);
  });
});

describe('SL compiler (facts §11)', () => {
  it('writes attributes only (85 … 01) and every action token', () => {
    ['execute-low', 'execute-high', 'cache'].forEach((action, i) => {
      expect(hexOf(compileSl(`<sl href="http://www.a.net/" action="${action}"/>`))).toBe(
        `02066A00850A${str('a')}870${5 + i}01`,
      );
    });
    expect(hexOf(compileSl('<sl href="https://www.a"/>'))).toBe(`02066A00850C${str('a')}01`);
  });

  it('rejects a missing href, children and text', () => {
    for (const xml of ['<sl/>', '<sl href="http://a"><x/></sl>', '<sl href="http://a">t</sl>']) {
      expect(() => compileSl(xml)).toThrow(WapTransformError);
    }
  });
});

describe('decodeWbxml', () => {
  it('reads LIBWBXML variants: SL with an empty content (C5 … 01 01) and a string table', () => {
    expect(decodeWbxml(Buffer.from(`02066A00C509${str('a')}0101`, 'hex')).xml).toBe('<sl href="http://a"/>');
    const withTable = Buffer.concat([
      Buffer.from('02056A03', 'hex'),
      Buffer.from('xy\0', 'latin1'),
      Buffer.from('45C60C830001', 'hex'),
      Buffer.from(`${str('t')}0101`, 'hex'),
    ]);
    expect(decodeWbxml(withTable).xml).toBe('<si><indication href="http://xy">t</indication></si>');
  });

  it.each([
    ['truncated', '02056A0045C6'],
    ['unknown public id', '02016A0045'],
    ['unknown charset', '0205FF00'],
    ['unknown tag', '02056A0049'],
    ['trailing bytes', '02066A000501FF'],
  ])('throws WapDecodeError when %s', (_, hex) => {
    expect(() => decodeWbxml(Buffer.from(hex, 'hex'))).toThrow(WapDecodeError);
  });
});

describe('compilePushContent (facts §8, PPG conversions)', () => {
  it('compiles SI/SL, checks SIC/SLC and passes other types through', () => {
    const si = '<si><indication href="http://a">x</indication></si>';
    expect(compilePushContent('Text/VND.WAP.SI; charset=utf-8', Buffer.from(si))).toEqual({
      contentType: 'application/vnd.wap.sic',
      body: compileSi(si),
    });
    const slc = compileSl('<sl href="http://a"/>');
    expect(compilePushContent('application/vnd.wap.slc', slc)).toEqual({
      contentType: 'application/vnd.wap.slc',
      body: slc,
    });
    expect(() => compilePushContent('application/vnd.wap.sic', slc)).toThrow(WapTransformError);
    expect(() => compilePushContent('application/vnd.wap.sic', Buffer.of(1, 2))).toThrow(WapTransformError);
    const other = Buffer.from('hello');
    expect(compilePushContent('text/plain', other)).toEqual({ contentType: 'text/plain', body: other });
  });
});
