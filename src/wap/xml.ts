import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element with its attributes in document order and its children (text as strings). */
export interface XmlElement {
  name: string;
  attrs: [string, string][];
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface ParsedXml {
  root: XmlElement;
  /** The DOCTYPE's public identifier, when it declares one. */
  publicId?: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are decoded below in one pass: the parser's HTML entity table cost 40 µs a document, and
  // decoding references after its own pass would decode `&amp;#0;` twice.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

// fast-xml-parser rejects a DOCTYPE whose internal subset holds a PI, as PAP 2.0's does (facts §8), so it is
// read and removed here. Anything may precede it: the XML declaration, comments, whitespace.
const DOCTYPE =
  /<!DOCTYPE\s+[^\s[>]+(?:\s+(?:PUBLIC\s+("[^"]*"|'[^']*')|SYSTEM)[^[>]*)?\s*(?:\[[\s\S]*?\]\s*)?>/i;

type Raw = Record<string, unknown>;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's predefined entities and character references (`&#20013;`, `&#x4E2D;`), in one pass. */
function decodeReferences(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (ref, n: string) => {
    if (n[0] !== '#') return PREDEFINED[n];
    const code = n[1] === 'x' ? Number.parseInt(n.slice(2), 16) : Number(n.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

function toNode(raw: Raw): XmlNode | undefined {
  if ('#text' in raw) return decodeReferences(String(raw['#text']));
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined) return undefined;
  const attrs = Object.entries((raw[':@'] as Record<string, unknown> | undefined) ?? {}).map(
    ([k, v]): [string, string] => [k, decodeReferences(String(v))],
  );
  return { name, attrs, children: toNodes(raw[name] as Raw[]) };
}

/** Adjacent text and CDATA runs become one string. */
function toNodes(list: Raw[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const raw of list) {
    const node = toNode(raw);
    if (node === undefined) continue;
    const last = out.length - 1;
    if (typeof node === 'string' && typeof out[last] === 'string') out[last] += node;
    else out.push(node);
  }
  return out;
}

/** Parses a well-formed document with exactly one root element; `fail` is called with the reason otherwise. */
export function parseXml(xml: string, fail: (why: string) => never): ParsedXml {
  const text = xml.replace(/^\uFEFF/, '');
  const doctype = DOCTYPE.exec(text);
  const body = doctype ? text.slice(0, doctype.index) + text.slice(doctype.index + doctype[0].length) : text;
  const valid = XMLValidator.validate(body);
  if (valid !== true) fail(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let parsed: Raw[];
  try {
    parsed = parser.parse(body) as Raw[];
  } catch (err) {
    // The validator lets a few broken tails through (`<pap/`) that the parser then rejects.
    fail(`malformed XML: ${(err as Error).message}`);
  }
  const top = toNodes(parsed);
  const elements = top.filter((n): n is XmlElement => typeof n !== 'string');
  if (elements.length !== 1) fail(`malformed XML: ${elements.length} root elements`);
  if (top.some((n) => typeof n === 'string' && n.trim() !== '')) fail('malformed XML: text outside the root');
  const publicId = doctype?.[1]?.slice(1, -1);
  return publicId === undefined ? { root: elements[0] } : { root: elements[0], publicId };
}

/** The value of attribute `name`, if present. */
export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((n): n is XmlElement => typeof n !== 'string');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes markup and the whitespace an XML parser would normalize in attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]);
}

/** Writes an element; with `indent`, each child element goes on its own line. */
export function renderXml(el: XmlElement, indent?: string, depth = 0): string {
  const open = `<${el.name}${el.attrs.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')}`;
  if (el.children.length === 0) return `${open}/>`;
  const pad = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
  const elementsOnly = el.children.every((c) => typeof c !== 'string');
  const inner = el.children
    .map((c) =>
      typeof c === 'string' ? escapeXml(c) : `${elementsOnly ? pad : ''}${renderXml(c, indent, depth + 1)}`,
    )
    .join('');
  const close = elementsOnly && indent !== undefined ? `\n${indent.repeat(depth)}` : '';
  return `${open}>${inner}${close}</${el.name}>`;
}
