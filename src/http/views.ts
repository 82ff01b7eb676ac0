import type { MessageView, MoView, PushView } from '../store/types.js';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** A message as the API shows it (times as ISO strings). */
export function messageJson(m: MessageView) {
  return {
    id: m.id,
    account: m.account,
    clientRef: m.clientRef,
    to: m.to,
    from: m.srcId,
    text: m.text,
    binary: m.binaryHex,
    encoding: m.encoding,
    report: m.report,
    status: m.status,
    error: m.error,
    priority: m.priority,
    callbackUrl: m.callbackUrl,
    validUntil: iso(m.validUntil),
    sendAt: iso(m.sendAt),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    pushId: m.pushId,
    segments: m.segments.map((s) => ({
      ...s,
      submittedAt: iso(s.submittedAt),
      reportedAt: iso(s.reportedAt),
    })),
  };
}

/** The 202 answer for one stored message. */
export function acceptedJson(m: MessageView) {
  return { id: m.id, status: m.status, segments: m.segments.length, to: m.to };
}

export function moJson(m: MoView) {
  return {
    id: m.id,
    account: m.account,
    from: m.from,
    to: m.to,
    text: m.text,
    binary: m.binaryHex,
    msgFmt: m.msgFmt,
    parts: m.parts,
    linkId: m.linkId,
    receivedAt: iso(m.receivedAt),
  };
}

/** A WAP push with each address's message status and PAP state. */
export function pushJson(p: PushView, stateOf: (a: PushView['addresses'][number]) => string) {
  return {
    pushId: p.pushId,
    account: p.account,
    contentType: p.contentType,
    notifyTo: p.notifyTo,
    sourceReference: p.sourceReference ?? null,
    deliverBefore: iso(p.deliverBefore),
    deliverAfter: iso(p.deliverAfter),
    createdAt: iso(p.createdAt),
    addresses: p.addresses.map((a) => ({
      address: a.address,
      messageId: a.messageId,
      status: a.status,
      state: stateOf(a),
      updatedAt: iso(a.updatedAt),
    })),
  };
}
