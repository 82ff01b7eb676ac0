import { WapDecodeError } from './errors.js';
import { unpackDate } from './wbxml-date.js';
import { WB, WBXML_TABLES, type WbxmlTable } from './wbxml-tokens.js';
import { renderXml, type XmlElement } from './xml.js';

/** A decoded SI or SL document: the element tree (attributes in wire order) and canonical XML. */
export interface WbxmlDocument {
  kind: 'si' | 'sl';
  /** `root` written without declaration or DOCTYPE; compileSi/compileSl accept it back. */
  xml: string;
  root: XmlElement;
}

const CHARSETS: Record<number, BufferEncoding> = { 3: 'latin1', 4: 'latin1', 106: 'utf8' };

class Reader {
  at = 0;
  constructor(
    readonly buf: Buffer,
    readonly encoding: BufferEncoding = 'utf8',
  ) {}

  byte(): number {
    if (this.at >= this.buf.length) throw new WapDecodeError(`WBXML truncated at byte ${this.at}`);
    return this.buf[this.at++];
  }

  /** mb_u_int32: 7 bits per byte, high bit = more follow (WAP-192 §5.1). */
  mbUint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    throw new WapDecodeError('mb_u_int32 longer than 5 bytes');
  }

  bytes(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new WapDecodeError(`WBXML truncated: ${n} bytes at ${this.at}`);
    this.at += n;
    return this.buf.subarray(this.at - n, this.at);
  }

  cString(): string {
    const end = this.buf.indexOf(0, this.at);
    if (end < 0) throw new WapDecodeError(`unterminated inline string at byte ${this.at}`);
    const s = this.buf.toString(this.encoding, this.at, end);
    this.at = end + 1;
    return s;
  }
}

interface Context {
  r: Reader;
  table: WbxmlTable;
  strtbl: Buffer;
}

function tableString(ctx: Context, offset: number): string {
  const end = ctx.strtbl.indexOf(0, offset);
  if (offset >= ctx.strtbl.length || end < 0) throw new WapDecodeError(`bad string table offset ${offset}`);
  return ctx.strtbl.toString(ctx.r.encoding, offset, end);
}

/** A string in content or an attribute value: STR_I, STR_T or ENTITY; undefined if the token is none. */
function stringToken(ctx: Context, token: number): string | undefined {
  if (token === WB.STR_I) return ctx.r.cString();
  if (token === WB.STR_T) return tableString(ctx, ctx.r.mbUint());
  if (token === WB.ENTITY) {
    const code = ctx.r.mbUint();
    if (code > 0x10ffff) throw new WapDecodeError(`ENTITY ${code} is not a character`);
    return String.fromCodePoint(code);
  }
  return undefined;
}

function attributes(ctx: Context, tag: string): [string, string][] {
  const { r, table } = ctx;
  const attrs: [string, string][] = [];
  for (let token = r.byte(); token !== WB.END; token = r.byte()) {
    if (token === WB.SWITCH_PAGE && r.byte() === 0) continue;
    const last = attrs[attrs.length - 1];
    if (token >= 0x80) {
      const value = Object.entries(table.attrValues).find(([, t]) => t === token)?.[0];
      const text = value ?? stringToken(ctx, token);
      if (text !== undefined && last) last[1] += text;
      else if (token === WB.OPAQUE && last && table.dateAttrs.has(last[0])) {
        const date = unpackDate(r.bytes(r.mbUint()));
        if (date === undefined) throw new WapDecodeError(`<${tag}> ${last[0]} is not a packed date`);
        last[1] += date;
      } else throw new WapDecodeError(`unexpected attribute value token 0x${token.toString(16)} in <${tag}>`);
      continue;
    }
    const string = stringToken(ctx, token);
    const start = table.attrStarts.find((a) => a.token === token);
    if (string !== undefined && last) last[1] += string;
    else if (start) attrs.push([start.name, start.prefix]);
    else throw new WapDecodeError(`unknown attribute token 0x${token.toString(16)} in <${tag}>`);
  }
  return attrs;
}

function element(ctx: Context, token: number): XmlElement {
  const { r, table } = ctx;
  const name = Object.entries(table.tags).find(([, t]) => t === (token & 0x3f))?.[0];
  if (name === undefined)
    throw new WapDecodeError(`unknown ${table.kind.toUpperCase()} tag 0x${token.toString(16)}`);
  const el: XmlElement = { name, attrs: token & WB.HAS_ATTRS ? attributes(ctx, name) : [], children: [] };
  if (token & WB.HAS_CONTENT) {
    for (let t = r.byte(); t !== WB.END; t = r.byte()) {
      if (t === WB.SWITCH_PAGE && r.byte() === 0) continue;
      const text = stringToken(ctx, t);
      const last = el.children.length - 1;
      if (text === undefined) el.children.push(element(ctx, t));
      else if (typeof el.children[last] === 'string') el.children[last] += text;
      else el.children.push(text);
    }
  }
  return el;
}

/** Decodes SI or SL WBXML (any WBXML version 1.x, UTF-8 or Latin-1, string table allowed). */
export function decodeWbxml(wbxml: Buffer): WbxmlDocument {
  const header = new Reader(wbxml);
  header.byte();
  const publicId = header.mbUint();
  const table = WBXML_TABLES.find((t) => t.publicId === publicId);
  if (!table) throw new WapDecodeError(`WBXML public id 0x${publicId.toString(16)} is neither SI nor SL`);
  const charset = header.mbUint();
  const encoding = CHARSETS[charset];
  if (!encoding) throw new WapDecodeError(`WBXML charset MIBenum ${charset} not supported`);
  const r = new Reader(wbxml, encoding);
  r.at = header.at;
  const strtbl = r.bytes(r.mbUint());
  const ctx: Context = { r, table, strtbl };
  const root = element(ctx, r.byte());
  if (root.name !== table.root) throw new WapDecodeError(`root element <${root.name}> in ${table.kind}`);
  if (r.at !== wbxml.length) throw new WapDecodeError(`${wbxml.length - r.at} bytes after the document`);
  return { kind: table.kind, xml: renderXml(root), root };
}
