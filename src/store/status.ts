/*
 * Message states and how a message's state follows from its segments'. No Node types here: the dashboard
 * (web/) imports this file too.
 */

/** Every state, in the order a message moves through them. */
export const MESSAGE_STATUSES = [
  'queued',
  'submitting',
  'submitted',
  'delivered',
  'undeliverable',
  'expired',
  'rejected',
  'failed',
  'cancelled',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** States a segment cannot leave. `submitted` is final only for messages that asked for no report. */
export const FINAL_STATES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undeliverable',
  'expired',
  'rejected',
  'failed',
  'cancelled',
]);

/** Worst last: a message takes the worst final state of its segments. */
export const SEVERITY: Readonly<Record<string, number>> = {
  delivered: 0,
  submitted: 1,
  cancelled: 2,
  expired: 3,
  undeliverable: 4,
  rejected: 5,
  failed: 6,
};

/**
 * The state of a report's Stat (SPEC3 表一). ACCEPTD is intermediate and yields null: it is ignored.
 * Everything else that is not DELIVRD/EXPIRED (UNDELIV, DELETED, REJECTD, UNKNOWN, MA:xxxx, …) is undeliverable.
 */
export function statToStatus(stat: string): MessageStatus | null {
  if (stat === 'DELIVRD') return 'delivered';
  if (stat === 'EXPIRED') return 'expired';
  if (stat === 'ACCEPTD') return null;
  return 'undeliverable';
}

/** Whether a segment in this state is done, given whether the message waits for reports. */
export function isFinal(status: MessageStatus, report: boolean): boolean {
  return FINAL_STATES.has(status) || (!report && status === 'submitted');
}

/**
 * A message's state from its segments: all final → delivered if all are, else the worst; otherwise the
 * least advanced state in progress (queued, then submitting, then submitted).
 */
export function deriveStatus(segments: readonly MessageStatus[], report: boolean): MessageStatus {
  if (segments.every((s) => isFinal(s, report))) {
    return segments.reduce((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), segments[0]);
  }
  if (segments.includes('queued')) return segments.some((s) => s !== 'queued') ? 'submitting' : 'queued';
  if (segments.includes('submitting')) return 'submitting';
  return 'submitted';
}

/**
 * A message's state after its segments changed: the new state, and whether that change just made it final
 * (then its webhook is due, once). `changed` is false when nothing needs to be written.
 */
export function nextMessageState(
  current: MessageStatus,
  segments: readonly MessageStatus[],
  report: boolean,
): { status: MessageStatus; changed: boolean; becameFinal: boolean } {
  const status = deriveStatus(segments, report);
  return {
    status,
    changed: status !== current,
    becameFinal: !isFinal(current, report) && isFinal(status, report),
  };
}
