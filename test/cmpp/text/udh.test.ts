import { describe, expect, it } from 'vitest';
import { buildConcatUdh, buildUdh, hasUdhi, parseUdh } from '../../../src/cmpp/text/index.js';
import { hex, textError } from './helpers.js';

const parseHex = (h: string) => parseUdh(Buffer.from(h, 'hex'));

describe('building a UDH', () => {
  it('builds the 8-bit and 16-bit concatenation UDH', () => {
    expect(hex(buildConcatUdh(0x5a, 2, 1, false))).toBe('0500035a0201');
    expect(hex(buildConcatUdh(0x1234, 3, 2, true))).toBe('06080412340302');
  });

  it('builds several IEs behind one UDHL', () => {
    const udh = buildUdh([
      { iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) },
      { iei: 0x00, data: Uint8Array.of(7, 2, 1) },
    ]);
    expect(hex(udh)).toBe('0b05040b8423f00003070201');
  });

  it('refuses a UDH longer than 255 bytes', () => {
    const big = { iei: 0x70, data: new Uint8Array(200) };
    expect(() => buildUdh([big, big])).toThrow(textError('BAD_UDH'));
  });
});

describe('parseUdh', () => {
  it('reads an 8-bit concatenation IE and the payload', () => {
    const p = parseHex('0500035a02014e2d');
    expect(p.udhLength).toBe(5);
    expect(p.concat).toEqual({ ref: 0x5a, total: 2, seq: 1, ref16: false });
    expect(p.ports).toBeUndefined();
    expect(hex(p.payload)).toBe('4e2d');
  });

  it('reads a 16-bit concatenation IE', () => {
    expect(parseHex('06080412340302ff').concat).toEqual({ ref: 0x1234, total: 3, seq: 2, ref16: true });
  });

  it('finds the concatenation IE in any position, among ports and unknown IEs', () => {
    const portsFirst = parseHex('0b05040b8423f0000309020155');
    expect(portsFirst.ports).toEqual({ dst: 2948, src: 9200 });
    expect(portsFirst.concat).toEqual({ ref: 9, total: 2, seq: 1, ref16: false });
    expect(hex(portsFirst.payload)).toBe('55');

    const concatFirst = parseHex('0d0804abcd02022401aa0402fe0166');
    expect(concatFirst.concat).toEqual({ ref: 0xabcd, total: 2, seq: 2, ref16: true });
    expect(concatFirst.ports).toEqual({ dst: 0xfe, src: 0x01 });
    expect(concatFirst.ies.map((ie) => ie.iei)).toEqual([0x08, 0x24, 0x04]);
    expect(hex(concatFirst.ies[1].data)).toBe('aa');
    expect(hex(concatFirst.payload)).toBe('66');
  });

  it('ignores a concatenation IE with a zero total or an out-of-range seq (TS 23.040)', () => {
    expect(parseHex('050003010000').concat).toBeUndefined();
    expect(parseHex('050003010200').concat).toBeUndefined();
    expect(parseHex('050003010203').concat).toBeUndefined();
  });

  it.each([
    ['empty content', ''],
    ['UDHL beyond content', '0500030102'],
    ['IE length beyond UDHL', '030003010201'],
    ['truncated IE header', '0100aa'],
    ['known IE with the wrong length', '0400020102'],
  ])('throws BAD_UDH on %s', (_, h) => {
    expect(() => parseHex(h)).toThrow(textError('BAD_UDH'));
  });
});

describe('hasUdhi', () => {
  it('accepts 0x01 and the 0x40 that gateways send (facts §7)', () => {
    expect(hasUdhi(0)).toBe(false);
    expect(hasUdhi(1)).toBe(true);
    expect(hasUdhi(0x40)).toBe(true);
    expect(hasUdhi(0x41)).toBe(true);
    expect(hasUdhi(0x02)).toBe(false);
  });
});
