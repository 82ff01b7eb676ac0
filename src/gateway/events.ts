import type { MessageView, NewMo, WebhookEvent } from '../store/types.js';

/** The webhook body of a message that reached its final state. */
export function reportEvent(m: MessageView, url: string | undefined): WebhookEvent | undefined {
  if (!url) return undefined;
  const body = {
    type: 'report',
    id: m.id,
    account: m.account,
    clientRef: m.clientRef,
    to: m.to,
    status: m.status,
    error: m.error,
    segments: m.segments.map((s) => ({
      index: s.index,
      msgId: s.msgId,
      status: s.status,
      stat: s.stat,
      submittedAt: s.submittedAt && new Date(s.submittedAt).toISOString(),
      reportedAt: s.reportedAt && new Date(s.reportedAt).toISOString(),
    })),
    createdAt: new Date(m.createdAt).toISOString(),
    finalAt: new Date(m.updatedAt).toISOString(),
  };
  return { eventKey: `report:${m.id}`, url, body: JSON.stringify(body) };
}

/** The webhook body of a stored MO. */
export function moEvent(mo: NewMo, url: string | undefined): WebhookEvent | undefined {
  if (!url) return undefined;
  const body = {
    type: 'mo',
    id: mo.id,
    account: mo.account,
    from: mo.from,
    to: mo.to,
    text: mo.text,
    binary: mo.binaryHex,
    msgFmt: mo.msgFmt,
    parts: mo.parts,
    linkId: mo.linkId,
    receivedAt: new Date(mo.receivedAt).toISOString(),
  };
  return { eventKey: `mo:${mo.id}`, url, body: JSON.stringify(body) };
}
