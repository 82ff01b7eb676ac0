import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { cursorOf, parseCursor } from '../cursor.js';
import { freshView } from '../fresh-view.js';
import { FINAL_STATES, MESSAGE_STATUSES, nextMessageState, statToStatus } from '../status.js';
import type {
  FinalHook,
  FinalMessage,
  IncomingReport,
  MessageFilter,
  MessageStatus,
  MessageView,
  MoPart,
  MoView,
  NewMessage,
  NewMo,
  NewPush,
  Page,
  PushView,
  SegmentJob,
  SegmentView,
  Store,
  StoreStats,
  SubmitOutcome,
  TextEncoding,
  WebhookEvent,
  WebhookJob,
  WebhookState,
} from '../types.js';
import { Counts } from './counts.js';
import { firstRows } from './first-rows.js';
import { GroupCommit } from './group-commit.js';
import { MIGRATIONS, type UpgradeEvent } from './migrations.js';
import { SqliteRetention } from './retention.js';
import {
  type ClaimRow,
  type SegmentChange,
  SingleSegments,
  STATE_COLUMNS,
  type StateRow,
} from './single-segments.js';
import { WalSync } from './wal-sync.js';

interface MessageRow {
  seq: number;
  id: string;
  account: string;
  client_ref: string | null;
  recipient: string;
  src_id: string;
  text: string | null;
  binary_hex: string | null;
  encoding: TextEncoding;
  msg_fmt: number;
  report: number;
  callback_url: string | null;
  valid_until: number | null;
  send_at: number | null;
  priority: number;
  segment_count: number;
  status: MessageStatus;
  error: string | null;
  created_at: number;
  updated_at: number;
  push_id: string | null;
  // The segment of a single-segment message (migration 5); null for others.
  msg_id: string | null;
  result: number | null;
  stat: string | null;
  submitted_at: number | null;
  reported_at: number | null;
}

interface PushRow {
  seq: number;
  push_id: string;
  account: string;
  content_type: string;
  notify_to: string | null;
  source_reference: string | null;
  deliver_before: number | null;
  deliver_after: number | null;
  created_at: number;
  addresses: string;
}

interface SegmentRow {
  idx: number;
  msg_id: string | null;
  status: MessageStatus;
  result: number | null;
  stat: string | null;
  submitted_at: number | null;
  reported_at: number | null;
}

interface PartRow {
  account: string;
  group_key: string;
  total: number;
  seq: number;
  ismg_msg_id: string;
  payload: Buffer;
  msg_fmt: number;
  link_id: string | null;
  received_at: number;
}

const partOf = (r: PartRow): MoPart => ({
  account: r.account,
  groupKey: r.group_key,
  total: r.total,
  seq: r.seq,
  ismgMsgId: r.ismg_msg_id,
  payload: r.payload,
  msgFmt: r.msg_fmt,
  linkId: r.link_id,
  receivedAt: r.received_at,
});

/** Claim order: higher priority first, then earlier due, then older message (ids are time-ordered). */
function claimsFirst(a: ClaimRow, b: ClaimRow): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.due_at !== b.due_at) return a.due_at < b.due_at;
  return a.message_id < b.message_id;
}

function jobOf(r: ClaimRow, account: string): SegmentJob {
  return {
    messageId: r.message_id,
    index: r.idx,
    account,
    to: r.recipient,
    srcId: r.src_id,
    msgFmt: r.msg_fmt,
    tpUdhi: r.tp_udhi,
    pkTotal: r.segment_count,
    pkNumber: r.idx + 1,
    content: r.content,
    report: r.report === 1,
    priority: r.priority,
    validUntil: r.valid_until,
    attempts: r.attempts + 1,
  };
}

/**
 * Messages of several segments a write changed, to refresh at its end: the error to record, and the
 * message's row when the write already read it (its state is unchanged until the refresh).
 */
type Touched = Map<string, { error?: string; row?: StateRow }>;

/** A segment in a final state is never changed again (a late report, a repeated SUBMIT_RESP). */
const NOT_FINAL = `status NOT IN (${[...FINAL_STATES].map((s) => `'${s}'`).join(', ')})`;

const JSON_TYPE = 'application/json';

/** The embedded store: one SQLite file in WAL mode, fsync on every commit, commits grouped per turn. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly commit: GroupCommit;
  private readonly wal: WalSync;
  private readonly retention: SqliteRetention;
  private readonly counts: Counts;
  private readonly single: SingleSegments;
  private readonly q;

  /** `onUpgrade` is told how upgrading a database written by an earlier version goes (it can take seconds). */
  constructor(path: string, { onUpgrade }: { onUpgrade?: (event: UpgradeEvent) => void } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Commits append to the WAL without syncing; WalSync syncs it off the event loop before a durable
    // write is acknowledged (an fsync here takes ~3 ms and would block everything else).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // A checkpoint (copying the WAL back into the database, on the committing thread) every ~40 MB of WAL
    // instead of every 4 MB: pages changed again and again (index tails, recent rows) are copied once per
    // checkpoint, and a commit that checkpoints (~6 ms) comes a tenth as often. Draining a queue, this
    // took the time commits spend from ~22 % of the event loop to ~16 %.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.migrate(onUpgrade);
    this.wal = new WalSync(path === ':memory:' ? null : `${path}-wal`);
    this.commit = new GroupCommit(this.db, this.wal);
    this.counts = new Counts(this.db);
    this.retention = new SqliteRetention(this.db, this.counts);
    this.single = new SingleSegments(this.db, this.counts);
    const db = this.db;
    this.q = {
      insertMessage:
        db.prepare(`INSERT INTO messages (id, account, client_ref, recipient, src_id, text, binary_hex,
        encoding, msg_fmt, report, callback_url, valid_until, send_at, priority, segment_count, status, created_at, updated_at,
        push_id, content, tp_udhi, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`),
      insertSegment:
        db.prepare(`INSERT INTO segments (message_id, idx, account, content, tp_udhi, status, priority, due_at)
        VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`),
      messageById: db.prepare('SELECT * FROM messages WHERE id = ?'),
      // What refreshing a message's state needs: far cheaper than the whole row.
      messageStatus: db.prepare(`SELECT ${STATE_COLUMNS} FROM messages WHERE id = ?`),
      messageByRef: db.prepare(
        'SELECT * FROM messages WHERE account = ? AND client_ref = ? AND recipient = ?',
      ),
      segmentsOf: db.prepare(
        'SELECT idx, msg_id, status, result, stat, submitted_at, reported_at FROM segments WHERE message_id = ? ORDER BY idx',
      ),
      segmentStatuses: db.prepare('SELECT status FROM segments WHERE message_id = ?'),
      setMessageStatus: db.prepare(
        'UPDATE messages SET status = ?, error = coalesce(?, error), updated_at = ? WHERE id = ?',
      ),
      claim:
        db.prepare(`SELECT s.message_id, s.idx, s.content, s.tp_udhi, s.attempts, s.priority, s.due_at, m.recipient, m.src_id,
        m.msg_fmt, m.report, m.valid_until, m.segment_count
        FROM segments s JOIN messages m ON m.id = s.message_id
        WHERE s.account = ? AND s.status = 'queued' AND s.due_at <= ? AND (m.valid_until IS NULL OR m.valid_until > ?)
        ORDER BY s.priority DESC, s.due_at`),
      markSubmitting: db.prepare(
        "UPDATE segments SET status = 'submitting', attempts = attempts + 1 WHERE message_id = ? AND idx = ?",
      ),
      messageSubmitting: db.prepare(
        "UPDATE messages SET status = 'submitting', updated_at = ? WHERE id = ? AND status = 'queued'",
      ),
      requeue: db.prepare(
        "UPDATE segments SET status = 'queued' WHERE message_id = ? AND idx = ? AND status = 'submitting'",
      ),
      inFlightAll: db.prepare("SELECT DISTINCT message_id FROM segments WHERE status = 'submitting'"),
      inFlightOf: db.prepare(
        "SELECT DISTINCT message_id FROM segments WHERE status = 'submitting' AND account = ?",
      ),
      requeueMessage: db.prepare(
        "UPDATE segments SET status = 'queued' WHERE message_id = ? AND status = 'submitting'",
      ),
      submitted:
        db.prepare(`UPDATE segments SET status = 'submitted', msg_id = ?, result = 0, submitted_at = ?
        WHERE message_id = ? AND idx = ? AND ${NOT_FINAL}`),
      rejected: db.prepare(`UPDATE segments SET status = 'rejected', result = ?, submitted_at = ?
        WHERE message_id = ? AND idx = ? AND ${NOT_FINAL}`),
      segmentByMsgId: db.prepare('SELECT message_id, idx, status, stat FROM segments WHERE msg_id = ?'),
      applyReport: db.prepare(
        `UPDATE segments SET status = ?, stat = ?, reported_at = ? WHERE message_id = ? AND idx = ? AND ${NOT_FINAL}`,
      ),
      orphan: db.prepare('SELECT * FROM orphan_reports WHERE msg_id = ?'),
      putOrphan:
        db.prepare(`INSERT OR REPLACE INTO orphan_reports (msg_id, stat, submit_time, done_time, dest, received_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      dropOrphan: db.prepare('DELETE FROM orphan_reports WHERE msg_id = ?'),
      // Without INDEXED BY the planner walks messages_status over every queued message (80 ms at 135k).
      expiring: db.prepare(`SELECT ${STATE_COLUMNS} FROM messages INDEXED BY messages_expiring
        WHERE valid_until IS NOT NULL AND valid_until <= ?
        AND status IN ('queued', 'submitting')`),
      expireSegments: db.prepare(
        "UPDATE segments SET status = 'expired' WHERE message_id = ? AND status = 'queued'",
      ),
      cancelSegments: db.prepare("UPDATE segments SET status = 'cancelled' WHERE message_id = ?"),
      insertMo:
        db.prepare(`INSERT OR IGNORE INTO mo (id, account, ismg_msg_id, sender, recipient, text, binary_hex, msg_fmt,
        parts, link_id, received_at) VALUES (@id, @account, @ismgMsgId, @from, @to, @text, @binaryHex, @msgFmt, @parts,
        @linkId, @receivedAt)`),
      insertPart:
        db.prepare(`INSERT OR IGNORE INTO mo_parts (account, group_key, total, seq, ismg_msg_id, payload, msg_fmt,
        link_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      partsOf: db.prepare('SELECT * FROM mo_parts WHERE account = ? AND group_key = ? ORDER BY seq'),
      dropParts: db.prepare('DELETE FROM mo_parts WHERE account = ? AND group_key = ?'),
      consumeParts: db.prepare(`INSERT OR IGNORE INTO mo_consumed_parts (account, ismg_msg_id, consumed_at)
        SELECT account, ismg_msg_id, ? FROM mo_parts WHERE account = ? AND group_key = ?`),
      partConsumed: db.prepare('SELECT 1 FROM mo_consumed_parts WHERE account = ? AND ismg_msg_id = ?'),
      completeGroups: db.prepare(`SELECT account, group_key FROM mo_parts GROUP BY account, group_key
        HAVING count(*) = max(total)`),
      insertPush:
        db.prepare(`INSERT OR IGNORE INTO pushes (push_id, account, content_type, notify_to, deliver_before,
        deliver_after, created_at, addresses, source_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      pushById: db.prepare('SELECT * FROM pushes WHERE push_id = ?'),
      messageState: db.prepare('SELECT status, updated_at FROM messages WHERE id = ?'),
      insertWebhook:
        db.prepare(`INSERT OR IGNORE INTO webhooks (event_key, url, body, status, next_attempt_at, created_at,
        content_type) VALUES (?, ?, ?, 'pending', ?, ?, ?)`),
      dueWebhooks: db.prepare(`SELECT id, url, body, content_type, attempts, created_at FROM webhooks
        WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at`),
      leaseWebhook: db.prepare(
        'UPDATE webhooks SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?',
      ),
      webhookDone: db.prepare("UPDATE webhooks SET status = 'delivered', delivered_at = ? WHERE id = ?"),
      webhookRetry: db.prepare('UPDATE webhooks SET next_attempt_at = ?, last_error = ? WHERE id = ?'),
      webhookDead: db.prepare("UPDATE webhooks SET status = 'dead', last_error = ? WHERE id = ?"),
      counters: db.prepare('SELECT name, n FROM counters'),
      pendingCounts: db.prepare(`SELECT
        (SELECT count(*) FROM segments WHERE status = 'queued')
          + (SELECT count(*) FROM messages INDEXED BY messages_queue WHERE status = 'queued' AND segment_count = 1)
          AS queued,
        (SELECT count(*) FROM webhooks WHERE status = 'pending') AS webhooks,
        (SELECT count(*) FROM orphan_reports) AS orphans`),
      webhookByKey: db.prepare(`SELECT event_key, url, status, attempts, created_at, next_attempt_at,
        delivered_at, last_error FROM webhooks WHERE event_key = ?`),
    };
  }

  private migrate(onUpgrade?: (event: UpgradeEvent) => void): void {
    const from = this.db.pragma('user_version', { simple: true }) as number;
    const to = MIGRATIONS.length;
    // A new database's schema is created, not upgraded: nothing to tell.
    const tell = from > 0 && from < to ? onUpgrade : undefined;
    const started = performance.now();
    tell?.({ step: 'start', from, to });
    for (let v = from; v < to; v++) {
      const migration = MIGRATIONS[v];
      if (typeof migration === 'string') {
        this.db.transaction(() => {
          this.db.exec(migration);
          this.db.pragma(`user_version = ${v + 1}`);
        })();
      } else {
        migration(this.db, (done, total) => tell?.({ step: 'progress', migration: v + 1, done, total }));
        this.db.pragma(`user_version = ${v + 1}`);
      }
    }
    tell?.({ step: 'done', from, to, ms: Math.round(performance.now() - started) });
  }

  /** A write in the next group commit, with the counters it changes. */
  private write<T>(work: () => T, durable = true, weight = 1): Promise<T> {
    return this.commit.run(() => this.counts.around(work), durable, weight);
  }

  insertMessages(messages: NewMessage[]): Promise<{ message: MessageView; created: boolean }[]> {
    return this.write(() => this.insertAll(messages), true, messages.length);
  }

  private insertAll(messages: NewMessage[]): { message: MessageView; created: boolean }[] {
    return messages.map((m) => {
      if (m.clientRef !== undefined) {
        const existing = this.q.messageByRef.get(m.account, m.clientRef, m.to) as MessageRow | undefined;
        if (existing) return { message: this.view(existing), created: false };
      }
      const single = m.segments.length === 1;
      const due = m.sendAt ?? m.createdAt;
      // Positional parameters: binding named ones from a spread object costs more than the insert itself.
      this.q.insertMessage.run(
        m.id,
        m.account,
        m.clientRef ?? null,
        m.to,
        m.srcId,
        m.text ?? null,
        m.binaryHex ?? null,
        m.encoding,
        m.msgFmt,
        m.report ? 1 : 0,
        m.callbackUrl ?? null,
        m.validUntil ?? null,
        m.sendAt ?? null,
        m.priority,
        m.segments.length,
        m.createdAt,
        m.createdAt,
        m.pushId ?? null,
        single ? m.segments[0].content : null,
        single ? m.segments[0].tpUdhi : null,
        single ? due : null,
      );
      this.counts.change('queued', 1);
      if (!single) {
        m.segments.forEach((s, i) => {
          this.q.insertSegment.run(m.id, i, m.account, s.content, s.tpUdhi, m.priority, due);
        });
      }
      return { message: freshView(m), created: true };
    });
  }

  insertPush(push: NewPush, messages: NewMessage[]): Promise<boolean> {
    return this.write(
      () => {
        const stored = this.q.insertPush.run(
          push.pushId,
          push.account,
          push.contentType,
          push.notifyTo,
          push.deliverBefore,
          push.deliverAfter,
          push.createdAt,
          JSON.stringify(push.addresses),
          push.sourceReference ?? null,
        );
        if (stored.changes === 0) return false;
        this.counts.change('pushes', 1);
        this.insertAll(messages);
        return true;
      },
      true,
      messages.length,
    );
  }

  async getPush(pushId: string): Promise<PushView | undefined> {
    const row = this.q.pushById.get(pushId) as PushRow | undefined;
    return row && this.pushView(row);
  }

  async listPushes(f: { account?: string; cursor?: string; limit: number }): Promise<Page<PushView>> {
    return this.page<PushRow, PushView>('pushes', [['account = ?', f.account]], f.cursor, f.limit, (r) =>
      this.pushView(r),
    );
  }

  async getMessage(id: string): Promise<MessageView | undefined> {
    const row = this.q.messageById.get(id) as MessageRow | undefined;
    return row && this.view(row);
  }

  async listMessages(f: MessageFilter): Promise<Page<MessageView>> {
    const conditions: [string, unknown][] = [
      ['account = ?', f.account],
      ['status = ?', f.status],
      ['recipient = ?', f.to],
      ['client_ref = ?', f.clientRef],
      ['created_at >= ?', f.since],
    ];
    return this.page<MessageRow, MessageView>('messages', conditions, f.cursor, f.limit, (r) => this.view(r));
  }

  cancelMessage(id: string, at: number): Promise<'cancelled' | 'not_found' | 'too_late'> {
    return this.write(() => {
      const row = this.q.messageById.get(id) as MessageRow | undefined;
      if (!row) return 'not_found';
      if (row.status === 'cancelled') return 'cancelled';
      const statuses = row.segment_count === 1 ? [row.status] : this.statuses(id);
      if (statuses.some((s) => s !== 'queued')) return 'too_late';
      if (row.segment_count !== 1) this.q.cancelSegments.run(id);
      this.q.setMessageStatus.run('cancelled', null, at, id);
      this.counts.move(row.status, 'cancelled');
      return 'cancelled';
    });
  }

  claimSegments(account: string, limit: number, now: number): Promise<SegmentJob[]> {
    return this.write(() => {
      // The queue is in two indexes (messages of one segment, and segments of longer ones): merged here.
      const several = firstRows<ClaimRow>(this.q.claim, limit, account, now, now);
      const single = this.single.claimable(account, now, limit);
      const jobs: SegmentJob[] = [];
      let i = 0;
      let j = 0;
      while (jobs.length < limit && (i < several.length || j < single.length)) {
        if (j === single.length || (i < several.length && claimsFirst(several[i], single[j]))) {
          const r = several[i++];
          this.q.markSubmitting.run(r.message_id, r.idx);
          if (this.q.messageSubmitting.run(now, r.message_id).changes === 1)
            this.counts.move('queued', 'submitting');
          jobs.push(jobOf(r, account));
        } else {
          const r = single[j++];
          this.single.markSubmitting(r.seq as number, now);
          jobs.push(jobOf(r, account));
        }
      }
      return jobs;
    }, false);
  }

  requeueSegments(keys: { messageId: string; index: number }[]): Promise<void> {
    return this.write(() => {
      const now = Date.now();
      const several = new Set<string>();
      for (const k of keys) {
        if (this.single.requeue(k.messageId, now)) continue;
        this.q.requeue.run(k.messageId, k.index);
        several.add(k.messageId);
      }
      for (const id of several) this.refresh(id, now);
    }, false);
  }

  recoverInFlight(account?: string): Promise<number> {
    return this.write(() => {
      const ids = (account ? this.q.inFlightOf.all(account) : this.q.inFlightAll.all()) as {
        message_id: string;
      }[];
      const now = Date.now();
      let segments = this.single.recover(account, now);
      for (const { message_id } of ids) {
        segments += this.q.requeueMessage.run(message_id).changes;
        this.refresh(message_id, now);
      }
      return segments;
    });
  }

  recordSubmits(outcomes: SubmitOutcome[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    return this.write(() => {
      const finals: FinalMessage[] = [];
      const touched: Touched = new Map();
      for (const o of outcomes) {
        const row = this.q.messageStatus.get(o.messageId) as StateRow | undefined;
        if (!row) continue;
        if (row.segment_count === 1) {
          // A repeated SUBMIT_RESP: not applied, and a report waiting for its Msg_Id is left where it is.
          if (FINAL_STATES.has(row.status)) continue;
          this.settle(this.single.apply(row, this.outcomeChange(o), o.at), o.at, finals, onFinal);
          continue;
        }
        if (o.result === 0 && o.msgId !== undefined) {
          if (this.q.submitted.run(o.msgId, o.at, o.messageId, o.index).changes === 0) continue; // already final
          const orphan = this.takeOrphan(o.msgId);
          if (orphan) this.applyReport(o.messageId, o.index, orphan.stat, orphan.received_at);
        } else if (this.q.rejected.run(o.result, o.at, o.messageId, o.index).changes === 0) {
          continue; // already final
        }
        touched.set(o.messageId, { row, error: o.error ?? touched.get(o.messageId)?.error });
      }
      this.refreshAll(touched, outcomes[0]?.at ?? Date.now(), finals, onFinal);
      return finals;
    });
  }

  expireDue(now: number, onFinal?: FinalHook): Promise<FinalMessage[]> {
    return this.write(() => {
      const finals: FinalMessage[] = [];
      const touched: Touched = new Map();
      const error = 'validUntil passed before the message was sent';
      for (const row of this.q.expiring.all(now) as StateRow[]) {
        // Only segments not yet sent expire; a message whose segments are all in flight is left alone.
        if (row.segment_count === 1) {
          if (row.status === 'queued')
            this.settle(this.single.apply(row, { status: 'expired', error }, now), now, finals, onFinal);
        } else if (this.q.expireSegments.run(row.id).changes > 0) {
          touched.set(row.id, { row, error });
        }
      }
      this.refreshAll(touched, now, finals, onFinal);
      return finals;
    });
  }

  recordReports(reports: IncomingReport[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    return this.write(() => {
      const finals: FinalMessage[] = [];
      const touched: Touched = new Map();
      for (const r of reports) {
        const status = statToStatus(r.stat);
        if (status === null) continue;
        const row = this.single.byMsgId(r.msgId);
        if (row) {
          const change = { status, stat: r.stat, reportedAt: r.receivedAt };
          this.settle(this.single.apply(row, change, r.receivedAt), r.receivedAt, finals, onFinal);
          continue;
        }
        const seg = this.q.segmentByMsgId.get(r.msgId) as { message_id: string; idx: number } | undefined;
        if (!seg) {
          this.q.putOrphan.run(r.msgId, r.stat, r.submitTime, r.doneTime, r.dest, r.receivedAt);
          continue;
        }
        this.applyReport(seg.message_id, seg.idx, r.stat, r.receivedAt);
        touched.set(seg.message_id, {});
      }
      this.refreshAll(touched, reports[0]?.receivedAt ?? Date.now(), finals, onFinal);
      return finals;
    });
  }

  insertMo(
    mo: NewMo,
    webhook?: WebhookEvent,
    completes?: { account: string; groupKey: string },
  ): Promise<boolean> {
    return this.write(() => {
      if (completes) {
        this.q.consumeParts.run(mo.receivedAt, completes.account, completes.groupKey);
        this.q.dropParts.run(completes.account, completes.groupKey);
      }
      const stored = this.q.insertMo.run(mo).changes === 1;
      if (stored) this.counts.change('mo', 1);
      if (stored && webhook) this.queueWebhook(webhook, mo.receivedAt);
      return stored;
    });
  }

  addMoPart(part: MoPart): Promise<MoPart[] | null> {
    return this.write(() => {
      if (this.q.partConsumed.get(part.account, part.ismgMsgId)) return null;
      this.q.insertPart.run(
        part.account,
        part.groupKey,
        part.total,
        part.seq,
        part.ismgMsgId,
        part.payload,
        part.msgFmt,
        part.linkId,
        part.receivedAt,
      );
      const parts = this.q.partsOf.all(part.account, part.groupKey) as PartRow[];
      return parts.length === part.total ? parts.map(partOf) : null;
    });
  }

  async completeMoGroups(): Promise<MoPart[][]> {
    const groups = this.q.completeGroups.all() as { account: string; group_key: string }[];
    return groups.map((g) => (this.q.partsOf.all(g.account, g.group_key) as PartRow[]).map(partOf));
  }

  async listMo(f: {
    account?: string;
    since?: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<MoView>> {
    const conditions: [string, unknown][] = [
      ['account = ?', f.account],
      ['received_at >= ?', f.since],
    ];
    return this.page<Record<string, unknown> & { seq: number }, MoView>(
      'mo',
      conditions,
      f.cursor,
      f.limit,
      (r) => ({
        id: r.id as string,
        account: r.account as string,
        ismgMsgId: r.ismg_msg_id as string,
        from: r.sender as string,
        to: r.recipient as string,
        text: r.text as string | null,
        binaryHex: r.binary_hex as string | null,
        msgFmt: r.msg_fmt as number,
        parts: r.parts as number,
        linkId: r.link_id as string | null,
        receivedAt: r.received_at as number,
      }),
    );
  }

  /**
   * Newest first: up to `limit` rows below the cursor matching every condition whose value is given (an
   * absent or empty filter is no filter), and the cursor of the next page.
   */
  private page<R extends { seq: number }, T>(
    table: 'messages' | 'mo' | 'pushes',
    conditions: [string, unknown][],
    cursor: string | undefined,
    limit: number,
    item: (row: R) => T,
  ): Page<T> {
    const where = ['seq < ?'];
    const args: unknown[] = [parseCursor(cursor)];
    for (const [sql, value] of conditions) {
      if (value === undefined || value === '') continue;
      where.push(sql);
      args.push(value);
    }
    const rows = this.db
      .prepare(`SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`)
      .all(...args, limit + 1) as R[];
    const items = rows.slice(0, limit);
    return {
      items: items.map(item),
      next: rows.length > limit ? cursorOf(items[items.length - 1].seq) : null,
    };
  }

  enqueueWebhook(
    eventKey: string,
    url: string,
    body: string,
    now: number,
    contentType = JSON_TYPE,
  ): Promise<boolean> {
    return this.write(
      () => this.q.insertWebhook.run(eventKey, url, body, now, now, contentType).changes === 1,
    );
  }

  claimWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]> {
    return this.write(() => {
      const rows = firstRows<{
        id: number;
        url: string;
        body: string;
        content_type: string;
        attempts: number;
        created_at: number;
      }>(this.q.dueWebhooks, limit, now);
      for (const r of rows) this.q.leaseWebhook.run(now + leaseMs, r.id);
      return rows.map((r) => ({
        id: r.id,
        url: r.url,
        body: r.body,
        contentType: r.content_type,
        attempts: r.attempts + 1,
        createdAt: r.created_at,
      }));
    }, false);
  }

  webhookDelivered(id: number, at: number): Promise<void> {
    return this.write(() => void this.q.webhookDone.run(at, id));
  }

  webhookFailed(id: number, nextAttemptAt: number | null, error: string): Promise<void> {
    return this.write(() => {
      if (nextAttemptAt === null) this.q.webhookDead.run(error, id);
      else this.q.webhookRetry.run(nextAttemptAt, error, id);
    });
  }

  async webhookState(eventKey: string): Promise<WebhookState | undefined> {
    const r = this.q.webhookByKey.get(eventKey) as
      | {
          event_key: string;
          url: string;
          status: WebhookState['status'];
          attempts: number;
          created_at: number;
          next_attempt_at: number;
          delivered_at: number | null;
          last_error: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      eventKey: r.event_key,
      url: r.url,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      deliveredAt: r.delivered_at,
      lastError: r.last_error,
    };
  }

  purge(before: number, limit: number): Promise<number> {
    return this.write(() => this.retention.purge(before, limit), false);
  }

  /**
   * Totals come from the counters the writes keep (counts.ts); the queue, the webhook backlog and
   * the orphan reports are counted, through partial indexes: they are as large as what is pending.
   */
  async stats(): Promise<StoreStats> {
    const counters = new Map(
      (this.q.counters.all() as { name: string; n: number }[]).map((r) => [r.name, r.n]),
    );
    const messagesByStatus: Record<string, number> = {};
    for (const status of MESSAGE_STATUSES) {
      const n = counters.get(status) ?? 0;
      if (n > 0) messagesByStatus[status] = n;
    }
    const pending = this.q.pendingCounts.get() as { queued: number; webhooks: number; orphans: number };
    return {
      messagesByStatus,
      queuedSegments: pending.queued,
      webhooksPending: pending.webhooks,
      mo: counters.get('mo') ?? 0,
      pushes: counters.get('pushes') ?? 0,
      orphanReports: pending.orphans,
    };
  }

  async close(): Promise<void> {
    await this.commit.run(() => undefined);
    await this.wal.close();
    this.db.close();
  }

  // ---------- helpers (inside a transaction) ----------

  private applyReport(messageId: string, index: number, stat: string, at: number): void {
    const status = statToStatus(stat);
    if (status) this.q.applyReport.run(status, stat, at, messageId, index);
  }

  /** The report that arrived before this Msg_Id's SUBMIT_RESP, if one did; it is consumed. */
  private takeOrphan(msgId: string): { stat: string; received_at: number } | undefined {
    const orphan = this.q.orphan.get(msgId) as { stat: string; received_at: number } | undefined;
    if (orphan) this.q.dropOrphan.run(msgId);
    return orphan;
  }

  /** A SUBMIT_RESP's change to a single-segment message, with the report that came before it, if any. */
  private outcomeChange(o: SubmitOutcome): SegmentChange {
    if (o.result !== 0 || o.msgId === undefined)
      return { status: 'rejected', result: o.result, submittedAt: o.at, error: o.error };
    const change: SegmentChange = {
      status: 'submitted',
      msgId: o.msgId,
      result: 0,
      submittedAt: o.at,
      error: o.error,
    };
    const orphan = this.takeOrphan(o.msgId);
    const reported = orphan && statToStatus(orphan.stat);
    if (!reported) return change;
    return { ...change, status: reported, stat: orphan.stat, reportedAt: orphan.received_at };
  }

  /** Collects a message that just became final, and queues its webhook if the hook gives one. */
  private settle(
    final: FinalMessage | undefined,
    now: number,
    finals: FinalMessage[],
    onFinal: FinalHook | undefined,
  ): void {
    if (!final) return;
    finals.push(final);
    const event = onFinal?.(final, () => this.view(this.q.messageById.get(final.id) as MessageRow));
    if (event) this.queueWebhook(event, now);
  }

  private queueWebhook(event: WebhookEvent, now: number): void {
    this.q.insertWebhook.run(event.eventKey, event.url, event.body, now, now, event.contentType ?? JSON_TYPE);
  }

  private pushView(row: PushRow): PushView {
    const addresses = JSON.parse(row.addresses) as { address: string; messageId: string }[];
    return {
      pushId: row.push_id,
      account: row.account,
      contentType: row.content_type,
      notifyTo: row.notify_to,
      ...(row.source_reference === null ? {} : { sourceReference: row.source_reference }),
      deliverBefore: row.deliver_before,
      deliverAfter: row.deliver_after,
      createdAt: row.created_at,
      // An address whose message retention deleted is left out.
      addresses: addresses.flatMap((a) => {
        const m = this.q.messageState.get(a.messageId) as
          | { status: MessageStatus; updated_at: number }
          | undefined;
        return m ? [{ ...a, status: m.status, updatedAt: m.updated_at }] : [];
      }),
    };
  }

  private statuses(id: string): MessageStatus[] {
    return (this.q.segmentStatuses.all(id) as { status: MessageStatus }[]).map((r) => r.status);
  }

  /**
   * Recomputes the state of a message of several segments from its segments; returns it when it just
   * became final. (A single-segment message's state is its segment's: there is nothing to recompute.)
   */
  private refresh(
    id: string,
    now: number,
    error?: string,
    row = this.q.messageStatus.get(id) as StateRow | undefined,
  ): FinalMessage | undefined {
    if (!row || row.segment_count === 1) return undefined;
    const next = nextMessageState(row.status, this.statuses(id), row.report === 1);
    if (!next.changed && error === undefined) return undefined;
    this.q.setMessageStatus.run(next.status, error ?? null, now, id);
    this.counts.move(row.status, next.status);
    return next.becameFinal
      ? { id, account: row.account, status: next.status, callbackUrl: row.callback_url }
      : undefined;
  }

  private refreshAll(
    touched: Touched,
    now: number,
    finals: FinalMessage[],
    onFinal: FinalHook | undefined,
  ): void {
    for (const [id, { error, row }] of touched)
      this.settle(this.refresh(id, now, error, row), now, finals, onFinal);
  }

  private view(row: MessageRow): MessageView {
    const rows =
      row.segment_count === 1 ? [{ ...row, idx: 0 }] : (this.q.segmentsOf.all(row.id) as SegmentRow[]);
    const segments = rows.map(
      (s): SegmentView => ({
        index: s.idx,
        msgId: s.msg_id,
        status: s.status,
        result: s.result,
        stat: s.stat,
        submittedAt: s.submitted_at,
        reportedAt: s.reported_at,
      }),
    );
    return {
      id: row.id,
      account: row.account,
      clientRef: row.client_ref,
      to: row.recipient,
      srcId: row.src_id,
      text: row.text,
      binaryHex: row.binary_hex,
      encoding: row.encoding,
      report: row.report === 1,
      callbackUrl: row.callback_url,
      validUntil: row.valid_until,
      sendAt: row.send_at,
      priority: row.priority,
      status: row.status,
      error: row.error,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      pushId: row.push_id,
      segments,
    };
  }
}
