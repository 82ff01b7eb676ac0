import { formatPapAddress, type PapAddress } from './pap-address.js';
import { type ChildSpec, fieldName, MESSAGES, type Shape } from './pap-schema.js';
import type { PapMessage } from './pap-types.js';
import { renderXml, type XmlElement } from './xml.js';

const PROLOGUE =
  '<?xml version="1.0"?>\n' +
  '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd">\n';

/** PAP timestamps are UTC to the second: `YYYY-MM-DDThh:mm:ssZ` (facts §8). */
function format(v: unknown): string {
  return v instanceof Date ? v.toISOString().replace(/\.\d{3}Z$/, 'Z') : String(v);
}

function address(a: PapAddress): XmlElement {
  return { name: 'address', attrs: [['address-value', a.raw || formatPapAddress(a)]], children: [] };
}

function children(obj: Record<string, unknown>, spec: ChildSpec): XmlElement[] {
  const v = obj[spec.key];
  const list = v === undefined ? [] : spec.many ? (v as unknown[]) : [v];
  return list.map((item) =>
    spec.shape === 'address'
      ? address(item as PapAddress)
      : write(spec.element, item as Record<string, unknown>, spec.shape),
  );
}

function write(name: string, obj: Record<string, unknown>, shape: Shape): XmlElement {
  const attrs = shape.attrs
    .filter((a) => obj[fieldName(a.name)] !== undefined)
    .map((a): [string, string] => [a.name, format(obj[fieldName(a.name)])]);
  return { name, attrs, children: shape.children.flatMap((spec) => children(obj, spec)) };
}

/** A complete PAP 2.0 document: XML declaration, DOCTYPE, `<pap>` and the message, indented. */
export function buildPap(message: PapMessage): string {
  const body = write(message.type, message as unknown as Record<string, unknown>, MESSAGES[message.type]);
  const pap: XmlElement = {
    name: 'pap',
    attrs: message.productName === undefined ? [] : [['product-name', message.productName]],
    children: [body],
  };
  return `${PROLOGUE}${renderXml(pap, '  ')}\n`;
}
