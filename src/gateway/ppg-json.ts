import { newId } from '../store/ids.js';
import { type MultipartPart, type PushMessage, parsePapAddress, WapTooLargeError } from '../wap/index.js';
import { MAX_RECIPIENTS } from './compose.js';
import { GatewayError, invalid } from './errors.js';
import { pushRecipient } from './ppg-compose.js';
import type { PapFailure } from './ppg-errors.js';

/** `POST /api/v1/wap-push`: a push described in JSON instead of PAP XML. */
export interface WapPushRequest {
  to: string | string[];
  type: 'si' | 'sl';
  href: string;
  text?: string;
  action?: string;
  siId?: string;
  created?: string;
  expires?: string;
  pushId?: string;
  notifyUrl?: string;
  deliverBefore?: string;
  deliverAfter?: string;
  /** PAP source-reference: the PI's name for the content's source, kept with the push. */
  sourceReference?: string;
}

const ACTIONS = {
  si: ['signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'],
  sl: ['execute-low', 'execute-high', 'cache'],
} as const;

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function time(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid(field, `${field} must be an ISO 8601 time, got "${value}"`);
  return t;
}

const optionalDate = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

/** SI/SL dates: UTC, whole seconds (WAP-167 §5.2.1). */
const siDate = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

function attribute(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeXml(value)}"`;
}

/** The SI or SL document the request describes. */
function document(req: WapPushRequest): string {
  const action = req.action;
  if (action !== undefined && !(ACTIONS[req.type] as readonly string[]).includes(action))
    throw invalid(
      'action',
      `action of an ${req.type.toUpperCase()} is one of ${ACTIONS[req.type].join(', ')}`,
    );
  if (req.type === 'sl') {
    for (const f of ['text', 'siId', 'created', 'expires'] as const)
      if (req[f] !== undefined) throw invalid(f, `${f} applies to an SI, not an SL`);
    return `<?xml version="1.0"?><sl href="${escapeXml(req.href)}"${attribute('action', action)}/>`;
  }
  const created = time('created', req.created);
  const expires = time('expires', req.expires);
  const attributes =
    attribute('href', req.href) +
    attribute('si-id', req.siId) +
    attribute('action', action) +
    attribute('created', created === undefined ? undefined : siDate(created)) +
    attribute('si-expires', expires === undefined ? undefined : siDate(expires));
  return `<?xml version="1.0"?><si><indication${attributes}>${escapeXml(req.text ?? '')}</indication></si>`;
}

/** The request as a PAP push-message and its content entity; throws GatewayError naming the field. */
export function jsonPush(req: WapPushRequest, now: number): { control: PushMessage; content: MultipartPart } {
  const to = typeof req.to === 'string' ? [req.to] : req.to;
  if (to.length === 0) throw invalid('to', 'to must name at least one recipient');
  if (to.length > MAX_RECIPIENTS) throw invalid('to', `at most ${MAX_RECIPIENTS} recipients per request`);
  const addresses = to.map((n) => {
    try {
      const address = parsePapAddress(`WAPPUSH=+86${n.replace(/^\+?86/, '')}/TYPE=PLMN`);
      pushRecipient(address);
      return address;
    } catch {
      throw invalid('to', `"${n}" is not a mobile number (11 digits starting with 1, optional +86)`);
    }
  });
  const deliverBefore = time('deliverBefore', req.deliverBefore);
  if (deliverBefore !== undefined && deliverBefore <= now)
    throw invalid('deliverBefore', 'deliverBefore is in the past');
  return {
    control: {
      type: 'push-message',
      pushId: req.pushId ?? newId(now),
      addresses,
      ppgNotifyRequestedTo: req.notifyUrl,
      sourceReference: req.sourceReference,
      deliverBeforeTimestamp: optionalDate(deliverBefore),
      deliverAfterTimestamp: optionalDate(time('deliverAfter', req.deliverAfter)),
    },
    content: {
      headers: { 'content-type': `text/vnd.wap.${req.type}` },
      body: Buffer.from(document(req), 'utf8'),
    },
  };
}

/** The request field a PAP refusal of a JSON push is about. */
const FIELDS: Record<number, string> = { 2002: 'to', 2007: 'pushId', 3003: 'pushId', 3006: 'href' };

/**
 * A PAP refusal of a JSON push as the API's error, `pap_<code>` naming the field: a push too large for SMS
 * names the field that grows it most, an SI's text or an SL's href.
 */
export function jsonRefusal(err: PapFailure, req: WapPushRequest): GatewayError {
  const tooLarge = err.cause instanceof WapTooLargeError;
  const field = tooLarge && req.type === 'si' ? 'text' : (FIELDS[err.code] ?? 'href');
  return new GatewayError(err.code === 2007 ? 409 : 400, `pap_${err.code}`, err.message, field);
}
