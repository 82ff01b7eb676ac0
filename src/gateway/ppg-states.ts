import type { MessageStatus, PushAddressView } from '../store/types.js';
import type { MessageState } from '../wap/index.js';

const STATE_OF: Record<MessageStatus, MessageState> = {
  queued: 'pending',
  submitting: 'pending',
  submitted: 'pending',
  delivered: 'delivered',
  undeliverable: 'undeliverable',
  rejected: 'undeliverable',
  failed: 'undeliverable',
  expired: 'expired',
  cancelled: 'cancelled',
};

/**
 * The PAP state of one address, from the SMS that carries it. A push whose SUBMIT was accepted but whose
 * report has not come within the report wait is `timeout`: nobody will ever know whether it arrived.
 */
export function papState(
  a: Pick<PushAddressView, 'status' | 'updatedAt'>,
  now: number,
  reportWaitMs: number,
): MessageState {
  if (a.status === 'submitted' && a.updatedAt + reportWaitMs < now) return 'timeout';
  return STATE_OF[a.status] ?? 'unknown';
}

/** The PAP code a result notification carries for a final state. */
export function notificationCode(state: MessageState): number {
  if (state === 'delivered') return 1000;
  if (state === 'expired' || state === 'timeout') return 3003;
  return 4000;
}
