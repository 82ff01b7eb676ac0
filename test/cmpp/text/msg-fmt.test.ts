import { describe, expect, it } from 'vitest';
import {
  chooseFormat,
  decodeText,
  ENCODING_OF_FMT,
  encodeText,
  FMT_OF_ENCODING,
  MsgFmt,
} from '../../../src/cmpp/text/index.js';
import { hex, textError } from './helpers.js';

describe('Msg_Fmt maps', () => {
  it('maps every encoding to its Msg_Fmt and back', () => {
    expect(FMT_OF_ENCODING).toEqual({ ascii: 0, ucs2: 8, gb18030: 15, binary: 4 });
    for (const [enc, fmt] of Object.entries(FMT_OF_ENCODING)) expect(ENCODING_OF_FMT[fmt]).toBe(enc);
    expect(ENCODING_OF_FMT[MsgFmt.SIM_WRITE]).toBe('binary');
    expect(ENCODING_OF_FMT[1]).toBeUndefined();
  });
});

describe('encodeText', () => {
  it('writes ASCII one byte per char and refuses anything above 0x7F', () => {
    expect(hex(encodeText('Hi 1', MsgFmt.ASCII))).toBe('48692031');
    expect(() => encodeText('café', MsgFmt.ASCII)).toThrow(textError('NOT_ENCODABLE'));
  });

  it('writes SIM_WRITE as latin1', () => {
    expect(hex(encodeText('é', MsgFmt.SIM_WRITE))).toBe('e9');
    expect(() => encodeText('中', MsgFmt.SIM_WRITE)).toThrow(textError('NOT_ENCODABLE'));
  });

  it('writes UCS2 as UTF-16BE, surrogate pairs included', () => {
    expect(hex(encodeText('中国A', MsgFmt.UCS2))).toBe('4e2d56fd0041');
    expect(hex(encodeText('😀', MsgFmt.UCS2))).toBe('d83dde00');
  });

  it('writes GB18030 with 1-, 2- and 4-byte chars', () => {
    expect(hex(encodeText('a中€𠀀', MsgFmt.GB18030))).toBe('61d6d0a2e395328236');
    expect(() => encodeText('x\ud800y', MsgFmt.GB18030)).toThrow(textError('NOT_ENCODABLE'));
    // U+E5E5 does not survive iconv-lite's GB18030 round trip (it comes back as U+F5F9).
    expect(() => encodeText('x\ue5e5y', MsgFmt.GB18030)).toThrow(textError('NOT_ENCODABLE'));
  });

  it('has no text form for binary or unknown formats', () => {
    expect(() => encodeText('x', MsgFmt.BINARY)).toThrow(textError('BAD_FORMAT'));
    expect(() => encodeText('x', 2)).toThrow(textError('BAD_FORMAT'));
  });
});

describe('decodeText', () => {
  it('reads ASCII and SIM_WRITE as latin1, honouring a subarray offset', () => {
    const buf = Buffer.from('00486900e9', 'hex').subarray(1, 3);
    expect(decodeText(buf, MsgFmt.ASCII)).toBe('Hi');
    expect(decodeText(Buffer.from([0x48, 0xe9]), MsgFmt.SIM_WRITE)).toBe('Hé');
  });

  it('reads UTF-16BE, ignores an odd trailing byte and leaves the input untouched', () => {
    const buf = Buffer.from('4e2d56fdd83dde0041', 'hex');
    expect(decodeText(buf, MsgFmt.UCS2)).toBe('中国😀');
    expect(hex(buf)).toBe('4e2d56fdd83dde0041');
  });

  it('reads GB18030 from a plain Uint8Array view', () => {
    const bytes = new Uint8Array(Buffer.from('ff61d6d0a2e395328236', 'hex')).subarray(1);
    expect(decodeText(bytes, MsgFmt.GB18030)).toBe('a中€𠀀');
  });

  it('throws for binary', () => {
    expect(() => decodeText(Buffer.from([1, 2]), MsgFmt.BINARY)).toThrow(textError('BAD_FORMAT'));
  });
});

describe('chooseFormat', () => {
  it('uses ASCII for 7-bit text and UCS2 otherwise', () => {
    expect(chooseFormat('hello, world ~')).toBe(MsgFmt.ASCII);
    expect(chooseFormat('')).toBe(MsgFmt.ASCII);
    expect(chooseFormat('hello 世界')).toBe(MsgFmt.UCS2);
    expect(chooseFormat('café')).toBe(MsgFmt.UCS2);
    expect(chooseFormat('😀')).toBe(MsgFmt.UCS2);
  });

  it('uses GB18030 only when asked, and honours any preference', () => {
    expect(chooseFormat('中文', 'gb18030')).toBe(MsgFmt.GB18030);
    expect(chooseFormat('abc', 'ucs2')).toBe(MsgFmt.UCS2);
  });
});
