import { WapDecodeError } from './errors.js';
import {
  CHARSET_MIBS,
  WSP_CONTENT_TYPES,
  WSP_HEADER_NAMES,
  WSP_HEADERS,
  WSP_PARAM_CHARSET,
  WSP_PDU_CONFIRMED_PUSH,
  WSP_PDU_PUSH,
} from './wsp-codes.js';
import type { WspPush } from './wsp-encode.js';
import { WspReader } from './wsp-values.js';

const byCode = <T extends string>(table: Record<T, number>) =>
  new Map(Object.entries(table).map(([k, v]) => [v as number, k]));
const CONTENT_TYPE_NAMES = byCode(WSP_CONTENT_TYPES);
const CHARSET_NAMES = byCode(CHARSET_MIBS);

function media(r: WspReader): string {
  if (r.peek() < 0x80) return r.text();
  const code = r.byte() & 0x7f;
  const name = CONTENT_TYPE_NAMES.get(code);
  if (name === undefined) throw new WapDecodeError(`unknown well-known content type 0x${code.toString(16)}`);
  return name;
}

function contentType(r: WspReader): string {
  const first = r.peek();
  if (first >= 0x20) return media(r);
  r.at++;
  const end = r.at + r.lengthAfter(first);
  let type = media(r);
  while (r.at < end) {
    if (r.peek() === (0x80 | WSP_PARAM_CHARSET)) {
      r.at++;
      const mib = r.integer();
      type += `; charset=${CHARSET_NAMES.get(mib) ?? mib}`;
    } else if (r.peek() >= 0x80) {
      throw new WapDecodeError(`unsupported content type parameter 0x${r.peek().toString(16)}`);
    } else {
      const name = r.text();
      type += `; ${name}=${r.peek() >= 0x80 ? r.integer() : r.text()}`;
    }
  }
  if (r.at !== end) throw new WapDecodeError('content type parameters overrun their length');
  return type;
}

/** Any header value, skipped or read as text or a number (WAP-230 §8.4.1.2 value forms). */
function genericValue(r: WspReader): string {
  const first = r.peek();
  if (first >= 0x80) return String(r.byte() & 0x7f);
  if (first >= 0x20 || first === 0) return r.text();
  r.at++;
  return r.bytes(r.lengthAfter(first)).toString('hex');
}

/**
 * Decodes a Push or ConfirmedPush PDU. Content-Length (checked against the data) and Encoding-Version are
 * implied by encodeWspPush and not reported; application id codes come back as numbers.
 */
export function decodeWspPush(pdu: Buffer): WspPush {
  const r = new WspReader(pdu);
  const tid = r.byte();
  const type = r.byte();
  if (type !== WSP_PDU_PUSH && type !== WSP_PDU_CONFIRMED_PUSH) {
    throw new WapDecodeError(`WSP PDU type 0x${type.toString(16)} is not Push`);
  }
  const headersEnd = r.uintvar() + r.at;
  if (headersEnd > pdu.length) throw new WapDecodeError('WSP headers length beyond the PDU');
  const push: WspPush = { tid, contentType: contentType(r), body: pdu.subarray(headersEnd) };
  const headers: Record<string, string> = {};
  let contentLength: number | undefined;
  while (r.at < headersEnd) {
    if (r.peek() < 0x80) {
      const name = r.text();
      headers[name] = r.text();
      continue;
    }
    const code = r.byte() & 0x7f;
    if (code === WSP_HEADERS['content-length']) contentLength = r.integer();
    else if (code === WSP_HEADERS['x-wap-application-id']) {
      push.applicationId = r.peek() >= 0x20 && r.peek() < 0x80 ? r.text() : r.integer();
    } else if (code === WSP_HEADERS['encoding-version']) genericValue(r);
    else headers[WSP_HEADER_NAMES[code] ?? `0x${code.toString(16)}`] = genericValue(r);
  }
  if (r.at !== headersEnd) throw new WapDecodeError('WSP headers overrun their length');
  if (contentLength !== undefined && contentLength !== push.body.length) {
    throw new WapDecodeError(`Content-Length ${contentLength} but ${push.body.length} bytes of data`);
  }
  if (Object.keys(headers).length) push.headers = headers;
  return push;
}
