import {
  CmppTextError,
  chooseFormat,
  ENCODING_OF_FMT,
  encodeText,
  FMT_OF_ENCODING,
  MsgFmt,
  splitMessage,
  type TextEncoding,
} from '../cmpp/index.js';
import { newId } from '../store/ids.js';
import type { NewMessage } from '../store/types.js';
import type { AccountConfig } from './config.js';
import { invalid } from './errors.js';

/** A send request as the API takes it (types already checked by the HTTP schema). */
export interface SendRequest {
  to: string | string[];
  text?: string;
  binary?: string;
  from?: string;
  account?: string;
  encoding?: 'auto' | TextEncoding;
  report?: boolean;
  clientRef?: string;
  callbackUrl?: string;
  validUntil?: string;
  sendAt?: string;
  priority?: number;
}

export const MAX_RECIPIENTS = 1000;

/** A Chinese mobile number, optionally with the 86 / +86 prefix CMPP allows (2.0 rev #6). */
const MSISDN = /^(\+?86)?1[3-9]\d{9}$/;

function parseTime(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid(field, `${field} must be an ISO 8601 time, got "${value}"`);
  return t;
}

function recipients(to: string | string[]): string[] {
  const list = typeof to === 'string' ? [to] : to;
  if (list.length === 0) throw invalid('to', 'to must name at least one recipient');
  if (list.length > MAX_RECIPIENTS) throw invalid('to', `at most ${MAX_RECIPIENTS} recipients per request`);
  for (const n of list) {
    if (!MSISDN.test(n))
      throw invalid('to', `"${n}" is not a mobile number (11 digits starting with 1, optional +86)`);
  }
  return [...new Set(list)];
}

/** The Msg_Content of the message before splitting, and its Msg_Fmt. */
function payload(req: SendRequest): { fmt: number; encoding: TextEncoding; text?: string; binary?: Buffer } {
  if (req.text !== undefined && req.binary !== undefined)
    throw invalid('text', 'give either text or binary, not both');
  if (req.binary !== undefined) {
    if (!/^([0-9a-fA-F]{2})+$/.test(req.binary)) throw invalid('binary', 'binary must be non-empty hex');
    if (req.encoding && req.encoding !== 'auto' && req.encoding !== 'binary') {
      throw invalid('encoding', 'binary content takes encoding "binary"');
    }
    return { fmt: MsgFmt.BINARY, encoding: 'binary', binary: Buffer.from(req.binary, 'hex') };
  }
  if (req.text === undefined || req.text === '') throw invalid('text', 'text must not be empty');
  if (req.encoding === 'binary') throw invalid('encoding', 'encoding "binary" needs binary content');
  const fmt =
    req.encoding && req.encoding !== 'auto' ? FMT_OF_ENCODING[req.encoding] : chooseFormat(req.text);
  try {
    encodeText(req.text, fmt);
  } catch (err) {
    if (err instanceof CmppTextError)
      throw invalid('text', `text cannot be sent as ${req.encoding}: ${err.message}`);
    throw err;
  }
  return { fmt, encoding: ENCODING_OF_FMT[fmt] as TextEncoding, text: req.text };
}

/**
 * Turns a send request into one durable message per recipient, each already split into SUBMIT-sized
 * segments. Throws GatewayError (400, naming the field) for anything that cannot be sent.
 */
export function composeMessages(
  req: SendRequest,
  account: AccountConfig,
  nextReference: () => number,
  now: number,
): NewMessage[] {
  const to = recipients(req.to);
  const body = payload(req);
  const from = req.from ?? '';
  if (!/^\d*$/.test(from))
    throw invalid('from', 'from is an extension of digits appended to the service code');
  const srcId = account.serviceCode + from;
  if (srcId.length > 21)
    throw invalid('from', `service code + extension is ${srcId.length} digits, at most 21`);
  const validUntil = parseTime('validUntil', req.validUntil);
  const sendAt = parseTime('sendAt', req.sendAt);
  if (validUntil !== undefined && validUntil <= now) throw invalid('validUntil', 'validUntil is in the past');
  if (validUntil !== undefined && sendAt !== undefined && sendAt >= validUntil) {
    throw invalid('sendAt', 'sendAt is after validUntil');
  }
  let segments: ReturnType<typeof splitMessage>['segments'];
  try {
    segments = splitMessage({
      text: body.text,
      binary: body.binary,
      fmt: body.fmt,
      reference: nextReference(),
    }).segments;
  } catch (err) {
    if (err instanceof CmppTextError) throw invalid(body.text === undefined ? 'binary' : 'text', err.message);
    throw err;
  }
  return to.map((recipient) => ({
    id: newId(now),
    account: account.name,
    clientRef: req.clientRef,
    to: recipient,
    srcId,
    text: body.text,
    binaryHex: body.binary?.toString('hex'),
    encoding: body.encoding,
    msgFmt: body.fmt,
    report: req.report ?? account.report,
    callbackUrl: req.callbackUrl,
    validUntil,
    sendAt,
    priority: req.priority ?? 0,
    segments: segments.map((s) => ({ content: s.content, tpUdhi: s.tpUdhi })),
    createdAt: now,
  }));
}
