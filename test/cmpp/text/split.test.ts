import { describe, expect, it } from 'vitest';
import {
  chooseFormat,
  decodeText,
  encodeText,
  MsgFmt,
  parseUdh,
  type SplitResult,
  splitMessage,
} from '../../../src/cmpp/text/index.js';
import { hex, payloadOf, textError } from './helpers.js';

/** Vector `submit-v3-long-seg1of2` (/work/shared/vectors/cmpp-gocmpp.json), packed by gocmpp. */
const VECTOR = {
  udh: '0500035a0201',
  text: '中国移动互联网短信网关接口协议规定，超过七十个汉字的长短信需要拆分为多条短消息发送，每条消息携带用户数据头，以便手机把它们重新组装成完',
  msgContent:
    '0500035a02014e2d56fd79fb52a84e9280547f5177ed4fe17f51517363a553e3534f8bae89c45b9aff0c8d858fc74e03534' +
    '14e2a6c495b577684957f77ed4fe19700898162c652064e3a591a676177ed6d88606f53d19001ff0c6bcf67616d88606f643a' +
    '5e26752862376570636e5934ff0c4ee54fbf624b673a628a5b834eec91cd65b07ec488c562105b8c',
};

const payloadLengths = (r: SplitResult) => r.segments.map((s) => payloadOf(s).length);
const decodeSegments = (r: SplitResult, fmt: number) => r.segments.map((s) => decodeText(payloadOf(s), fmt));

describe('single SMS', () => {
  it('sends Chinese text that fits without a UDH', () => {
    const r = splitMessage({ text: '中国移动', fmt: MsgFmt.UCS2, reference: 1 });
    expect(r).toEqual({
      pkTotal: 1,
      segments: [{ pkNumber: 1, tpUdhi: 0, content: Buffer.from('4e2d56fd79fb52a8', 'hex') }],
    });
  });

  it('sends empty text as one empty segment', () => {
    const r = splitMessage({ text: '', fmt: MsgFmt.ASCII, reference: 0 });
    expect(r.pkTotal).toBe(1);
    expect(r.segments[0].content.length).toBe(0);
  });

  it('refuses text in the binary format', () => {
    expect(() => splitMessage({ text: 'x', fmt: MsgFmt.BINARY, reference: 0 })).toThrow(
      textError('BAD_FORMAT'),
    );
  });
});

describe('UCS2 edges (70 chars single, 67 per segment)', () => {
  it.each([
    [70, [140]],
    [71, [134, 8]],
    [134, [134, 134]],
    [135, [134, 134, 2]],
  ])('%i chars → payloads %j', (n, lengths) => {
    const text = '中'.repeat(n);
    const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 0x33 });
    expect(r.pkTotal).toBe(lengths.length);
    expect(payloadLengths(r)).toEqual(lengths);
    expect(decodeSegments(r, MsgFmt.UCS2).join('')).toBe(text);
    r.segments.forEach((s, i) => {
      expect(s.pkNumber).toBe(i + 1);
      expect(s.content.length).toBeLessThanOrEqual(140);
      if (r.pkTotal === 1) {
        expect(s.tpUdhi).toBe(0);
      } else {
        expect(s.tpUdhi).toBe(1);
        expect(hex(s.content.subarray(0, 6))).toBe(hex(Uint8Array.of(5, 0, 3, 0x33, r.pkTotal, i + 1)));
      }
    });
  });

  it('sends mixed ASCII and Chinese as UCS2', () => {
    const text = 'Hello 世界! '.repeat(8);
    const fmt = chooseFormat(text);
    expect(fmt).toBe(MsgFmt.UCS2);
    const r = splitMessage({ text, fmt, reference: 9 });
    expect(decodeSegments(r, fmt)).toEqual([text.slice(0, 67), text.slice(67)]);
  });
});

describe('surrogate pairs', () => {
  it('never ends a segment on a high surrogate', () => {
    const text = '😀'.repeat(40);
    const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 1 });
    expect(payloadLengths(r)).toEqual([132, 28]);
    expect(decodeSegments(r, MsgFmt.UCS2)).toEqual(['😀'.repeat(33), '😀'.repeat(7)]);
  });

  it('keeps the full 67 units when the pair does not straddle', () => {
    const text = `a${'😀'.repeat(40)}`;
    const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 1 });
    expect(payloadLengths(r)).toEqual([134, 28]);
    expect(decodeSegments(r, MsgFmt.UCS2)).toEqual([`a${'😀'.repeat(33)}`, '😀'.repeat(7)]);
  });
});

describe('ASCII edges (159 single, 153 per segment)', () => {
  it.each([
    [159, [159]],
    [160, [153, 7]],
    [306, [153, 153]],
    [307, [153, 153, 1]],
  ])('%i chars → payloads %j', (n, lengths) => {
    const text = 'abcdefghij'.repeat(31).slice(0, n);
    const r = splitMessage({ text, fmt: MsgFmt.ASCII, reference: 200 });
    expect(payloadLengths(r)).toEqual(lengths);
    expect(r.segments.every((s) => s.content.length <= 159)).toBe(true);
    expect(decodeSegments(r, MsgFmt.ASCII).join('')).toBe(text);
  });

  it('uses 152 bytes with a 16-bit reference', () => {
    const r = splitMessage({ text: 'x'.repeat(160), fmt: MsgFmt.ASCII, reference: 300, ref16: true });
    expect(payloadLengths(r)).toEqual([152, 8]);
  });
});

describe('GB18030', () => {
  it('never cuts a 4-byte char', () => {
    const text = `${'a'.repeat(132)}𠀀中€${'b'.repeat(10)}`;
    const r = splitMessage({ text, fmt: MsgFmt.GB18030, reference: 4 });
    expect(payloadLengths(r)).toEqual([132, 18]);
    expect(decodeSegments(r, MsgFmt.GB18030)).toEqual(['a'.repeat(132), `𠀀中€${'b'.repeat(10)}`]);
  });

  it('never cuts a 2-byte char', () => {
    const text = `${'a'.repeat(133)}中文${'b'.repeat(10)}`;
    const r = splitMessage({ text, fmt: MsgFmt.GB18030, reference: 4 });
    expect(payloadLengths(r)).toEqual([133, 14]);
    expect(decodeSegments(r, MsgFmt.GB18030)).toEqual(['a'.repeat(133), `中文${'b'.repeat(10)}`]);
  });

  it('round-trips mixed 1-, 2- and 4-byte chars, each segment on a char boundary', () => {
    const text = 'SMS 网关 € 𠀀𠀁 ¥ 😀 '.repeat(30);
    for (const ref16 of [false, true]) {
      const r = splitMessage({ text, fmt: MsgFmt.GB18030, reference: 77, ref16 });
      expect(r.pkTotal).toBeGreaterThan(3);
      const payloads = r.segments.map(payloadOf);
      const max = ref16 ? 133 : 134;
      // Full segments lose at most 3 bytes to a 4-byte char that does not fit.
      for (const p of payloads.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(max - 3);
      for (const p of payloads) expect(p.length).toBeLessThanOrEqual(max);
      const parts = payloads.map((p) => decodeText(p, MsgFmt.GB18030));
      expect(parts.some((p) => p.includes('\ufffd'))).toBe(false);
      expect(parts.join('')).toBe(text);
      expect(decodeText(Buffer.concat(payloads), MsgFmt.GB18030)).toBe(text);
    }
  });
});

describe('16-bit reference', () => {
  it('writes the 16-bit IE and 66 UCS2 chars per segment', () => {
    const text = '中'.repeat(133);
    const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 0x1234, ref16: true });
    expect(payloadLengths(r)).toEqual([132, 132, 2]);
    expect(r.segments.map((s) => hex(s.content.subarray(0, 7)))).toEqual([
      '06080412340301',
      '06080412340302',
      '06080412340303',
    ]);
  });

  it('uses 133 bytes for binary', () => {
    const binary = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const r = splitMessage({ binary, fmt: MsgFmt.BINARY, reference: 0xffff, ref16: true });
    expect(payloadLengths(r)).toEqual([133, 133, 34]);
    expect(hex(Buffer.concat(r.segments.map(payloadOf)))).toBe(hex(binary));
  });
});

describe('binary', () => {
  it('fits 140 bytes in one segment and splits 141 into 134 + 7', () => {
    expect(splitMessage({ binary: new Uint8Array(140), fmt: MsgFmt.BINARY, reference: 0 }).pkTotal).toBe(1);
    const r = splitMessage({ binary: new Uint8Array(141), fmt: MsgFmt.BINARY, reference: 0 });
    expect(payloadLengths(r)).toEqual([134, 7]);
  });
});

describe('UDH prefix (WAP Push ports, facts §10)', () => {
  const ports = Uint8Array.of(0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0);
  const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

  it('keeps the port UDH on a single SMS', () => {
    const r = splitMessage({ binary: data(133), fmt: MsgFmt.BINARY, reference: 1, udhPrefix: ports });
    expect(r.pkTotal).toBe(1);
    expect(r.segments[0].tpUdhi).toBe(1);
    expect(r.segments[0].content.length).toBe(140);
    expect(hex(r.segments[0].content.subarray(0, 7))).toBe('0605040b8423f0');
  });

  it('puts the concatenation IE after the ports, 128 bytes per segment', () => {
    const r = splitMessage({ binary: data(134), fmt: MsgFmt.BINARY, reference: 0x42, udhPrefix: ports });
    expect(r.segments.map((s) => hex(s.content.subarray(0, 12)))).toEqual([
      '0b05040b8423f00003420201',
      '0b05040b8423f00003420202',
    ]);
    expect(payloadLengths(r)).toEqual([128, 6]);
  });

  it('uses 127 bytes per segment with a 16-bit reference', () => {
    const r = splitMessage({
      binary: data(200),
      fmt: MsgFmt.BINARY,
      reference: 0x4243,
      ref16: true,
      udhPrefix: ports,
    });
    expect(hex(r.segments[0].content.subarray(0, 13))).toBe('0c05040b8423f0080442430201');
    expect(payloadLengths(r)).toEqual([127, 73]);
  });

  it('rejects a malformed prefix', () => {
    const bad = Uint8Array.of(0x05, 0x04, 0x0b);
    expect(() =>
      splitMessage({ binary: data(10), fmt: MsgFmt.BINARY, reference: 1, udhPrefix: bad }),
    ).toThrow(textError('BAD_UDH'));
  });

  it('rejects a prefix that leaves no room for payload', () => {
    const huge = Uint8Array.of(0x70, 131, ...new Uint8Array(131));
    expect(() =>
      splitMessage({ binary: data(200), fmt: MsgFmt.BINARY, reference: 1, udhPrefix: huge }),
    ).toThrow(textError('TOO_LONG'));
  });
});

describe('limits', () => {
  it('allows 255 segments and refuses 256', () => {
    const max = splitMessage({ text: '中'.repeat(67 * 255), fmt: MsgFmt.UCS2, reference: 1 });
    expect(max.pkTotal).toBe(255);
    expect(parseUdh(max.segments[254].content).concat).toEqual({
      ref: 1,
      total: 255,
      seq: 255,
      ref16: false,
    });
    expect(() => splitMessage({ text: '中'.repeat(67 * 255 + 1), fmt: MsgFmt.UCS2, reference: 1 })).toThrow(
      textError('TOO_LONG'),
    );
  });

  it.each([
    [256, false],
    [-1, false],
    [1.5, false],
    [65536, true],
  ])('refuses reference %d (ref16 %s)', (reference, ref16) => {
    expect(() => splitMessage({ text: 'x', fmt: MsgFmt.ASCII, reference, ref16 })).toThrow(
      textError('BAD_REFERENCE'),
    );
  });
});

describe('gocmpp vector submit-v3-long-seg1of2', () => {
  it('builds segment 1 byte for byte', () => {
    expect(VECTOR.text.length).toBe(67);
    const text = `${VECTOR.text}整的消息。`;
    const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 0x5a });
    expect(r.pkTotal).toBe(2);
    expect(r.segments[0]).toMatchObject({ pkNumber: 1, tpUdhi: 1 });
    expect(hex(r.segments[0].content)).toBe(VECTOR.msgContent);
    expect(hex(r.segments[0].content.subarray(0, 6))).toBe(VECTOR.udh);
    expect(hex(payloadOf(r.segments[0]))).toBe(hex(encodeText(VECTOR.text, MsgFmt.UCS2)));
  });
});
