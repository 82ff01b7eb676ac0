import { WapTransformError } from './errors.js';
import { packDate } from './wbxml-date.js';
import {
  type AttrStart,
  CHARSET_UTF8,
  SI_TABLE,
  SL_TABLE,
  WB,
  WBXML_VERSION_1_2,
  type WbxmlTable,
} from './wbxml-tokens.js';
import { parseXml, type XmlElement } from './xml.js';

const fail = (why: string): never => {
  throw new WapTransformError(why);
};

/** XML whitespace only: U+3000 and other Unicode spaces are content (Chinese text keeps them). */
const XML_SPACE = /[ \t\r\n]+/g;

/** Kannel collapses and trims text content; whitespace-only content is no content (facts §11). */
function normalizeText(s: string): string {
  return s.replace(XML_SPACE, ' ').replace(/^ | $/g, '');
}

/** A table's lookups, built once: attribute starts by name, attribute-value tokens by first character. */
interface Lookups {
  starts: Map<string, AttrStart[]>;
  values: Map<string, [string, number][]>;
}

const lookups = new WeakMap<WbxmlTable, Lookups>();

function lookupsOf(table: WbxmlTable): Lookups {
  let l = lookups.get(table);
  if (!l) {
    l = { starts: new Map(), values: new Map() };
    for (const a of table.attrStarts) l.starts.set(a.name, [...(l.starts.get(a.name) ?? []), a]);
    for (const [value, token] of Object.entries(table.attrValues))
      l.values.set(value[0], [...(l.values.get(value[0]) ?? []), [value, token]]);
    lookups.set(table, l);
  }
  return l;
}

/** The document's bytes, appended as they are encoded and turned into a Buffer once. */
type Out = number[];

function bytes(out: Out, b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) out.push(b[i]);
}

function strI(out: Out, s: string): void {
  out.push(WB.STR_I);
  bytes(out, Buffer.from(s, 'utf8'));
  out.push(0);
}

/** Value bytes with the table's attribute-value tokens (`.com/` …) substituted, the rest as STR_I runs. */
function uriValue(out: Out, rest: string, l: Lookups): void {
  let run = 0; // where the pending inline run starts
  for (let i = 0; i < rest.length; ) {
    const hit = l.values.get(rest[i])?.find(([v]) => rest.startsWith(v, i));
    if (hit === undefined) {
      i++;
      continue;
    }
    if (i > run) strI(out, rest.slice(run, i));
    out.push(hit[1]);
    i += hit[0].length;
    run = i;
  }
  if (run < rest.length) strI(out, rest.slice(run));
}

function attribute(out: Out, name: string, value: string, tag: string, table: WbxmlTable, l: Lookups): void {
  const starts = l.starts.get(name) ?? fail(`<${tag}> has no attribute "${name}"`);
  const exact = starts.find((a) => a.whole && a.prefix === value);
  if (exact) {
    out.push(exact.token);
    return;
  }
  if (starts.every((a) => a.whole)) fail(`<${tag}> ${name}="${value}" is not one of the allowed values`);
  // Longest matching prefix first, so https://www. wins over https:// (facts §11).
  let best: AttrStart | undefined;
  for (const a of starts)
    if (!a.whole && value.startsWith(a.prefix) && (!best || a.prefix.length > best.prefix.length)) best = a;
  const start = best as AttrStart;
  const rest = value.slice(start.prefix.length);
  out.push(start.token);
  if (table.dateAttrs.has(name)) {
    const bcd = packDate(value) ?? fail(`${name}="${value}" is not a date YYYY-MM-DDThh:mm:ssZ`);
    out.push(WB.OPAQUE, bcd.length);
    bytes(out, bcd);
  } else if (table.uriAttrs.has(name)) uriValue(out, rest, l);
  else if (rest) strI(out, rest);
}

function element(out: Out, el: XmlElement, table: WbxmlTable, l: Lookups): void {
  const token = table.tags[el.name] ?? fail(`unknown element <${el.name}> in ${table.kind.toUpperCase()}`);
  const missing = (table.required[el.name] ?? []).find((a) => !el.attrs.some(([k]) => k === a));
  if (missing) fail(`<${el.name}> needs the attribute "${missing}"`);
  // The tag's byte gets its flags once its attributes and content are known.
  const at = out.length;
  out.push(token);
  for (const [k, v] of el.attrs) attribute(out, k, v, el.name, table, l);
  const hasAttrs = el.attrs.length > 0;
  if (hasAttrs) out.push(WB.END);

  const allowed = table.children[el.name];
  const contentAt = out.length;
  for (const child of el.children) {
    if (typeof child !== 'string') {
      if (!allowed?.includes(child.name)) fail(`<${child.name}> is not allowed in <${el.name}>`);
      element(out, child, table, l);
    } else if (allowed && normalizeText(child)) fail(`<${el.name}> cannot hold text`);
  }
  const absent = (table.requiredChildren[el.name] ?? []).find(
    (c) => !el.children.some((child) => typeof child !== 'string' && child.name === c),
  );
  if (absent) fail(`<${el.name}> needs a <${absent}>`);
  if (!allowed) {
    const text = normalizeText(el.children.join(''));
    if (text) strI(out, text);
  }
  const hasContent = out.length > contentAt;
  if (hasContent) out.push(WB.END);
  out[at] = token | (hasAttrs ? WB.HAS_ATTRS : 0) | (hasContent ? WB.HAS_CONTENT : 0);
}

function compile(xml: string, table: WbxmlTable): Buffer {
  const { root } = parseXml(xml, fail);
  if (root.name !== table.root) fail(`root element is <${root.name}>, expected <${table.root}>`);
  const out: Out = [WBXML_VERSION_1_2, table.publicId, CHARSET_UTF8, 0];
  element(out, root, table, lookupsOf(table));
  return Buffer.from(out);
}

/** Service Indication XML → WBXML 1.2 (WAP-167; facts §11). Throws WapTransformError. */
export function compileSi(xml: string): Buffer {
  return compile(xml, SI_TABLE);
}

/** Service Loading XML → WBXML 1.2 (WAP-168; facts §11). Throws WapTransformError. */
export function compileSl(xml: string): Buffer {
  return compile(xml, SL_TABLE);
}
