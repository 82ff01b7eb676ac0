import type { Database } from 'better-sqlite3';

/** How far a long migration has got: `done` of `total`, in units of its own. */
export type MigrationProgress = (done: number, total: number) => void;

/** What opening a database written by an earlier version tells: the upgrade's start, progress and end. */
export type UpgradeEvent =
  | { step: 'start'; from: number; to: number }
  | { step: 'progress'; migration: number; done: number; total: number }
  | { step: 'done'; from: number; to: number; ms: number };

/**
 * Schema versions, applied in order; `PRAGMA user_version` records how many ran. A string runs in one
 * transaction with its version; a function runs its own transactions and must be safe to run again.
 */
export const MIGRATIONS: readonly (string | ((db: Database, progress: MigrationProgress) => void))[] = [
  `
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    client_ref TEXT,
    recipient TEXT NOT NULL,
    src_id TEXT NOT NULL,
    text TEXT,
    binary_hex TEXT,
    encoding TEXT NOT NULL,
    msg_fmt INTEGER NOT NULL,
    report INTEGER NOT NULL,
    callback_url TEXT,
    valid_until INTEGER,
    send_at INTEGER,
    priority INTEGER NOT NULL,
    segment_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX messages_client_ref ON messages (account, client_ref, recipient) WHERE client_ref IS NOT NULL;
  CREATE INDEX messages_status ON messages (status, seq);
  CREATE INDEX messages_recipient ON messages (recipient, seq);
  CREATE INDEX messages_expiring ON messages (valid_until) WHERE valid_until IS NOT NULL AND status IN ('queued', 'submitting');

  CREATE TABLE segments (
    message_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    account TEXT NOT NULL,
    content BLOB NOT NULL,
    tp_udhi INTEGER NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    msg_id TEXT,
    result INTEGER,
    stat TEXT,
    submitted_at INTEGER,
    reported_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, idx)
  ) WITHOUT ROWID;
  CREATE INDEX segments_queue ON segments (account, priority DESC, due_at) WHERE status = 'queued';
  CREATE INDEX segments_inflight ON segments (account) WHERE status = 'submitting';
  CREATE INDEX segments_msg_id ON segments (msg_id) WHERE msg_id IS NOT NULL;

  CREATE TABLE orphan_reports (
    msg_id TEXT PRIMARY KEY,
    stat TEXT NOT NULL,
    submit_time TEXT NOT NULL,
    done_time TEXT NOT NULL,
    dest TEXT NOT NULL,
    received_at INTEGER NOT NULL
  );

  CREATE TABLE mo (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    ismg_msg_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    text TEXT,
    binary_hex TEXT,
    msg_fmt INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    link_id TEXT,
    received_at INTEGER NOT NULL,
    UNIQUE (account, ismg_msg_id)
  );

  CREATE TABLE mo_parts (
    account TEXT NOT NULL,
    group_key TEXT NOT NULL,
    total INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    ismg_msg_id TEXT NOT NULL,
    payload BLOB NOT NULL,
    msg_fmt INTEGER NOT NULL,
    link_id TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (account, group_key, seq)
  ) WITHOUT ROWID;

  -- Parts already assembled into an MO: a part the ISMG delivers again (our DELIVER_RESP was lost) is
  -- recognised by its Msg_Id and not taken for the first part of a new message.
  CREATE TABLE mo_consumed_parts (
    account TEXT NOT NULL,
    ismg_msg_id TEXT NOT NULL,
    consumed_at INTEGER NOT NULL,
    PRIMARY KEY (account, ismg_msg_id)
  ) WITHOUT ROWID;

  CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_key TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    last_error TEXT
  );
  CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE status = 'pending';
  `,
  `
  ALTER TABLE messages ADD COLUMN push_id TEXT;
  ALTER TABLE webhooks ADD COLUMN content_type TEXT NOT NULL DEFAULT 'application/json';
  CREATE TABLE pushes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    push_id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    content_type TEXT NOT NULL,
    notify_to TEXT,
    deliver_before INTEGER,
    deliver_after INTEGER,
    created_at INTEGER NOT NULL,
    -- JSON [{ address, messageId }], in the PI's order
    addresses TEXT NOT NULL
  );
  `,
  `
  ALTER TABLE pushes ADD COLUMN source_reference TEXT;
  `,
  // Counts kept by the writes (counts.ts), so that stats (read every half second by a live dashboard) cost
  // the same at a hundred rows as at a hundred million: a GROUP BY over messages grows with the table
  // (~50 ms per million rows). One row per message state, plus 'mo' and 'pushes'.
  `
  CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO counters (name, n) VALUES ('queued', 0), ('submitting', 0), ('submitted', 0), ('delivered', 0),
    ('undeliverable', 0), ('expired', 0), ('rejected', 0), ('failed', 0), ('cancelled', 0);
  UPDATE counters SET n = (SELECT count(*) FROM messages WHERE status = counters.name);
  INSERT INTO counters (name, n) VALUES ('mo', (SELECT count(*) FROM mo));
  INSERT INTO counters (name, n) VALUES ('pushes', (SELECT count(*) FROM pushes));
  `,
  // A message of one segment (most of them) keeps that segment in its own row: its state is the message's,
  // so each step of its life is one read and one write of one row, where a segment row beside it took a
  // write to each row and a read of both to recompute the message's state. Messages of several segments
  // keep their rows in `segments`. Then single-segment messages stored before move into their rows, and
  // the indexes that find them are built.
  `
  ALTER TABLE messages ADD COLUMN content BLOB;
  ALTER TABLE messages ADD COLUMN tp_udhi INTEGER;
  ALTER TABLE messages ADD COLUMN due_at INTEGER;
  ALTER TABLE messages ADD COLUMN msg_id TEXT;
  ALTER TABLE messages ADD COLUMN result INTEGER;
  ALTER TABLE messages ADD COLUMN stat TEXT;
  ALTER TABLE messages ADD COLUMN submitted_at INTEGER;
  ALTER TABLE messages ADD COLUMN reported_at INTEGER;
  ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  `,
  (db, progress) => moveSingleSegments(db, { progress }),
  `
  CREATE INDEX IF NOT EXISTS messages_queue ON messages (account, priority DESC, due_at)
    WHERE status = 'queued' AND segment_count = 1;
  CREATE INDEX IF NOT EXISTS messages_msg_id ON messages (msg_id) WHERE msg_id IS NOT NULL;
  `,
];

/**
 * Moves each single-segment message's `segments` row into its message's row, `chunk` messages per
 * transaction with the WAL checkpointed and truncated between them: a large database is upgraded
 * without a WAL as large as its messages table. A message is moved only while its `segments` row is
 * there, so a run cut short is simply run again. Progress is told after each chunk, in message rows.
 */
export function moveSingleSegments(
  db: Database,
  { chunk = 10_000, progress }: { chunk?: number; progress?: MigrationProgress } = {},
): void {
  const move = db.prepare(`UPDATE messages SET (content, tp_udhi, due_at, msg_id, result, stat, submitted_at,
    reported_at, attempts) = (SELECT content, tp_udhi, due_at, msg_id, result, stat, submitted_at, reported_at,
    attempts FROM segments WHERE message_id = messages.id AND idx = 0)
    WHERE seq > ? AND seq <= ? AND segment_count = 1
    AND EXISTS (SELECT 1 FROM segments WHERE message_id = messages.id)`);
  const drop = db.prepare(`DELETE FROM segments WHERE message_id IN
    (SELECT id FROM messages WHERE seq > ? AND seq <= ? AND segment_count = 1)`);
  // From the oldest message left: retention deletes oldest first, so the gaps are before it.
  const { first, last } = db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM messages').get() as {
    first: number | null;
    last: number | null;
  };
  const start = (first ?? 1) - 1;
  const end = last ?? 0;
  for (let from = start; from < end; from += chunk) {
    db.transaction(() => {
      move.run(from, from + chunk);
      drop.run(from, from + chunk);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    progress?.(Math.min(from + chunk, end) - start, end - start);
  }
}
