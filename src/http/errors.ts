import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../gateway/errors.js';

/** Every error answer: `{ "error": { "code", "message", "field" } }`. */
export function errorBody(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

/** The field a schema validation error is about: `to`, `messages[3].text`, … */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const missing = (v.params as { missingProperty?: string; additionalProperty?: string })?.missingProperty;
  const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
  const path = v.instancePath
    .split('/')
    .filter(Boolean)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
  const leaf = missing ?? extra;
  if (!leaf) return path || (err.validationContext ?? undefined);
  return path ? `${path}.${leaf}` : leaf;
}

export function handleError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof GatewayError) {
    reply.code(err.status).send(errorBody(err.code, err.message, err.field));
    return;
  }
  if (err.validation) {
    const field = fieldOf(err);
    reply
      .code(400)
      .send(errorBody('invalid_field', `${field ?? 'request'}: ${err.validation[0].message}`, field));
    return;
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    reply.code(413).send(errorBody('body_too_large', err.message, 'body'));
    return;
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    reply.code(415).send(errorBody('unsupported_media_type', err.message, 'content-type'));
    return;
  }
  if (err.statusCode && err.statusCode < 500) {
    const json =
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError;
    const code = json ? 'bad_json' : 'bad_request';
    reply.code(err.statusCode).send(errorBody(code, err.message, 'body'));
    return;
  }
  reply.log.error({ err }, 'request failed');
  reply.code(500).send(errorBody('internal', 'internal error'));
}
