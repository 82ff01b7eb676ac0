import type { Database, Statement } from 'better-sqlite3';
import { FINAL_STATES, type MessageStatus, nextMessageState } from '../status.js';
import type { FinalMessage } from '../types.js';
import type { Counts } from './counts.js';
import { firstRows } from './first-rows.js';

/** What a step needs of a message's row to change the state of a message held in one row. */
export interface StateRow {
  seq: number;
  id: string;
  status: MessageStatus;
  report: number;
  account: string;
  callback_url: string | null;
  segment_count: number;
}

/** A queued segment as a claim reads it, from either layout. */
export interface ClaimRow {
  seq?: number;
  message_id: string;
  idx: number;
  content: Buffer;
  tp_udhi: number;
  attempts: number;
  priority: number;
  due_at: number;
  recipient: string;
  src_id: string;
  msg_fmt: number;
  report: number;
  valid_until: number | null;
  segment_count: number;
}

/** A segment's new state and what came with it; fields left out keep their value. */
export interface SegmentChange {
  status: MessageStatus;
  msgId?: string;
  result?: number;
  stat?: string;
  submittedAt?: number;
  reportedAt?: number;
  error?: string;
}

/** The columns of a StateRow. */
export const STATE_COLUMNS = 'seq, id, status, report, account, callback_url, segment_count';

/**
 * Messages of one segment, whose segment lives in the message's own row (migration 5): the message's
 * state is its segment's, so a step is one read and one write of that row (statements keyed by rowid).
 * Messages of several segments keep a row per segment in `segments` (sqlite-store.ts).
 */
export class SingleSegments {
  private readonly q: Record<
    'claimable' | 'markSubmitting' | 'change' | 'byMsgId' | 'requeue' | 'recoverAll' | 'recoverOf',
    Statement
  >;

  constructor(
    db: Database,
    private readonly counts: Counts,
  ) {
    this.q = {
      claimable:
        db.prepare(`SELECT seq, id AS message_id, 0 AS idx, content, tp_udhi, attempts, priority, due_at,
        recipient, src_id, msg_fmt, report, valid_until, segment_count FROM messages
        WHERE account = ? AND status = 'queued' AND segment_count = 1 AND due_at <= ?
        AND (valid_until IS NULL OR valid_until > ?)
        ORDER BY priority DESC, due_at`),
      markSubmitting: db.prepare(
        "UPDATE messages SET status = 'submitting', attempts = attempts + 1, updated_at = ? WHERE seq = ?",
      ),
      change:
        db.prepare(`UPDATE messages SET status = ?, msg_id = coalesce(?, msg_id), result = coalesce(?, result),
        stat = coalesce(?, stat), submitted_at = coalesce(?, submitted_at), reported_at = coalesce(?, reported_at),
        error = coalesce(?, error), updated_at = ? WHERE seq = ?`),
      byMsgId: db.prepare(`SELECT ${STATE_COLUMNS} FROM messages WHERE msg_id = ?`),
      requeue: db.prepare(`UPDATE messages SET status = 'queued', updated_at = ?
        WHERE id = ? AND segment_count = 1 AND status = 'submitting'`),
      recoverAll: db.prepare(`UPDATE messages SET status = 'queued', updated_at = ?
        WHERE status = 'submitting' AND segment_count = 1`),
      recoverOf: db.prepare(`UPDATE messages SET status = 'queued', updated_at = ?
        WHERE status = 'submitting' AND segment_count = 1 AND account = ?`),
    };
  }

  /** Up to `limit` queued single-segment messages of the account that are due, in claim order. */
  claimable(account: string, now: number, limit: number): ClaimRow[] {
    return firstRows<ClaimRow>(this.q.claimable, limit, account, now, now);
  }

  markSubmitting(seq: number, now: number): void {
    this.q.markSubmitting.run(now, seq);
    this.counts.move('queued', 'submitting');
  }

  /** The message whose segment the ISMG gave this Msg_Id, if it is held in one row. */
  byMsgId(msgId: string): StateRow | undefined {
    return this.q.byMsgId.get(msgId) as StateRow | undefined;
  }

  /**
   * Applies a change to a message held in one row, unless it is already final (a late report, a repeated
   * SUBMIT_RESP); returns the message when the change made it final.
   */
  apply(row: StateRow, change: SegmentChange, now: number): FinalMessage | undefined {
    if (FINAL_STATES.has(row.status)) return undefined;
    const next = nextMessageState(row.status, [change.status], row.report === 1);
    this.q.change.run(
      change.status,
      change.msgId ?? null,
      change.result ?? null,
      change.stat ?? null,
      change.submittedAt ?? null,
      change.reportedAt ?? null,
      change.error ?? null,
      now,
      row.seq,
    );
    this.counts.move(row.status, change.status);
    row.status = change.status;
    return next.becameFinal
      ? { id: row.id, account: row.account, status: change.status, callbackUrl: row.callback_url }
      : undefined;
  }

  /** Puts an in-flight single-segment message back in the queue; false if it is not one. */
  requeue(id: string, now: number): boolean {
    if (this.q.requeue.run(now, id).changes === 0) return false;
    this.counts.move('submitting', 'queued');
    return true;
  }

  /** Puts every in-flight single-segment message (of one account, if given) back in the queue. */
  recover(account: string | undefined, now: number): number {
    const n = (account ? this.q.recoverOf.run(now, account) : this.q.recoverAll.run(now)).changes;
    this.counts.change('submitting', -n);
    this.counts.change('queued', n);
    return n;
  }
}
