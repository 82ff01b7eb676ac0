import { MsgFmt } from '../cmpp/index.js';
import { newId } from '../store/ids.js';
import type { NewMessage, NewPush } from '../store/types.js';
import {
  compilePushContent,
  encodeWspPush,
  type MultipartPart,
  mediaType,
  type PapAddress,
  type PushMessage,
  WapTransformError,
  wapPushSegments,
} from '../wap/index.js';
import type { AccountConfig } from './config.js';
import { PapFailure } from './ppg-errors.js';
import { count, type PushProgress } from './ppg-progress.js';

/** A PLMN address as CMPP's Dest_terminal_Id: the national 11-digit number (protocol-facts §8 addresses). */
export function pushRecipient(a: PapAddress): string {
  if (a.type.toUpperCase() !== 'PLMN')
    throw new PapFailure(2002, `address ${a.raw}: only TYPE=PLMN can be reached over SMS`);
  const m = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(a.value);
  if (!m) throw new PapFailure(2002, `address ${a.raw}: not a Chinese mobile number`);
  return m[1];
}

const PRIORITY = { low: 0, medium: 1, high: 3 } as const;
const SMS_BEARERS = new Set(['any', 'sms']);
const SMS_NETWORKS = new Set(['any', 'gsm']);

/** Refuses quality-of-service requirements an SMS bearer over CMPP cannot meet (3009, 3010). */
function checkQos(push: PushMessage): void {
  const q = push.qualityOfService;
  if (!q) return;
  if (q.bearerRequired && q.bearer && !SMS_BEARERS.has(q.bearer.toLowerCase()))
    throw new PapFailure(3010, `bearer ${q.bearer} is required; this PPG delivers over SMS only`);
  if (q.networkRequired && q.network && !SMS_NETWORKS.has(q.network.toLowerCase()))
    throw new PapFailure(3009, `network ${q.network} is required; this PPG delivers over GSM SMS only`);
}

export interface ComposedPush {
  push: NewPush;
  messages: NewMessage[];
}

export interface PushInput {
  control: PushMessage;
  content: MultipartPart;
  account: AccountConfig;
  tid: number;
  reference: number;
  now: number;
  /** Only these addresses get the push (replace-method pending-only); all when undefined. */
  only?: Set<string>;
  /** Where the validated and compiled stages are noted, when the PI asked for progress notes. */
  progress?: PushProgress;
}

/**
 * The content entity as the SMS carry it: compiled, in a WSP Push PDU, split into at most 255 SMS. Content
 * that does not compile, a header WSP cannot encode or a PDU too large for SMS is PapFailure 3006
 * (Transformation Failure), the WapTransformError as its cause.
 */
function encodeContent(input: PushInput, type: string) {
  try {
    const compiled = compilePushContent(type, input.content.body);
    const wsp = encodeWspPush({
      tid: input.tid,
      contentType: compiled.contentType,
      // X-Wap-Application-Id, X-Wap-Initiator-URI, Push-Flag… go into the PDU; entity headers do not.
      headers: input.content.headers,
      body: compiled.body,
    });
    return { compiled, wsp, segments: wapPushSegments(wsp, input.reference) };
  } catch (err) {
    if (err instanceof WapTransformError) throw new PapFailure(3006, err.message, { cause: err });
    throw err;
  }
}

/**
 * A push-message and its content entity as one binary SMS message per address: content compiled to WBXML,
 * wrapped in a WSP Push PDU, split with the WDP port UDH (protocol-facts §9–§10). Throws PapFailure.
 */
export function composePush(input: PushInput): ComposedPush {
  const { control, content, account, now } = input;
  checkQos(control);
  const deliverBefore = control.deliverBeforeTimestamp?.getTime() ?? null;
  const deliverAfter = control.deliverAfterTimestamp?.getTime() ?? null;
  if (deliverBefore !== null && deliverBefore <= now)
    throw new PapFailure(2000, 'deliver-before-timestamp is in the past');
  if (deliverBefore !== null && deliverAfter !== null && deliverAfter >= deliverBefore)
    throw new PapFailure(2000, 'deliver-after-timestamp is not before deliver-before-timestamp');
  const recipients = control.addresses.map((a) => ({ address: a.raw, to: pushRecipient(a) }));
  const type = content.headers['content-type'];
  if (!type) throw new PapFailure(2000, 'the content entity has no Content-Type');
  input.progress?.note(
    'validated',
    `${count(recipients.length, 'address', 'addresses')} reachable over SMS; ` +
      'quality-of-service and delivery times accepted',
  );
  const { compiled, wsp, segments } = encodeContent(input, type);
  const media = mediaType(type);
  const converted = mediaType(compiled.contentType) !== media;
  input.progress?.note(
    converted ? 'compiled' : 'encoded',
    `${converted ? `${media} compiled to ${compiled.contentType}` : `${media} kept as sent`} ` +
      `(${compiled.body.length} bytes); WSP Push PDU of ${wsp.length} bytes in ` +
      `${count(segments.length, 'SMS', 'SMS')} per address`,
  );
  const selected = recipients.filter((r) => !input.only || input.only.has(r.address));
  const messages: NewMessage[] = selected.map((r) => ({
    id: newId(now),
    account: account.name,
    to: r.to,
    srcId: account.serviceCode,
    binaryHex: wsp.toString('hex'),
    encoding: 'binary',
    msgFmt: MsgFmt.BINARY,
    report: true,
    callbackUrl: control.ppgNotifyRequestedTo,
    validUntil: deliverBefore ?? undefined,
    sendAt: deliverAfter !== null && deliverAfter > now ? deliverAfter : undefined,
    priority: PRIORITY[control.qualityOfService?.priority ?? 'medium'],
    segments: segments.map((s) => ({ content: Buffer.concat([s.udh, s.ud]), tpUdhi: 1 })),
    createdAt: now,
    pushId: control.pushId,
  }));
  return {
    push: {
      pushId: control.pushId,
      account: account.name,
      contentType: compiled.contentType,
      notifyTo: control.ppgNotifyRequestedTo ?? null,
      sourceReference: control.sourceReference,
      deliverBefore,
      deliverAfter,
      createdAt: now,
      addresses: messages.map((m, i) => ({ address: selected[i].address, messageId: m.id })),
    },
    messages,
  };
}
