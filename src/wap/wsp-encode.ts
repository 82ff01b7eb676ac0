import { WapTransformError } from './errors.js';
import { mediaType } from './push-content.js';
import {
  CHARSET_MIBS,
  ENCODING_VERSION_1_3,
  WAP_APPLICATION_IDS,
  WML_UA,
  WSP_CONTENT_TYPES,
  WSP_HEADERS,
  WSP_PARAM_CHARSET,
  WSP_PDU_PUSH,
} from './wsp-codes.js';
import { integerValue, textString, uintvar, valueLength } from './wsp-values.js';

/** A WSP connectionless Push (facts §9). */
export interface WspPush {
  /** Transaction id, 0–255. */
  tid: number;
  /** MIME type, parameters allowed. */
  contentType: string;
  /** A well-known code (1 = push.sia), `x-wap-application:push.sia`, `push.sia`, or any URI. */
  applicationId?: string | number;
  /** Further headers for the phone (X-Wap-Initiator-URI, Push-Flag, application headers…). */
  headers?: Record<string, string>;
  body: Buffer;
}

/** MIME entity headers the PDU carries in its own way or not at all. */
const ENTITY_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-transfer-encoding',
  'content-id',
  'content-description',
  'mime-version',
  'encoding-version',
  'x-wap-application-id',
]);

/** An RFC 2616 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function mediaBytes(media: string): Buffer {
  const code = WSP_CONTENT_TYPES[media];
  return code === undefined ? textString(media) : Buffer.of(0x80 | code);
}

/** Short form without parameters, else the general form Value-length Media *Parameter (WAP-230 §8.4.2.24). */
function contentTypeValue(contentType: string): Buffer {
  const [, ...params] = contentType.split(';').map((p) => p.trim());
  const media = mediaBytes(mediaType(contentType));
  const pairs = params.filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : p
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    const mib = name === 'charset' ? CHARSET_MIBS[value.toLowerCase()] : undefined;
    return mib === undefined
      ? Buffer.concat([textString(name), textString(value)])
      : Buffer.concat([Buffer.of(0x80 | WSP_PARAM_CHARSET), integerValue(mib)]);
  });
  if (pairs.length === 0) return media;
  const inner = Buffer.concat([media, ...pairs]);
  return Buffer.concat([valueLength(inner.length), inner]);
}

/** The application id as a code when it has one, else the URI text; undefined for wml.ua (facts §9). */
function applicationIdValue(id: string | number | undefined): Buffer | undefined {
  if (id === undefined) return undefined;
  const text = String(id).trim();
  const code = /^\d+$/.test(text)
    ? Number(text)
    : WAP_APPLICATION_IDS[text.replace(/^x-wap-application:/i, '').toLowerCase()];
  // Kannel leaves the header out for wml.ua, the default a missing header means (facts §9).
  if (code === WML_UA) return undefined;
  return code === undefined ? textString(text) : integerValue(code);
}

function header(code: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.of(0x80 | code), value]);
}

function extraHeaders(headers: Record<string, string>): Buffer[] {
  return Object.entries(headers)
    .filter(([name]) => !ENTITY_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => {
      const lower = name.toLowerCase();
      if (lower === 'push-flag') return header(WSP_HEADERS['push-flag'], integerValue(Number(value) & 0x7f));
      if (lower === 'x-wap-content-uri' || lower === 'x-wap-initiator-uri') {
        return header(WSP_HEADERS[lower], textString(value));
      }
      // Application-header: Token-text Application-specific-value (WAP-230 §8.4.2.6).
      if (!TOKEN.test(name))
        throw new WapTransformError(`WSP cannot encode the header name ${JSON.stringify(name)}: not a token`);
      return Buffer.concat([textString(name), textString(value)]);
    });
}

/**
 * A connectionless Push PDU: TID, 0x06, uintvar HeadersLen, Content-Type, headers, data. Headers come in
 * Kannel's order: X-Wap-Application-Id, the PI's headers, Content-Length, Encoding-Version 1.3 (facts §9).
 */
export function encodeWspPush(push: WspPush): Buffer {
  if (!Number.isInteger(push.tid) || push.tid < 0 || push.tid > 0xff) {
    throw new WapTransformError(`WSP transaction id ${push.tid} out of 0–255`);
  }
  const headers = Object.fromEntries(
    Object.entries(push.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const appId = applicationIdValue(push.applicationId ?? headers['x-wap-application-id']);
  const fields = [
    contentTypeValue(push.contentType),
    ...(appId ? [header(WSP_HEADERS['x-wap-application-id'], appId)] : []),
    ...extraHeaders(push.headers ?? {}),
    header(WSP_HEADERS['content-length'], integerValue(push.body.length)),
    header(WSP_HEADERS['encoding-version'], Buffer.of(ENCODING_VERSION_1_3)),
  ];
  const headersLength = fields.reduce((n, f) => n + f.length, 0);
  return Buffer.concat([Buffer.of(push.tid, WSP_PDU_PUSH), uintvar(headersLength), ...fields, push.body]);
}
