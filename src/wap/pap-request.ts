import { PapParseError } from './errors.js';
import { parseContentType } from './mime.js';
import { type MultipartPart, parseMultipart } from './multipart.js';
import { parsePap } from './pap-parse.js';
import type { PapMessage } from './pap-types.js';

/**
 * Reads a PAP request body: multipart/related with the control entity first and the content entity second
 * (a third, capabilities, part is ignored), or a bare application/xml PAP document (facts §8, Transport).
 * Throws PapParseError.
 */
export function readPapRequest(
  body: Buffer,
  contentTypeHeader: string,
): { control: PapMessage; content?: MultipartPart } {
  const { media } = parseContentType(contentTypeHeader ?? '');
  if (media.startsWith('multipart/')) {
    const [control, content] = parseMultipart(body, contentTypeHeader);
    if (!control) throw new PapParseError('multipart body has no parts', 2000, 'multipart');
    const message = parsePap(control.body.toString('utf8'));
    return content ? { control: message, content } : { control: message };
  }
  if (media === '' || media === 'application/xml' || media === 'text/xml') {
    return { control: parsePap(body.toString('utf8')) };
  }
  throw new PapParseError(
    `content type ${media} is neither multipart/related nor application/xml`,
    2000,
    'content-type',
  );
}
