import type { MessageView, NewMessage } from './types.js';

/** The view of a message just inserted, without reading it back. */
export function freshView(m: NewMessage): MessageView {
  return {
    id: m.id,
    account: m.account,
    clientRef: m.clientRef ?? null,
    to: m.to,
    srcId: m.srcId,
    text: m.text ?? null,
    binaryHex: m.binaryHex ?? null,
    encoding: m.encoding,
    report: m.report,
    callbackUrl: m.callbackUrl ?? null,
    validUntil: m.validUntil ?? null,
    sendAt: m.sendAt ?? null,
    priority: m.priority,
    status: 'queued',
    error: null,
    createdAt: m.createdAt,
    updatedAt: m.createdAt,
    pushId: m.pushId ?? null,
    segments: m.segments.map((_, index) => ({
      index,
      msgId: null,
      status: 'queued',
      result: null,
      stat: null,
      submittedAt: null,
      reportedAt: null,
    })),
  };
}
