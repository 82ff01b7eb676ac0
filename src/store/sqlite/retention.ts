import type { Database, Statement } from 'better-sqlite3';
import type { Counts } from './counts.js';

/** Larger than any rowid: the bound when every row of a table is old. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * Deletes records older than a time, oldest first, a bounded number per call (see Store.purge). Tables are
 * read in rowid order, which is insertion order and so time order: the first row not older than the cutoff
 * bounds the scan, so a call costs what it deletes, not the table's size.
 */
export class SqliteRetention {
  private readonly q: {
    messages: Statement;
    deleteSegments: Statement;
    deleteMessage: Statement;
    pushes: Statement;
    mo: Statement;
    /** Each takes { before, limit } and deletes up to `limit` rows. */
    others: Statement[];
  };

  constructor(
    db: Database,
    private readonly counts: Counts,
  ) {
    /** Rows of `table` (rowid `key`, time `at`) older than the cutoff, in rowid order. */
    const older = (table: string, key: string, at: string, where = '1') =>
      `SELECT ${key} FROM ${table} WHERE ${key} < coalesce((SELECT ${key} FROM ${table} WHERE ${at} >= @before
        ORDER BY ${key} LIMIT 1), ${NO_BOUND}) AND ${where} ORDER BY ${key} LIMIT @limit`;
    this.q = {
      // Queued and in-flight messages stay, however old (a message can be scheduled far ahead).
      messages: db.prepare(
        `SELECT seq, id, status, segment_count FROM messages WHERE seq IN (${older('messages', 'seq', 'created_at', "status NOT IN ('queued', 'submitting')")})`,
      ),
      deleteSegments: db.prepare('DELETE FROM segments WHERE message_id = ?'),
      deleteMessage: db.prepare('DELETE FROM messages WHERE seq = ?'),
      pushes: db.prepare(`DELETE FROM pushes WHERE seq IN (${older('pushes', 'seq', 'created_at')})`),
      mo: db.prepare(`DELETE FROM mo WHERE seq IN (${older('mo', 'seq', 'received_at')})`),
      others: [
        db.prepare(
          `DELETE FROM webhooks WHERE id IN (${older('webhooks', 'id', 'created_at', "status IN ('delivered', 'dead')")})`,
        ),
        db.prepare(
          `DELETE FROM orphan_reports WHERE rowid IN (${older('orphan_reports', 'rowid', 'received_at')})`,
        ),
        // Parts of long MO never completed, and the Msg_Ids of assembled ones (kept to spot redeliveries):
        // few rows, kept by key, not by time.
        db.prepare(`DELETE FROM mo_parts WHERE (account, group_key, seq) IN
          (SELECT account, group_key, seq FROM mo_parts WHERE received_at < @before LIMIT @limit)`),
        db.prepare(`DELETE FROM mo_consumed_parts WHERE (account, ismg_msg_id) IN
          (SELECT account, ismg_msg_id FROM mo_consumed_parts WHERE consumed_at < @before LIMIT @limit)`),
      ],
    };
  }

  /** Inside a transaction: deletes up to `limit` records older than `before`; returns how many. */
  purge(before: number, limit: number): number {
    // Push records first: one never outlives the messages it lists.
    let deleted = this.q.pushes.run({ before, limit }).changes;
    this.counts.change('pushes', -deleted);
    const messages = this.q.messages.all({ before, limit: limit - deleted }) as {
      seq: number;
      id: string;
      status: string;
      segment_count: number;
    }[];
    for (const { seq, id, status, segment_count } of messages) {
      // A single-segment message holds its segment in its own row (migration 5).
      if (segment_count > 1) this.q.deleteSegments.run(id);
      this.q.deleteMessage.run(seq);
      this.counts.change(status, -1);
      deleted++;
    }
    if (deleted < limit) {
      const mo = this.q.mo.run({ before, limit: limit - deleted }).changes;
      this.counts.change('mo', -mo);
      deleted += mo;
    }
    for (const statement of this.q.others) {
      if (deleted >= limit) break;
      deleted += statement.run({ before, limit: limit - deleted }).changes;
    }
    return deleted;
  }
}
