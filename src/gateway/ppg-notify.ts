import type { MessageView, WebhookEvent } from '../store/types.js';
import { buildPap, PapParseError, parsePap, parsePapAddress } from '../wap/index.js';
import { notificationCode, papState } from './ppg-states.js';

export const PAP_CONTENT_TYPE = 'application/xml';

/**
 * The resultnotification-message for a push message that reached a final state, POSTed to the PI's
 * ppg-notify-requested-to through the webhook outbox (protocol-facts §8).
 */
export function resultNotification(
  m: MessageView & { pushId: string; callbackUrl: string },
  senderName: string,
): WebhookEvent {
  const messageState = papState(m, m.updatedAt, Number.POSITIVE_INFINITY);
  const code = notificationCode(messageState);
  const body = buildPap({
    type: 'resultnotification-message',
    pushId: m.pushId,
    senderName,
    receivedTime: new Date(m.createdAt),
    eventTime: new Date(m.updatedAt),
    messageState,
    code,
    desc: m.error ?? m.segments.find((s) => s.stat !== null && s.stat !== 'DELIVRD')?.stat ?? undefined,
    addresses: [parsePapAddress(`WAPPUSH=+86${m.to}/TYPE=PLMN`)],
  });
  return { eventKey: `pap:${m.id}`, url: m.callbackUrl, body, contentType: PAP_CONTENT_TYPE };
}

/** A PI acknowledges a notification with a resultnotification-response; anything else is retried. */
export function notificationAcknowledged(responseBody: string): boolean {
  try {
    const doc = parsePap(responseBody);
    return doc.type === 'resultnotification-response' && doc.code < 2000;
  } catch (err) {
    if (err instanceof PapParseError) return false;
    throw err;
  }
}
