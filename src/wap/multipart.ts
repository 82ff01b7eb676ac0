import { randomBytes } from 'node:crypto';
import { PapParseError } from './errors.js';
import { parseContentType } from './mime.js';

/** One body part: headers with lower-case names, and the body with any base64 transfer encoding removed. */
export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

const bad = (message: string, field: string): never => {
  throw new PapParseError(message, 2000, field);
};

/** At `pos` (start of a line) is there a delimiter line `--boundary[--]` (RFC 2046 §5.1.1)? */
function delimiterAt(text: string, pos: number, delim: string): 'open' | 'close' | undefined {
  if (!text.startsWith(delim, pos)) return undefined;
  const after = pos + delim.length;
  if (text.startsWith('--', after)) return 'close';
  const eol = text.indexOf('\n', after);
  const padding = text.slice(after, eol < 0 ? text.length : eol);
  return /^[ \t]*\r?$/.test(padding) ? 'open' : undefined;
}

/** The next delimiter line at or after `from`: its start, and where the preceding part's body ends. */
function nextDelimiter(
  text: string,
  from: number,
  delim: string,
): { at: number; bodyEnd: number } | undefined {
  for (let nl = text.indexOf(`\n${delim}`, from); nl >= 0; nl = text.indexOf(`\n${delim}`, nl + 1)) {
    if (delimiterAt(text, nl + 1, delim)) {
      const crlf = nl > from && text[nl - 1] === '\r';
      return { at: nl + 1, bodyEnd: crlf ? nl - 1 : nl };
    }
  }
  return undefined;
}

function readPart(raw: Buffer): MultipartPart {
  const text = raw.toString('latin1');
  const blank = /\r?\n\r?\n/.exec(text);
  const noHeaders = /^\r?\n/.exec(text);
  const headerEnd = noHeaders ? 0 : blank ? blank.index : text.length;
  const bodyStart = noHeaders ? noHeaders[0].length : blank ? blank.index + blank[0].length : text.length;
  const headers: Record<string, string> = {};
  const lines = text
    .slice(0, headerEnd)
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/);
  for (const line of lines.filter((l) => l.trim() !== '')) {
    const colon = line.indexOf(':');
    if (colon <= 0) bad(`malformed part header "${line}"`, 'multipart');
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers[line.slice(0, colon).trim().toLowerCase()] = value;
  }
  let body = raw.subarray(bodyStart);
  if (headers['content-transfer-encoding']?.toLowerCase() === 'base64') {
    const b64 = body.toString('latin1').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
      bad('part body is not valid base64', 'content-transfer-encoding');
    body = Buffer.from(b64, 'base64');
  }
  return { headers, body };
}

/**
 * Splits a multipart body (RFC 2046 §5.1): boundary quoted or bare, CRLF or LF line ends, preamble and
 * epilogue ignored. Throws PapParseError 2000 (field `content-type`, `boundary` or `multipart`).
 */
export function parseMultipart(body: Buffer, contentTypeHeader: string): MultipartPart[] {
  const { media, params } = parseContentType(contentTypeHeader);
  if (!media.startsWith('multipart/'))
    bad(`content type ${media || '(none)'} is not multipart`, 'content-type');
  const boundary = params['boundary'] ?? bad('multipart content type without a boundary', 'boundary');
  if (!boundary) bad('empty multipart boundary', 'boundary');
  const text = body.toString('latin1');
  const delim = `--${boundary}`;
  const first = delimiterAt(text, 0, delim) ? 0 : nextDelimiter(text, 0, delim)?.at;
  if (first === undefined) bad(`no "${delim}" line in the body`, 'boundary');
  const parts: MultipartPart[] = [];
  for (let at = first as number; delimiterAt(text, at, delim) === 'open'; ) {
    const eol = text.indexOf('\n', at);
    if (eol < 0) bad('multipart body has no closing delimiter', 'multipart');
    const start = eol + 1;
    const next =
      nextDelimiter(text, start - 1, delim) ?? bad('multipart body has no closing delimiter', 'multipart');
    parts.push(readPart(body.subarray(start, Math.max(start, next.bodyEnd))));
    at = next.at;
  }
  return parts;
}

const headerName = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

/**
 * Writes a multipart/related body with CRLF line ends; a part whose Content-Transfer-Encoding is base64 has
 * its body encoded here. `type` names the first part's media type (RFC 2387).
 */
export function buildMultipart(
  parts: MultipartPart[],
  boundary?: string,
): { contentType: string; body: Buffer } {
  const b = boundary ?? `cmppgw-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const base64 = part.headers['content-transfer-encoding']?.toLowerCase() === 'base64';
    const body = base64
      ? Buffer.from(part.body.toString('base64').replace(/.{76}(?=.)/g, '$&\r\n'))
      : part.body;
    if (body.includes(`--${b}`)) throw new Error(`multipart boundary "${b}" occurs in a part`);
    const head = Object.entries(part.headers).map(([k, v]) => `${headerName(k)}: ${v}\r\n`);
    chunks.push(Buffer.from(`--${b}\r\n${head.join('')}\r\n`), body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${b}--\r\n`));
  const type = parseContentType(parts[0]?.headers['content-type'] ?? 'application/xml').media;
  return { contentType: `multipart/related; boundary="${b}"; type="${type}"`, body: Buffer.concat(chunks) };
}
