import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { freshView } from '../fresh-view.js';
import { newId } from '../ids.js';
import { FINAL_STATES, statToStatus } from '../status.js';
import type {
  FinalHook,
  FinalMessage,
  IncomingReport,
  LinkLeases,
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
  Store,
  StoreStats,
  SubmitOutcome,
  WebhookEvent,
  WebhookJob,
  WebhookState,
} from '../types.js';
import { RedisContext } from './context.js';
import { GROUP, keyPrefix, SEP } from './keys.js';
import { RedisLeases } from './leases.js';
import { type MessageRecord, messagePairs, segmentContent, viewOf } from './message-record.js';
import { RedisMo } from './mo.js';
import { RedisOutbox } from './outbox.js';
import type { Tx } from './tx.js';

export interface RedisStoreOptions {
  /** Key prefix (default `cmppgw`); every key is `{prefix}:…`. */
  prefix?: string;
  /** This node's name: its stream consumer and lease holder. Unique per running node. */
  nodeId?: string;
  /** A node whose heartbeat is this old is dead: its leases lapse, its pending entries are taken over. */
  nodeTtlMs?: number;
  /** Pending entries of a dead node are taken over once idle this long. */
  claimIdleMs?: number;
  /** TTL of the Msg_Id index (how long a report can still be matched). */
  reportWaitMs?: number;
}

const DAY = 24 * 3600_000;
const EXPIRE_CHUNK = 500;
/** A purge call looks at no more than this many records per record it may delete. */
const PURGE_LOOK = 4;

type Orphan = IncomingReport;

/**
 * The Store on Redis, for several gateway nodes. Messages are hashes; the queue is one stream per account
 * and priority (segments due at once enter it when stored, the others through a due ZSET), consumed by a
 * consumer group whose consumers are the nodes; changes that an onFinal hook may join are computed here
 * and applied by one script (see RedisContext).
 */
export class RedisStore implements Store {
  readonly leases: LinkLeases;
  readonly nodeId: string;
  private readonly ctx: RedisContext;
  private readonly mo: RedisMo;
  private readonly outbox: RedisOutbox;
  private readonly nodeTtlMs: number;
  private readonly claimIdleMs: number;
  private readonly reportWaitMs: number;
  private readonly lastTakeover = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;

  private constructor(redis: Redis, intake: Redis, o: RedisStoreOptions) {
    this.ctx = new RedisContext(redis, intake, keyPrefix(o.prefix ?? 'cmppgw'));
    this.nodeId = o.nodeId ?? `${hostname()}-${process.pid}-${newId().slice(-6)}`;
    this.nodeTtlMs = o.nodeTtlMs ?? 10_000;
    this.claimIdleMs = o.claimIdleMs ?? this.nodeTtlMs;
    this.reportWaitMs = o.reportWaitMs ?? 2 * DAY;
    this.mo = new RedisMo(this.ctx, this.reportWaitMs);
    this.outbox = new RedisOutbox(this.ctx);
    this.leases = new RedisLeases(this.ctx, this.nodeId, this.nodeTtlMs);
  }

  /** Connects (failing at once when Redis does not answer) and starts this node's heartbeat. */
  static async open(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const connect = async () => {
      const redis = new Redis(url, {
        lazyConnect: true,
        enableAutoPipelining: true,
        maxRetriesPerRequest: 3,
      });
      let lastError: Error | undefined;
      // Later errors surface in the commands that fail while ioredis reconnects.
      redis.on('error', (err: Error) => {
        lastError = err;
      });
      try {
        await redis.connect();
        return redis;
      } catch (err) {
        redis.disconnect();
        const where = url.replace(/\/\/[^@/]*@/, '//***@');
        throw new Error(`store: cannot connect to ${where}: ${(lastError ?? (err as Error)).message}`);
      }
    };
    const redis = await connect();
    const intake = await connect().catch((err) => {
      redis.disconnect();
      throw err;
    });
    const store = new RedisStore(redis, intake, options);
    await store.beat();
    // Webhooks finished by a version without the `whend` index (see WHEND_BACKFILL): once per store.
    for (let more = true; more; ) more = Number(await store.ctx.run('whendBackfill', 1000)) === 1;
    store.heartbeat = setInterval(() => store.beat().catch(() => undefined), store.nodeTtlMs / 3);
    store.heartbeat.unref();
    return store;
  }

  private async beat(): Promise<void> {
    await this.ctx.run('beat', this.nodeId, this.nodeTtlMs);
  }

  private get keys() {
    return this.ctx.keys;
  }

  // ---------- messages ----------

  async insertMessages(messages: NewMessage[]): Promise<{ message: MessageView; created: boolean }[]> {
    const existing = (await this.ctx.runIntake('insert', '', '', '', this.insertArgs(messages))) as string[];
    return this.insertResults(messages, existing);
  }

  async insertPush(push: NewPush, messages: NewMessage[]): Promise<boolean> {
    const { pushId, addresses, ...record } = push;
    const json = JSON.stringify({ ...record, pushId, addresses });
    const reply = await this.ctx.runIntake('insert', pushId, push.account, json, this.insertArgs(messages));
    return reply !== 0;
  }

  private insertArgs(messages: NewMessage[]): string[] {
    return messages.map((m) => {
      const pairs = messagePairs(m);
      return JSON.stringify([
        m.id,
        m.account,
        m.clientRef === undefined ? '' : `${m.account}${SEP}${m.clientRef}${SEP}${m.to}`,
        String(m.sendAt ?? m.createdAt),
        String(m.priority),
        m.validUntil === undefined ? '' : String(m.validUntil),
        String(m.segments.length),
        m.sendAt === undefined || m.sendAt <= m.createdAt ? '1' : '0',
        String(pairs.length / 2),
        ...pairs,
      ]);
    });
  }

  private async insertResults(
    messages: NewMessage[],
    existing: string[],
  ): Promise<{ message: MessageView; created: boolean }[]> {
    const old = await this.views(existing.filter((id) => id !== ''));
    return messages.map((m, k) =>
      existing[k] === ''
        ? { message: freshView(m), created: true }
        : { message: old.get(existing[k]) as MessageView, created: false },
    );
  }

  private async views(ids: string[]): Promise<Map<string, MessageView>> {
    const out = new Map<string, MessageView>();
    if (ids.length === 0) return out;
    const pipe = this.ctx.redis.pipeline();
    for (const id of ids) pipe.hgetall(this.keys.message(id));
    for (const [err, h] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      const hash = h as Record<string, string>;
      if (hash.id !== undefined) out.set(hash.id, viewOf(hash));
    }
    return out;
  }

  async getMessage(id: string): Promise<MessageView | undefined> {
    return (await this.views([id])).get(id);
  }

  listMessages(f: MessageFilter): Promise<Page<MessageView>> {
    const filtered = f.status !== undefined || !!f.to || !!f.clientRef || f.since !== undefined || false;
    return this.ctx.page<MessageView>(
      f.account ? this.keys.messagesOf(f.account) : this.keys.messages,
      f.cursor,
      f.limit,
      async (ids) => {
        const views = await this.views(ids);
        return ids.map((id) => views.get(id));
      },
      filtered
        ? (m) =>
            (f.status === undefined || m.status === f.status) &&
            (!f.to || m.to === f.to) &&
            (!f.clientRef || m.clientRef === f.clientRef) &&
            (f.since === undefined || m.createdAt >= f.since)
        : undefined,
    );
  }

  cancelMessage(id: string, at: number): Promise<'cancelled' | 'not_found' | 'too_late'> {
    return this.ctx.atomically(async (tx) => {
      const rec = (await this.ctx.records([id], tx)).get(id);
      if (!rec) return { tx, result: 'not_found' as const };
      if (rec.status === 'cancelled') return { tx, result: 'cancelled' as const };
      const n = rec.segmentCount;
      for (let i = 0; i < n; i++)
        if (rec.segStatus(i) !== 'queued') return { tx, result: 'too_late' as const };
      // Their due or stream entries are dropped when met: claims skip segments that are not queued.
      for (let i = 0; i < n; i++) rec.setSeg(i, 'st', 'cancelled');
      rec.setStatus('cancelled', at);
      tx.zrem(this.keys.expiring, id);
      return { tx, result: 'cancelled' as const };
    });
  }

  // ---------- the queue ----------

  async claimSegments(account: string, limit: number, now: number): Promise<SegmentJob[]> {
    const last = this.lastTakeover.get(account) ?? 0;
    const takeover = Date.now() - last >= Math.min(1000, this.claimIdleMs / 2);
    if (takeover) this.lastTakeover.set(account, Date.now());
    const raw = (await this.ctx.run(
      'claim',
      this.nodeId,
      account,
      limit,
      now,
      takeover ? '1' : '0',
      this.claimIdleMs,
    )) as string[];
    return raw.map((line) => {
      const [id, idx, to, srcId, fmt, udhi, total, report, priority, validUntil, attempts, content] =
        line.split(' ');
      const index = Number(idx);
      return {
        messageId: id,
        index,
        account,
        to,
        srcId,
        msgFmt: Number(fmt),
        tpUdhi: Number(udhi),
        pkTotal: Number(total),
        pkNumber: index + 1,
        content: segmentContent(content),
        report: report === '1',
        priority: Number(priority),
        validUntil: validUntil === '' ? null : Number(validUntil),
        attempts: Number(attempts),
      };
    });
  }

  requeueSegments(keys: { messageId: string; index: number }[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.ctx.atomically(async (tx) => {
      const records = await this.ctx.records(
        keys.map((k) => k.messageId),
        tx,
      );
      const now = Date.now();
      for (const k of keys) {
        const rec = records.get(k.messageId);
        if (rec?.segStatus(k.index) === 'submitting') rec.requeue(k.index);
      }
      for (const rec of records.values()) rec.refresh(now);
      return { tx, result: undefined };
    });
  }

  /**
   * This node's view of "left in flight by a crash": entries pending at this node's consumer (a restart
   * with the same nodeId) or at a node whose heartbeat lapsed. Live nodes' entries are theirs.
   */
  async recoverInFlight(account?: string): Promise<number> {
    const { redis } = this.ctx;
    const accounts = account ? [account] : await redis.smembers(this.keys.accounts);
    const [clock, beats] = await Promise.all([
      redis.time(),
      redis.zrange(this.keys.nodes, '0', '-1', 'WITHSCORES'),
    ]);
    const nowMs = Number(clock[0]) * 1000 + Math.floor(Number(clock[1]) / 1000);
    const alive = new Set<string>();
    for (let i = 0; i < beats.length; i += 2) if (Number(beats[i + 1]) >= nowMs) alive.add(beats[i]);
    alive.delete(this.nodeId);
    const pending: { stream: string; entry: string }[] = [];
    const streams: string[] = [];
    for (const a of accounts) {
      for (const prio of await redis.zrange(this.keys.priorities(a), '0', '-1')) {
        const stream = this.keys.stream(a, prio);
        if ((await redis.exists(stream)) === 0) continue; // created by the first claim
        streams.push(stream);
        const entries = (await redis.xpending(stream, GROUP, '-', '+', 100_000)) as [string, string][];
        for (const [entry, consumer] of entries) if (!alive.has(consumer)) pending.push({ stream, entry });
      }
    }
    await this.adopt(pending);
    const requeued = pending.length === 0 ? 0 : await this.requeueEntries(pending);
    await this.forgetConsumers(streams, alive);
    return requeued;
  }

  /**
   * Makes entries pending at dead consumers pending at this node: a re-queued segment keeps its entry
   * (and with it its turn), and a dead consumer with nothing pending can be forgotten.
   */
  private async adopt(pending: { stream: string; entry: string }[]): Promise<void> {
    if (pending.length === 0) return;
    const byStream = new Map<string, string[]>();
    for (const p of pending) {
      const ids = byStream.get(p.stream);
      if (ids) ids.push(p.entry);
      else byStream.set(p.stream, [p.entry]);
    }
    const pipe = this.ctx.redis.pipeline();
    for (const [stream, ids] of byStream)
      for (let i = 0; i < ids.length; i += 1000)
        pipe.xclaim(stream, GROUP, this.nodeId, 0, ...ids.slice(i, i + 1000), 'JUSTID');
    await pipe.exec();
  }

  /** Drops the consumers of dead nodes that have nothing pending (each node start adds one per stream). */
  private async forgetConsumers(streams: string[], alive: Set<string>): Promise<void> {
    for (const stream of streams) {
      const consumers = (await this.ctx.redis.xinfo('CONSUMERS', stream, GROUP)) as (string | number)[][];
      for (const c of consumers) {
        const info = new Map<string, string | number>();
        for (let i = 0; i < c.length; i += 2) info.set(String(c[i]), c[i + 1]);
        const name = String(info.get('name'));
        if (name !== this.nodeId && !alive.has(name) && Number(info.get('pending')) === 0)
          await this.ctx.redis.xgroup('DELCONSUMER', stream, GROUP, name);
      }
    }
  }

  /** Re-queues the segments of pending stream entries (acknowledging entries that are stale). */
  private async requeueEntries(pending: { stream: string; entry: string }[]): Promise<number> {
    const { redis } = this.ctx;
    const pipe = redis.pipeline();
    for (const p of pending) pipe.xrange(p.stream, p.entry, p.entry);
    const contents = ((await pipe.exec()) ?? []).map(([, r]) => {
      const entries = r as [string, string[]][];
      return entries.length > 0 ? entries[0][1][1] : undefined;
    });
    return this.ctx.atomically(async (tx) => {
      const targets = contents.map((c) => c?.split('|'));
      const records = await this.ctx.records(
        targets.flatMap((t) => (t ? [t[0]] : [])),
        tx,
      );
      let requeued = 0;
      pending.forEach((p, k) => {
        const t = targets[k];
        const rec = t && records.get(t[0]);
        const i = t ? Number(t[1]) : -1;
        if (rec && rec.segStatus(i) === 'submitting' && rec.seg(i, 'e') === p.entry) {
          rec.requeue(i);
          requeued++;
        } else {
          tx.ack(p.stream, p.entry);
        }
      });
      const now = Date.now();
      for (const rec of records.values()) rec.refresh(now);
      return { tx, result: requeued };
    });
  }

  /**
   * Accepted SUBMITs are stored by one script in one round trip (the window slot of each frees sooner);
   * what that script leaves (rejections, waiting reports, messages made final whose webhook the hook may
   * build) goes the general way.
   */
  async recordSubmits(outcomes: SubmitOutcome[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    const accepted: SubmitOutcome[] = [];
    const rest: SubmitOutcome[] = [];
    const args: string[] = [];
    for (const o of outcomes) {
      if (o.result !== 0 || o.msgId === undefined) {
        rest.push(o);
        continue;
      }
      accepted.push(o);
      args.push(o.messageId, String(o.index), o.msgId, String(o.at));
    }
    const finals: FinalMessage[] = [];
    if (accepted.length > 0) {
      const reply = await this.ctx.run('submitted', String(this.reportWaitMs), quietFlag(onFinal), args);
      for (const k of this.settled(reply, finals)) rest.push(accepted[k - 1]);
    }
    return rest.length === 0 ? finals : [...finals, ...(await this.storeSubmits(rest, onFinal))];
  }

  /** A one-step script's reply: the messages it made final go into `finals`; returns the positions left. */
  private settled(reply: unknown, finals: FinalMessage[]): number[] {
    const [left, done] = reply as [number[], string[]];
    for (let k = 0; k < done.length; k += 3) {
      finals.push({
        id: done[k],
        account: done[k + 1],
        status: done[k + 2] as MessageStatus,
        callbackUrl: null,
      });
    }
    return left;
  }

  private storeSubmits(outcomes: SubmitOutcome[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    if (outcomes.length === 0) return Promise.resolve([]);
    const at = outcomes[0].at;
    return this.ctx.atomically(async (tx) => {
      const msgIds = outcomes.flatMap((o) => (o.result === 0 && o.msgId !== undefined ? [o.msgId] : []));
      const read = await this.ctx.read(tx, { ids: outcomes.map((o) => o.messageId), orphans: msgIds });
      const records = read.records;
      const orphans = new Map<string, Orphan>();
      msgIds.forEach((id, k) => {
        const raw = read.orphans[k];
        tx.expectField(this.keys.orphans, id, raw);
        if (raw !== null) orphans.set(id, JSON.parse(raw) as Orphan);
      });
      const touched = new Map<string, string | undefined>();
      for (const o of outcomes) {
        const rec = records.get(o.messageId);
        const status = rec?.segStatus(o.index);
        if (!rec || status === undefined || FINAL_STATES.has(status)) continue; // already final
        const i = o.index;
        rec.dropEntry(i);
        if (o.result === 0 && o.msgId !== undefined) {
          rec.setSeg(i, 'st', 'submitted');
          rec.setSeg(i, 'mid', o.msgId);
          rec.setSeg(i, 'res', 0);
          rec.setSeg(i, 'sub', o.at);
          tx.set(this.keys.msgId(o.msgId), `${o.messageId}|${i}`, this.reportWaitMs);
          const orphan = orphans.get(o.msgId);
          if (orphan) {
            applyReport(rec, i, orphan.stat, orphan.receivedAt);
            tx.hdel(this.keys.orphans, o.msgId);
            orphans.delete(o.msgId);
          }
        } else {
          rec.setSeg(i, 'st', 'rejected');
          rec.setSeg(i, 'res', o.result);
          rec.setSeg(i, 'sub', o.at);
        }
        touched.set(o.messageId, o.error ?? touched.get(o.messageId));
      }
      return { tx, result: this.finish(records, touched, at, tx, onFinal) };
    });
  }

  expireDue(now: number, onFinal?: FinalHook): Promise<FinalMessage[]> {
    return this.ctx.atomically(async (tx) => {
      const ids = await this.ctx.redis.zrangebyscore(
        this.keys.expiring,
        '-inf',
        now,
        'LIMIT',
        0,
        EXPIRE_CHUNK,
      );
      const records = await this.ctx.records(ids, tx);
      const touched = new Map<string, string | undefined>();
      for (const id of ids) {
        const rec = records.get(id);
        if (!rec || (rec.status !== 'queued' && rec.status !== 'submitting')) {
          tx.zrem(this.keys.expiring, id);
          continue;
        }
        // Only segments not yet sent expire; a message whose segments are all in flight is left alone.
        let expired = 0;
        for (let i = 0; i < rec.segmentCount; i++) {
          if (rec.segStatus(i) !== 'queued') continue;
          rec.setSeg(i, 'st', 'expired');
          expired++;
        }
        if (expired > 0) touched.set(id, 'validUntil passed before the message was sent');
      }
      return { tx, result: this.finish(records, touched, now, tx, onFinal) };
    });
  }

  /**
   * Reports are stored by one script in one round trip, but for those it leaves: a Msg_Id not yet known
   * (kept as an orphan) or a message made final whose webhook the hook may build.
   */
  async recordReports(reports: IncomingReport[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    const args: string[] = [];
    const relevant: IncomingReport[] = [];
    for (const r of reports) {
      const status = statToStatus(r.stat);
      if (status === null) continue;
      relevant.push(r);
      args.push(r.msgId, r.stat, String(r.receivedAt), status);
    }
    if (relevant.length === 0) return [];
    const finals: FinalMessage[] = [];
    const reply = await this.ctx.run('reported', quietFlag(onFinal), args);
    const rest = this.settled(reply, finals).map((k) => relevant[k - 1]);
    return rest.length === 0 ? finals : [...finals, ...(await this.storeReports(rest, onFinal))];
  }

  private storeReports(relevant: IncomingReport[], onFinal?: FinalHook): Promise<FinalMessage[]> {
    const at = relevant[0].receivedAt;
    return this.ctx.atomically(async (tx) => {
      const { targets, records } = await this.ctx.read(tx, { msgIds: relevant.map((r) => r.msgId) });
      const touched = new Map<string, string | undefined>();
      relevant.forEach((r, k) => {
        const target = targets[k];
        tx.expectKey(this.keys.msgId(r.msgId), target);
        const [id, index] = target?.split('|') ?? [];
        const rec = id === undefined ? undefined : records.get(id);
        if (!rec) {
          // Kept: its SUBMIT_RESP may still come.
          tx.hset(this.keys.orphans, r.msgId, JSON.stringify(r));
          return;
        }
        applyReport(rec, Number(index), r.stat, r.receivedAt);
        touched.set(id, undefined);
      });
      return { tx, result: this.finish(records, touched, at, tx, onFinal) };
    });
  }

  /** Refreshes the touched messages; those now final get their webhook from the hook, in the same Tx. */
  private finish(
    records: Map<string, MessageRecord>,
    touched: Map<string, string | undefined>,
    now: number,
    tx: Tx,
    onFinal?: FinalHook,
  ): FinalMessage[] {
    const finals: FinalMessage[] = [];
    for (const [id, error] of touched) {
      const rec = records.get(id);
      const final = rec?.refresh(now, error);
      if (!rec || !final) continue;
      finals.push(final);
      const event = onFinal?.(final, () => rec.view());
      if (event) tx.webhook(event, now);
    }
    return finals;
  }

  // ---------- MO ----------

  insertMo(mo: NewMo, webhook?: WebhookEvent, completes?: { account: string; groupKey: string }) {
    return this.mo.insert(mo, webhook, completes);
  }

  addMoPart(part: MoPart): Promise<MoPart[] | null> {
    return this.mo.addPart(part);
  }

  completeMoGroups(): Promise<MoPart[][]> {
    return this.mo.completeGroups();
  }

  listMo(f: { account?: string; since?: number; cursor?: string; limit: number }): Promise<Page<MoView>> {
    return this.mo.list(f);
  }

  // ---------- pushes ----------

  async getPush(pushId: string): Promise<PushView | undefined> {
    const json = await this.ctx.redis.hget(this.keys.push(pushId), 'json');
    return json === null ? undefined : (await this.pushViews([json]))[0];
  }

  listPushes(f: { account?: string; cursor?: string; limit: number }): Promise<Page<PushView>> {
    return this.ctx.page<PushView>(
      f.account ? this.keys.pushListOf(f.account) : this.keys.pushList,
      f.cursor,
      f.limit,
      async (ids) => {
        const pipe = this.ctx.redis.pipeline();
        for (const id of ids) pipe.hget(this.keys.push(id), 'json');
        const jsons = ((await pipe.exec()) ?? []).map(([, j]) => j as string);
        return this.pushViews(jsons);
      },
    );
  }

  private async pushViews(jsons: string[]): Promise<PushView[]> {
    const pushes = jsons.map((j) => JSON.parse(j) as NewPush);
    const pipe = this.ctx.redis.pipeline();
    for (const p of pushes)
      for (const a of p.addresses) pipe.hmget(this.keys.message(a.messageId), 'st', 'ua');
    const states = ((await pipe.exec()) ?? []).map(([, r]) => r as [string, string]);
    let k = 0;
    return pushes.map((p) => ({
      ...p,
      // An address whose message retention deleted is left out.
      addresses: p.addresses.flatMap((a) => {
        const [status, updatedAt] = states[k++];
        return status === null
          ? []
          : [{ ...a, status: status as MessageStatus, updatedAt: Number(updatedAt) }];
      }),
    }));
  }

  // ---------- webhooks ----------

  enqueueWebhook(eventKey: string, url: string, body: string, now: number, contentType?: string) {
    return this.outbox.enqueue(eventKey, url, body, now, contentType);
  }

  claimWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]> {
    return this.outbox.claim(now, limit, leaseMs);
  }

  webhookDelivered(id: number, at: number): Promise<void> {
    return this.outbox.delivered(id, at);
  }

  webhookFailed(id: number, nextAttemptAt: number | null, error: string): Promise<void> {
    return this.outbox.failed(id, nextAttemptAt, error);
  }

  webhookState(eventKey: string): Promise<WebhookState | undefined> {
    return this.outbox.state(eventKey);
  }

  // ---------- retention ----------

  /**
   * One script call (lua-purge.ts) that looks at no more than PURGE_LOOK × limit records: when that many
   * must stay (old queued messages), it returns fewer than `limit` and the next call goes on from there.
   */
  async purge(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    return Number(await this.ctx.run('purge', before, limit, PURGE_LOOK * limit));
  }

  // ---------- stats, close ----------

  async stats(): Promise<StoreStats> {
    const [counters, pending, orphans] = await Promise.all([
      this.ctx.redis.hgetall(this.keys.stats),
      this.ctx.redis.zcard(this.keys.webhooksDue),
      this.ctx.redis.hlen(this.keys.orphans),
    ]);
    const n = (field: string) => Number(counters[field] ?? 0);
    const messagesByStatus: Record<string, number> = {};
    for (const [field, value] of Object.entries(counters)) {
      if (field.startsWith('st:') && Number(value) !== 0) messagesByStatus[field.slice(3)] = Number(value);
    }
    return {
      messagesByStatus,
      pushes: n('push'),
      queuedSegments: n('qs'),
      webhooksPending: pending,
      mo: n('mo'),
      orphanReports: orphans,
    };
  }

  /** Stops the heartbeat and leaves the cluster: what this node still had pending is free for the others. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    try {
      await this.ctx.redis.zrem(this.keys.nodes, this.nodeId);
    } finally {
      for (const client of [this.ctx.redis, this.ctx.intake])
        await client.quit().catch(() => client.disconnect());
    }
  }
}

/** '1' when the scripts may finish a message without a callbackUrl without calling the hook. */
function quietFlag(onFinal: FinalHook | undefined): string {
  return onFinal === undefined || onFinal.callbacksOnly === true ? '1' : '0';
}

function applyReport(rec: MessageRecord, index: number, stat: string, at: number): void {
  const status = statToStatus(stat);
  const current = rec.segStatus(index);
  if (!status || current === undefined || FINAL_STATES.has(current)) return;
  rec.setSeg(index, 'st', status);
  rec.setSeg(index, 'stat', stat);
  rec.setSeg(index, 'rep', at);
}
