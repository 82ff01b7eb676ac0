import { PapParseError } from './errors.js';
import { parsePapAddress } from './pap-address.js';
import { type AttrKind, type ChildSpec, fieldName, MESSAGES, type Shape } from './pap-schema.js';
import type { PapMessage, PapMessageType } from './pap-types.js';
import { attr, childElements, parseXml, type XmlElement } from './xml.js';

/** PAP 1.0 and 2.x DTDs are read alike; PAP 2.0 kept 1.0's elements (facts §8, DOCTYPE). */
const PAP_PUBLIC_ID = /^-\/\/WAPFORUM\/\/DTD PAP (1\.0|2\.\d)\/\/EN$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const bad = (message: string, field?: string, code = 2000): never => {
  throw new PapParseError(message, code, field);
};

function value(raw: string, kind: AttrKind, field: string): unknown {
  if (kind === 'text') return raw;
  if (kind === 'code')
    return /^\d{4}$/.test(raw) ? Number(raw) : bad(`${field}="${raw}" is not a PAP code`, field);
  if (kind === 'bool') {
    return raw === 'true' || raw === 'false'
      ? raw === 'true'
      : bad(`${field}="${raw}" is not true|false`, field);
  }
  if (kind === 'date') {
    const ms = TIMESTAMP.test(raw) ? Date.parse(raw) : Number.NaN;
    return Number.isNaN(ms)
      ? bad(`${field}="${raw}" is not a timestamp YYYY-MM-DDThh:mm:ssZ`, field)
      : new Date(ms);
  }
  return kind.includes(raw) ? raw : bad(`${field}="${raw}" is not one of ${kind.join('|')}`, field);
}

function child(el: XmlElement, spec: ChildSpec): unknown {
  if (spec.shape !== 'address') return read(el, spec.shape);
  return parsePapAddress(
    attr(el, 'address-value') ?? bad('<address> without address-value', 'address-value', 2002),
  );
}

function read(el: XmlElement, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of shape.attrs) {
    const raw = attr(el, a.name);
    if (raw !== undefined)
      out[fieldName(a.name)] = value(a.kind === 'text' ? raw : raw.trim(), a.kind, a.name);
    else if (a.required) bad(`<${el.name}> needs the attribute ${a.name}`, a.name);
  }
  for (const spec of shape.children) {
    const found = childElements(el).filter((c) => c.name === spec.element);
    if (found.length < spec.min) {
      bad(`<${el.name}> needs <${spec.element}>`, spec.element, spec.shape === 'address' ? 2002 : 2000);
    }
    if (!spec.many && found.length > 1) bad(`<${el.name}> has more than one <${spec.element}>`, spec.element);
    const values = found.map((c) => child(c, spec));
    if (values.length) out[spec.key] = spec.many ? values : values[0];
  }
  return out;
}

/**
 * Parses any of the eleven PAP messages. Accepts PAP 1.0 and 2.x DOCTYPEs or none; unknown attributes and
 * elements inside a message are ignored. Throws PapParseError: 2000 with the offending attribute or element
 * as `field`, 2002 for addresses, 3002 for another DTD version.
 */
export function parsePap(xml: string): PapMessage {
  const { root, publicId } = parseXml(xml, (why) => bad(why));
  if (publicId !== undefined && !PAP_PUBLIC_ID.test(publicId)) {
    bad(`DOCTYPE "${publicId}" is not PAP 1.0 or 2.x`, 'DOCTYPE', 3002);
  }
  if (root.name !== 'pap') bad(`root element is <${root.name}>, expected <pap>`, 'pap');
  const [message, ...more] = childElements(root);
  if (!message || more.length) bad('<pap> must hold exactly one message element', 'pap');
  const type = message.name as PapMessageType;
  const shape = MESSAGES[type] ?? bad(`unknown PAP message <${message.name}>`, message.name);
  const productName = attr(root, 'product-name');
  return {
    type,
    ...(productName === undefined ? {} : { productName }),
    ...read(message, shape),
  } as PapMessage;
}
