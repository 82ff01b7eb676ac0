import { WapTransformError } from './errors.js';
import { decodeWbxml } from './wbxml-decode.js';
import { compileSi, compileSl } from './wbxml-encode.js';

/** A MIME content type, as the PI sent it (parameters allowed). */
export type PushContentType = string;

const COMPILERS: Record<string, { to: string; compile: (xml: string) => Buffer }> = {
  'text/vnd.wap.si': { to: 'application/vnd.wap.sic', compile: compileSi },
  'text/vnd.wap.sl': { to: 'application/vnd.wap.slc', compile: compileSl },
};

const COMPILED: Record<string, 'si' | 'sl'> = {
  'application/vnd.wap.sic': 'si',
  'application/vnd.wap.slc': 'sl',
};

/** The media type alone, lower case: `Text/VND.WAP.SI; charset=utf-8` → `text/vnd.wap.si`. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/**
 * What the PPG sends for a PI's content entity (facts §8, PPG conversions): SI and SL are compiled to WBXML,
 * already compiled SIC/SLC is checked by decoding, any other type passes through. Throws WapTransformError.
 */
export function compilePushContent(
  contentType: PushContentType,
  body: Buffer,
): { contentType: string; body: Buffer } {
  const media = mediaType(contentType);
  const compiler = COMPILERS[media];
  if (compiler) return { contentType: compiler.to, body: compiler.compile(body.toString('utf8')) };
  const kind = COMPILED[media];
  if (!kind) return { contentType, body };
  const found = decodeWbxml(body).kind;
  if (found !== kind) throw new WapTransformError(`${media} body holds a ${found.toUpperCase()} document`);
  return { contentType: media, body };
}
