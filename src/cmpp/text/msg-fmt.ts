import iconv from 'iconv-lite';

/** CMPP Msg_Fmt values (facts §6, Msg_Fmt table). */
export const MsgFmt = { ASCII: 0, SIM_WRITE: 3, BINARY: 4, UCS2: 8, GB18030: 15 } as const;

export type TextEncoding = 'ascii' | 'ucs2' | 'gb18030' | 'binary';

export const FMT_OF_ENCODING: Readonly<Record<TextEncoding, number>> = {
  ascii: MsgFmt.ASCII,
  ucs2: MsgFmt.UCS2,
  gb18030: MsgFmt.GB18030,
  binary: MsgFmt.BINARY,
};

/** SIM_WRITE (3) carries 8-bit data, so it maps to 'binary'. */
export const ENCODING_OF_FMT: Readonly<Partial<Record<number, TextEncoding>>> = {
  [MsgFmt.ASCII]: 'ascii',
  [MsgFmt.SIM_WRITE]: 'binary',
  [MsgFmt.BINARY]: 'binary',
  [MsgFmt.UCS2]: 'ucs2',
  [MsgFmt.GB18030]: 'gb18030',
};

export type CmppTextErrorCode = 'NOT_ENCODABLE' | 'TOO_LONG' | 'BAD_UDH' | 'BAD_FORMAT' | 'BAD_REFERENCE';

export class CmppTextError extends Error {
  override readonly name = 'CmppTextError';
  constructor(
    readonly code: CmppTextErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function encodeSingleByte(text: string, max: number, fmt: number): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > max) {
      throw new CmppTextError(
        'NOT_ENCODABLE',
        `char U+${c.toString(16)} at ${i} not encodable in Msg_Fmt ${fmt}`,
      );
    }
    out[i] = c;
  }
  return out;
}

/** Encodes text for Msg_Content. Binary (4) has no text form, so it throws. */
export function encodeText(text: string, fmt: number): Buffer {
  switch (fmt) {
    case MsgFmt.ASCII:
      return encodeSingleByte(text, 0x7f, fmt);
    case MsgFmt.SIM_WRITE:
      return encodeSingleByte(text, 0xff, fmt);
    case MsgFmt.UCS2:
      return Buffer.from(text, 'utf16le').swap16();
    case MsgFmt.GB18030:
      // iconv-lite would silently write '?' for a lone surrogate.
      if (LONE_SURROGATE.test(text)) {
        throw new CmppTextError('NOT_ENCODABLE', 'lone surrogate in GB18030 text');
      }
      // iconv-lite writes U+E5E5 (private use) as 83 39 B1 36, which it reads back as U+F5F9: no round
      // trip, so the handset would show another character.
      if (text.includes('\uE5E5')) {
        throw new CmppTextError('NOT_ENCODABLE', 'U+E5E5 has no GB18030 round trip; send it as UCS2');
      }
      return iconv.encode(text, 'gb18030');
    default:
      throw new CmppTextError('BAD_FORMAT', `Msg_Fmt ${fmt} has no text encoding`);
  }
}

/** Decodes Msg_Content text. Binary (4) throws: callers show it as hex. */
export function decodeText(buf: Uint8Array, fmt: number): string {
  switch (fmt) {
    case MsgFmt.ASCII:
    case MsgFmt.SIM_WRITE:
      return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
    case MsgFmt.UCS2:
      // Copy (swap16 works in place); an odd trailing byte is ignored.
      return Buffer.from(buf.subarray(0, buf.length & ~1))
        .swap16()
        .toString('utf16le');
    case MsgFmt.GB18030:
      return iconv.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), 'gb18030');
    default:
      throw new CmppTextError('BAD_FORMAT', `Msg_Fmt ${fmt} has no text decoding`);
  }
}

/** Picks Msg_Fmt: the preferred encoding if given, else ASCII when all chars are 7-bit, else UCS2. */
export function chooseFormat(text: string, preferred?: TextEncoding): number {
  if (preferred) return FMT_OF_ENCODING[preferred];
  return /^[\x00-\x7f]*$/.test(text) ? MsgFmt.ASCII : MsgFmt.UCS2;
}
