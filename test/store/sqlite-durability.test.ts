import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../src/store/ids.js';
import { MIGRATIONS, moveSingleSegments, type UpgradeEvent } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';
import type { MessageStatus } from '../../src/store/status.js';
import type { NewMessage, NewPush } from '../../src/store/types.js';
import { acceptAll, mo, newMessage, nextMsgId, reportFor, T0 } from './contract.js';

/* SQLite-only facts: the file survives a restart, the schema is versioned, WAL + sync, durable before resolve. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmppgw-durability-'));
let n = 0;
const open: (Database.Database | SqliteStore)[] = [];

function fresh(): { file: string; store: SqliteStore } {
  const file = path.join(dir, `d-${++n}.db`);
  const store = new SqliteStore(file);
  open.push(store);
  return { file, store };
}

function reopen(file: string, onUpgrade?: (event: UpgradeEvent) => void): SqliteStore {
  const store = new SqliteStore(file, { onUpgrade });
  open.push(store);
  return store;
}

/** A second, independent connection: sees only what is committed. */
function peek(file: string): Database.Database {
  const db = new Database(file);
  open.push(db);
  return db;
}

/** A push record to no address, created at T0. */
const emptyPush = (pushId: string, account: string): NewPush => ({
  pushId,
  account,
  contentType: 'application/vnd.wap.sic',
  notifyTo: null,
  deliverBefore: null,
  deliverAfter: null,
  createdAt: T0,
  addresses: [],
});

/** The SQL of migration `v` (those written as SQL). */
function sqlOf(v: number): string {
  const migration = MIGRATIONS[v];
  if (typeof migration !== 'string') throw new Error(`migration ${v} is not SQL`);
  return migration;
}

/** A message as an older version stored it: a row in `segments` for each segment, in these states. */
interface LegacyMessage {
  m: NewMessage;
  status: MessageStatus;
  segments: { status: MessageStatus; msgId?: string; stat?: string }[];
}

/** A database left by a version that had run only the first `version` migrations, holding `messages`. */
function legacy(version: number, messages: LegacyMessage[]): string {
  const file = path.join(dir, `d-${++n}.db`);
  const db = new Database(file);
  for (let v = 0; v < version; v++) db.exec(sqlOf(v));
  db.pragma(`user_version = ${version}`);
  const message = db.prepare(`INSERT INTO messages (id, account, recipient, src_id, text, encoding, msg_fmt,
    report, callback_url, priority, segment_count, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const segment =
    db.prepare(`INSERT INTO segments (message_id, idx, account, content, tp_udhi, status, priority,
    due_at, msg_id, result, stat, submitted_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const { m, status, segments } of messages) {
    message.run(
      m.id,
      m.account,
      m.to,
      m.srcId,
      m.text,
      m.encoding,
      m.msgFmt,
      m.report ? 1 : 0,
      m.callbackUrl ?? null,
      m.priority,
      m.segments.length,
      status,
      m.createdAt,
      m.createdAt,
    );
    segments.forEach((seg, i) => {
      const sent = seg.msgId !== undefined;
      segment.run(
        m.id,
        i,
        m.account,
        m.segments[i].content,
        m.segments[i].tpUdhi,
        seg.status,
        m.priority,
        m.createdAt,
        seg.msgId ?? null,
        sent ? 0 : null,
        seg.stat ?? null,
        sent ? m.createdAt + 1 : null,
        sent ? 1 : 0,
      );
    });
  }
  // Counters (schema 4 on) as that version's writes kept them.
  if (version >= 4)
    db.exec('UPDATE counters SET n = (SELECT count(*) FROM messages WHERE status = counters.name)');
  db.close();
  return file;
}

const count = (db: Database.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(sql).get(...args) as { n: number }).n;

afterEach(async () => {
  for (const h of open.splice(0).reverse()) {
    if (h instanceof SqliteStore) await h.close().catch(() => undefined);
    else if (h.open) h.close();
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore on disk', () => {
  it('reopening the same file finds everything again', async () => {
    const { file, store } = fresh();
    const m = newMessage({ segments: 3, clientRef: 'persist-1', validUntil: T0 + 3_600_000 });
    await store.insertMessages([m]);
    const jobs = await store.claimSegments(m.account, 2, T0);
    const { msgIds } = await acceptAll(store, jobs, T0 + 1);
    await store.recordReports([
      reportFor(msgIds[0], 'DELIVRD', T0 + 2),
      reportFor('9000000000000000001', 'DELIVRD', T0 + 2),
    ]);
    await store.insertMo({
      id: newId(T0),
      account: m.account,
      ismgMsgId: nextMsgId(),
      from: '13900139000',
      to: '106571234501',
      text: '退订',
      binaryHex: null,
      msgFmt: 8,
      parts: 1,
      linkId: null,
      receivedAt: T0 + 3,
    });
    await store.addMoPart({
      account: m.account,
      groupKey: '13900139000|106571234501|0x01|2',
      total: 2,
      seq: 1,
      ismgMsgId: nextMsgId(),
      payload: Buffer.from('0059', 'hex'),
      msgFmt: 8,
      linkId: null,
      receivedAt: T0 + 4,
    });
    await store.enqueueWebhook('evt-persist', 'https://hooks.example.com/x', '{"a":1}', T0 + 5);
    const before = await store.getMessage(m.id);
    const statsBefore = await store.stats();
    const moBefore = await store.listMo({ limit: 10 });
    await store.close();

    const again = reopen(file);
    expect(await again.getMessage(m.id)).toEqual(before);
    expect(await again.stats()).toEqual(statsBefore);
    expect(statsBefore).toMatchObject({ queuedSegments: 1, orphanReports: 1, mo: 1, webhooksPending: 1 });
    expect(await again.listMo({ limit: 10 })).toEqual(moBefore);
    // Idempotency survives the restart.
    const [dup] = await again.insertMessages([newMessage({ segments: 3, clientRef: 'persist-1' })]);
    expect(dup).toMatchObject({ created: false, message: { id: m.id } });
    // The remaining segment, the webhook and the part are still there to be worked on.
    const rest = await again.claimSegments(m.account, 10, T0 + 10);
    expect(rest).toHaveLength(1);
    expect(Buffer.compare(rest[0].content, Buffer.from(m.segments[rest[0].index].content))).toBe(0);
    expect(await again.claimWebhooks(T0 + 10, 10, 1_000)).toMatchObject([{ body: '{"a":1}', attempts: 1 }]);
    expect(
      await again.addMoPart({
        account: m.account,
        groupKey: '13900139000|106571234501|0x01|2',
        total: 2,
        seq: 2,
        ismgMsgId: nextMsgId(),
        payload: Buffer.from('0021', 'hex'),
        msgFmt: 8,
        linkId: null,
        receivedAt: T0 + 11,
      }),
    ).toHaveLength(2);
  });

  it('after a crash, recoverInFlight re-queues what was in flight', async () => {
    const { file, store } = fresh();
    const a = newMessage({ segments: 2 });
    const b = newMessage({ to: '13900139000' });
    await store.insertMessages([a, b]);
    expect(await store.claimSegments(a.account, 10, T0)).toHaveLength(3);
    await store.close(); // no SUBMIT_RESP was stored

    const again = reopen(file);
    expect(await again.claimSegments(a.account, 10, T0 + 1)).toEqual([]);
    expect(await again.recoverInFlight()).toBe(3);
    const jobs = await again.claimSegments(a.account, 10, T0 + 2);
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.attempts === 2)).toBe(true);
  });

  it('migrations set user_version; reopening runs none again; neither is an upgrade to tell', async () => {
    const events: UpgradeEvent[] = [];
    const file = path.join(dir, `d-${++n}.db`);
    const store = reopen(file, (e) => events.push(e));
    const db = peek(file);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((t) => t.name)
      .sort();
    expect(tables).toEqual(
      expect.arrayContaining(['messages', 'mo', 'orphan_reports', 'segments', 'webhooks']),
    );
    await store.insertMessages([newMessage()]);
    await store.close();
    // Would throw "table messages already exists" if a migration re-ran.
    const again = reopen(file, (e) => events.push(e));
    expect(events).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect((await again.listMessages({ limit: 10 })).items).toHaveLength(1);
  });

  it('a database from before source_reference: the push records it holds open without one', async () => {
    const file = path.join(dir, `d-${++n}.db`);
    const old = new Database(file);
    old.exec(sqlOf(0));
    old.exec(sqlOf(1));
    old.pragma('user_version = 2');
    old
      .prepare(
        `INSERT INTO pushes (push_id, account, content_type, created_at, addresses)
         VALUES ('old-push', 'acct', 'application/vnd.wap.sic', ?, '[]')`,
      )
      .run(T0);
    old.close();
    const store = reopen(file);
    expect(await store.getPush('old-push')).toEqual(emptyPush('old-push', 'acct'));
  });

  it('a database from before the counters: upgraded with its counts, which then follow every change', async () => {
    const ms = [0, 1, 2].map((k) => newMessage({ to: `1380000000${k + 1}`, createdAt: T0 + k }));
    const delivered = { status: 'delivered' as const, msgId: nextMsgId(), stat: 'DELIVRD' };
    const queued = { status: 'queued' as const };
    // Schema 3: no counters table.
    const file = legacy(3, [
      { m: ms[0], status: 'delivered', segments: [delivered] },
      { m: ms[1], status: 'queued', segments: [queued] },
      { m: ms[2], status: 'queued', segments: [queued] },
    ]);
    const again = reopen(file);
    expect((await again.stats()).messagesByStatus).toEqual({ delivered: 1, queued: 2 });
    expect(await again.cancelMessage(ms[1].id, T0 + 2)).toBe('cancelled');
    await again.insertMessages([newMessage({ to: '13800000004' })]);
    expect((await again.stats()).messagesByStatus).toEqual({ delivered: 1, queued: 2, cancelled: 1 });
    const db = peek(file);
    const truth = db.prepare('SELECT status, count(*) AS n FROM messages GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    expect(Object.fromEntries(truth.map((r) => [r.status, r.n]))).toEqual({
      delivered: 1,
      queued: 2,
      cancelled: 1,
    });
  });

  it('a database from before single-segment rows: its messages carry on where they were', async () => {
    const [waiting, sent, long, done] = [1, 2, 3, 4].map((k) =>
      newMessage({ to: `1380000020${k}`, createdAt: T0 + k, segments: k === 3 ? 3 : 1 }),
    );
    const sentId = nextMsgId();
    const doneId = nextMsgId();
    const file = legacy(4, [
      { m: waiting, status: 'queued', segments: [{ status: 'queued' }] },
      { m: sent, status: 'submitted', segments: [{ status: 'submitted', msgId: sentId }] },
      { m: long, status: 'queued', segments: [0, 1, 2].map(() => ({ status: 'queued' as const })) },
      { m: done, status: 'delivered', segments: [{ status: 'delivered', msgId: doneId, stat: 'DELIVRD' }] },
    ]);
    const events: UpgradeEvent[] = [];
    const store = reopen(file, (e) => events.push(e));
    // The upgrade told its start, the move's progress (4 message rows) and its end.
    expect(events.map((e) => e.step)).toEqual(['start', 'progress', 'done']);
    expect(events[0]).toEqual({ step: 'start', from: 4, to: MIGRATIONS.length });
    expect(events[1]).toEqual({ step: 'progress', migration: 6, done: 4, total: 4 });
    expect(events[2]).toMatchObject({ step: 'done', from: 4, to: MIGRATIONS.length });
    // Moved: only the long message keeps rows in `segments`.
    expect(count(peek(file), 'SELECT count(*) AS n FROM segments')).toBe(3);
    expect((await store.stats()).queuedSegments).toBe(4);
    expect((await store.getMessage(done.id))?.segments).toEqual([
      {
        index: 0,
        msgId: doneId,
        status: 'delivered',
        result: 0,
        stat: 'DELIVRD',
        submittedAt: T0 + 5,
        reportedAt: null,
      },
    ]);
    // The queued one is claimed with its content, before the long one (older), and counted as a retry.
    const jobs = await store.claimSegments(waiting.account, 10, T0 + 10);
    expect(jobs.map((j) => [j.messageId, j.index])).toEqual([
      [waiting.id, 0],
      [long.id, 0],
      [long.id, 1],
      [long.id, 2],
    ]);
    expect(Buffer.compare(jobs[0].content, Buffer.from(waiting.segments[0].content))).toBe(0);
    expect(jobs[0]).toMatchObject({
      pkTotal: 1,
      pkNumber: 1,
      tpUdhi: waiting.segments[0].tpUdhi,
      attempts: 1,
    });
    // The one sent before the upgrade gets its report by its Msg_Id.
    const finals = await store.recordReports([reportFor(sentId, 'DELIVRD', T0 + 20)]);
    expect(finals.map((f) => [f.id, f.status])).toEqual([[sent.id, 'delivered']]);
    expect((await store.getMessage(sent.id))?.segments[0]).toMatchObject({ msgId: sentId, stat: 'DELIVRD' });
    expect((await store.stats()).messagesByStatus).toEqual({ delivered: 2, submitting: 2 });
  });

  it('single-segment messages move in chunks, the WAL kept small, and a move cut short is run again', async () => {
    const ms = [1, 2, 3, 4, 5].map((k) =>
      newMessage({ to: `1380000030${k}`, createdAt: T0 + k, segments: k === 3 ? 2 : 1 }),
    );
    const file = legacy(
      4,
      ms.map((m) => ({
        m,
        status: 'queued',
        segments: m.segments.map(() => ({ status: 'queued' as const })),
      })),
    );
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(sqlOf(4)); // the new columns
    const progress: [number, number][] = [];
    // Chunk boundaries fall between messages; progress is told per chunk.
    moveSingleSegments(db, { chunk: 2, progress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    const moved = db.prepare('SELECT id, content, due_at FROM messages ORDER BY seq').all();
    moveSingleSegments(db, { chunk: 3 }); // run again, as after a crash: nothing changes
    expect(db.prepare('SELECT id, content, due_at FROM messages ORDER BY seq').all()).toEqual(moved);
    expect(count(db, 'SELECT count(*) AS n FROM segments')).toBe(2);
    db.pragma('user_version = 5'); // cut short before the move was recorded
    db.close();
    const jobs = await reopen(file).claimSegments(ms[0].account, 10, T0 + 10);
    expect(jobs.map((j) => [j.messageId, j.index])).toEqual([
      [ms[0].id, 0],
      [ms[1].id, 0],
      [ms[2].id, 0],
      [ms[2].id, 1],
      [ms[3].id, 0],
      [ms[4].id, 0],
    ]);
    for (const j of jobs) {
      const sent = ms.find((m) => m.id === j.messageId)?.segments[j.index].content as Uint8Array;
      expect(Buffer.compare(j.content, Buffer.from(sent))).toBe(0);
    }
  });

  it('the counters equal a count of the rows after every kind of write', async () => {
    const { file, store } = fresh();
    const ms = [0, 1, 2, 3, 4, 5].map((k) =>
      newMessage({
        to: `1380000010${k}`,
        createdAt: T0 + k,
        segments: k === 0 ? 3 : 1,
        ...(k === 4 ? { validUntil: T0 + 50, sendAt: T0 + 40 } : {}),
        ...(k === 5 ? { sendAt: T0 + 1_000_000 } : {}),
      }),
    );
    await store.insertMessages(ms);
    await store.insertMessages([{ ...ms[1], id: newId(T0 + 9) }]); // no clientRef: a second message
    const jobs = await store.claimSegments(ms[0].account, 3, T0 + 10); // ms[0]'s three segments
    const ids = jobs.map(() => nextMsgId());
    await store.recordSubmits([
      { messageId: jobs[0].messageId, index: jobs[0].index, msgId: ids[0], result: 0, at: T0 + 11 },
      { messageId: jobs[1].messageId, index: jobs[1].index, result: 9, at: T0 + 11, error: 'Result 9' },
    ]);
    await store.requeueSegments([{ messageId: jobs[2].messageId, index: jobs[2].index }]);
    await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 12)]);
    const more = await store.claimSegments(ms[0].account, 1, T0 + 13);
    const id1 = nextMsgId();
    await store.recordSubmits([
      { messageId: more[0].messageId, index: more[0].index, msgId: id1, result: 0, at: T0 + 14 },
    ]);
    await store.recordReports([reportFor(id1, 'UNDELIV', T0 + 15)]);
    expect(await store.cancelMessage(ms[3].id, T0 + 16)).toBe('cancelled');
    await store.expireDue(T0 + 60);
    expect(await store.insertMo(mo({ receivedAt: T0 }))).toBe(true);
    await store.insertPush(emptyPush('p-1', ms[0].account), []);
    await store.purge(T0 + 14, 2);

    const db = peek(file);
    const truth: Record<string, number> = {};
    for (const r of db.prepare('SELECT status, count(*) AS n FROM messages GROUP BY status').all() as {
      status: string;
      n: number;
    }[])
      truth[r.status] = r.n;
    const stats = await store.stats();
    expect(truth).toEqual({ queued: 4, cancelled: 1, expired: 1 }); // ms[0] (rejected) went with the purge
    expect(stats.messagesByStatus).toEqual(truth);
    expect(stats.mo).toBe(count(db, 'SELECT count(*) AS n FROM mo'));
    expect(stats.pushes).toBe(count(db, 'SELECT count(*) AS n FROM pushes'));
  });

  it('WAL mode; the WAL file is synced before a durable write resolves', async () => {
    const { file, store } = fresh();
    await store.insertMessages([newMessage()]);
    const db = peek(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    // synchronous=NORMAL: SQLite does not fsync on commit; WalSync fdatasyncs the -wal file instead.
    const own = (store as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(1);

    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const realSync = WalSync.prototype.sync;
    const spy = vi.spyOn(WalSync.prototype, 'sync').mockImplementation(function (this: WalSync) {
      return gate.then(() => realSync.call(this));
    });
    try {
      const m = newMessage({ to: '13900139000' });
      let acknowledged = false;
      const pending = store.insertMessages([m]).then(() => {
        acknowledged = true;
      });
      await new Promise((r) => setTimeout(r, 30));
      // Committed (visible to others) but not yet on disk: not acknowledged.
      expect(count(db, 'SELECT count(*) AS n FROM messages WHERE id = ?', m.id)).toBe(1);
      expect(acknowledged).toBe(false);
      // Claims are not durable writes (a lost claim only means a resend): they do not wait for the sync.
      expect(await store.claimSegments(m.account, 10, T0)).toHaveLength(2);
      expect(acknowledged).toBe(false);
      release();
      await pending;
      expect(acknowledged).toBe(true);
      expect(spy).toHaveBeenCalled();
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('insertMessages resolves only after commit: another connection then sees the rows', async () => {
    const { file, store } = fresh();
    const db = peek(file);
    const batch = [newMessage({ segments: 2 }), newMessage({ to: '13900139000', segments: 3 })];
    const pending = store.insertMessages(batch);
    // Not yet committed (the group commit runs on the next turn).
    expect(count(db, 'SELECT count(*) AS n FROM messages')).toBe(0);
    await pending;
    expect(count(db, 'SELECT count(*) AS n FROM messages')).toBe(2);
    expect(count(db, "SELECT count(*) AS n FROM segments WHERE status = 'queued'")).toBe(5);
    expect(count(db, 'SELECT count(*) AS n FROM messages WHERE id = ?', batch[1].id)).toBe(1);
  });

  it('200 concurrent inserts: each promise resolves after its rows are committed', async () => {
    const { file, store } = fresh();
    const db = peek(file);
    const inputs = Array.from({ length: 200 }, (_, i) =>
      newMessage({ to: `138${String(i).padStart(8, '0')}` }),
    );
    const seen: number[] = [];
    await Promise.all(
      inputs.map((m) =>
        store.insertMessages([m]).then(() => {
          seen.push(count(db, 'SELECT count(*) AS n FROM messages WHERE id = ?', m.id));
        }),
      ),
    );
    expect(seen).toHaveLength(200);
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('a report, its state change and its webhook are committed together before resolving', async () => {
    const { file, store } = fresh();
    const db = peek(file);
    const m = newMessage();
    await store.insertMessages([m]);
    const [job] = await store.claimSegments(m.account, 1, T0);
    const msgId = nextMsgId();
    await store.recordSubmits([{ messageId: m.id, index: job.index, msgId, result: 0, at: T0 + 1 }]);
    expect(db.prepare('SELECT status, msg_id FROM messages WHERE id = ?').get(m.id)).toEqual({
      status: 'submitted',
      msg_id: msgId,
    });
    const pending = store.recordReports([reportFor(msgId, 'DELIVRD', T0 + 2)], (v) => ({
      eventKey: `message:${v.id}:${v.status}`,
      url: v.callbackUrl!,
      body: JSON.stringify({ id: v.id, status: v.status }),
    }));
    expect(count(db, "SELECT count(*) AS n FROM messages WHERE status = 'delivered'")).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM webhooks')).toBe(0);
    await pending;
    expect(count(db, "SELECT count(*) AS n FROM messages WHERE status = 'delivered'")).toBe(1);
    expect(
      count(db, 'SELECT count(*) AS n FROM webhooks WHERE event_key = ?', `message:${m.id}:delivered`),
    ).toBe(1);
  });

  it('one failing write in a group commit is rejected alone; the others commit', async () => {
    const { file, store } = fresh();
    const db = peek(file);
    const existing = newMessage();
    await store.insertMessages([existing]);
    const a = newMessage({ to: '13900000001', segments: 2 });
    const clash = { ...newMessage({ to: '13900000002' }), id: existing.id }; // same primary id: constraint error
    const c = newMessage({ to: '13900000003' });
    const results = await Promise.allSettled([
      store.insertMessages([a]),
      store.insertMessages([newMessage({ to: '13900000009' }), clash]), // its first message is rolled back too
      store.insertMessages([c]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(count(db, 'SELECT count(*) AS n FROM messages')).toBe(3);
    expect(count(db, "SELECT count(*) AS n FROM messages WHERE recipient = '13900000009'")).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM segments')).toBe(2); // a's: single segments are in their message's row
    expect((await store.getMessage(existing.id))?.to).toBe(existing.to);
  });
});
