import { WapTransformError } from './errors.js';
import { packDate } from './wbxml-date.js';
import { CHARSET_UTF8, SI_TABLE, SL_TABLE, WB, WBXML_VERSION_1_2, type WbxmlTable } from './wbxml-tokens.js';
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

function strI(s: string): Buffer {
  return Buffer.concat([Buffer.of(WB.STR_I), Buffer.from(s, 'utf8'), Buffer.of(0)]);
}

/** Value bytes with the table's attribute-value tokens (`.com/` …) substituted, the rest as STR_I runs. */
function uriValue(rest: string, table: WbxmlTable): Buffer[] {
  const out: Buffer[] = [];
  let run = '';
  for (let i = 0; i < rest.length; ) {
    const hit = Object.keys(table.attrValues).find((v) => rest.startsWith(v, i));
    if (hit === undefined) {
      run += rest[i++];
      continue;
    }
    if (run) out.push(strI(run));
    run = '';
    out.push(Buffer.of(table.attrValues[hit]));
    i += hit.length;
  }
  if (run) out.push(strI(run));
  return out;
}

function attribute(name: string, value: string, tag: string, table: WbxmlTable): Buffer[] {
  const starts = table.attrStarts.filter((a) => a.name === name);
  if (starts.length === 0) fail(`<${tag}> has no attribute "${name}"`);
  const exact = starts.find((a) => a.whole && a.prefix === value);
  if (exact) return [Buffer.of(exact.token)];
  if (starts.every((a) => a.whole)) fail(`<${tag}> ${name}="${value}" is not one of the allowed values`);
  // Longest matching prefix first, so https://www. wins over https:// (facts §11).
  const best = starts
    .filter((a) => !a.whole && value.startsWith(a.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  const rest = value.slice(best.prefix.length);
  if (table.dateAttrs.has(name)) {
    const bcd = packDate(value) ?? fail(`${name}="${value}" is not a date YYYY-MM-DDThh:mm:ssZ`);
    return [Buffer.of(best.token, WB.OPAQUE, bcd.length), bcd];
  }
  const parts = table.uriAttrs.has(name) ? uriValue(rest, table) : rest ? [strI(rest)] : [];
  return [Buffer.of(best.token), ...parts];
}

function element(el: XmlElement, table: WbxmlTable): Buffer[] {
  const token = table.tags[el.name] ?? fail(`unknown element <${el.name}> in ${table.kind.toUpperCase()}`);
  const seen = new Set(el.attrs.map(([k]) => k));
  const missing = (table.required[el.name] ?? []).find((a) => !seen.has(a));
  if (missing) fail(`<${el.name}> needs the attribute "${missing}"`);
  const attrs = el.attrs.flatMap(([k, v]) => attribute(k, v, el.name, table));

  const allowed = table.children[el.name];
  const content: Buffer[] = [];
  for (const child of el.children) {
    if (typeof child !== 'string') {
      if (!allowed?.includes(child.name)) fail(`<${child.name}> is not allowed in <${el.name}>`);
      content.push(...element(child, table));
    } else if (normalizeText(child) && allowed) fail(`<${el.name}> cannot hold text`);
  }
  const names = new Set(el.children.map((c) => typeof c !== 'string' && c.name));
  const absent = (table.requiredChildren[el.name] ?? []).find((c) => !names.has(c));
  if (absent) fail(`<${el.name}> needs a <${absent}>`);
  if (!allowed) {
    const text = normalizeText(el.children.join(''));
    if (text) content.push(strI(text));
  }

  const flags = (attrs.length ? WB.HAS_ATTRS : 0) | (content.length ? WB.HAS_CONTENT : 0);
  const out = [Buffer.of(token | flags), ...attrs];
  if (attrs.length) out.push(Buffer.of(WB.END));
  if (content.length) out.push(...content, Buffer.of(WB.END));
  return out;
}

function compile(xml: string, table: WbxmlTable): Buffer {
  const { root } = parseXml(xml, fail);
  if (root.name !== table.root) fail(`root element is <${root.name}>, expected <${table.root}>`);
  const header = Buffer.of(WBXML_VERSION_1_2, table.publicId, CHARSET_UTF8, 0);
  return Buffer.concat([header, ...element(root, table)]);
}

/** Service Indication XML → WBXML 1.2 (WAP-167; facts §11). Throws WapTransformError. */
export function compileSi(xml: string): Buffer {
  return compile(xml, SI_TABLE);
}

/** Service Loading XML → WBXML 1.2 (WAP-168; facts §11). Throws WapTransformError. */
export function compileSl(xml: string): Buffer {
  return compile(xml, SL_TABLE);
}
