import type { Redis } from 'ioredis';
import { cursorOf, parseCursor } from '../cursor.js';
import type { Page } from '../types.js';
import { Keys } from './keys.js';
import { MessageRecord } from './message-record.js';
import { SCRIPTS, type ScriptName } from './scripts.js';
import { Tx } from './tx.js';

type Arg = string | number | Buffer;
type ScriptFn = (...args: (Arg | Arg[])[]) => Promise<unknown>;

const MAX_CONFLICTS = 100;

/** The Redis client of one store, its keys and scripts, and the helpers every part of the store uses. */
export class RedisContext {
  readonly keys: Keys;

  /**
   * `redis` carries the queue's traffic (claims, SUBMIT_RESPs, reports); `intake` carries what the API
   * stores (new messages, pushes): on one connection a burst of large inserts would hold the dispatcher's
   * small commands behind it.
   */
  constructor(
    readonly redis: Redis,
    readonly intake: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    for (const client of [redis, intake])
      for (const [name, lua] of Object.entries(SCRIPTS)) client.defineCommand(name, { numberOfKeys: 1, lua });
  }

  /**
   * Runs a script with the store's routing key and prefix first. Long argument lists go in as arrays
   * (ioredis flattens them): spread into one call, tens of thousands of arguments overflow the stack.
   */
  run(name: ScriptName, ...args: (Arg | Arg[])[]): Promise<unknown> {
    return this.fn(name)(this.keys.stats, this.keys.p, ...args);
  }

  /** Runs a script on the intake connection. */
  runIntake(name: ScriptName, ...args: (Arg | Arg[])[]): Promise<unknown> {
    return this.fn(name, this.intake)(this.keys.stats, this.keys.p, ...args);
  }

  private fn(name: string, client = this.redis): ScriptFn {
    const fn = (client as unknown as Record<string, ScriptFn>)[name];
    return fn.bind(client);
  }

  /**
   * Optimistic transaction: `attempt` reads what it needs and writes its change into the Tx; the change is
   * applied atomically if nothing it read changed meanwhile, else `attempt` runs again on fresh data. An
   * exception from `attempt` (e.g. from an onFinal hook) changes nothing.
   */
  async atomically<T>(attempt: (tx: Tx) => Promise<{ tx: Tx; result: T }>): Promise<T> {
    for (let n = 0; ; n++) {
      const { tx, result } = await attempt(new Tx());
      if (tx.empty) return result;
      if ((await this.run('apply', tx.args())) === 1) return result;
      if (n >= MAX_CONFLICTS) throw new Error(`store: change kept conflicting (${n} attempts)`);
    }
  }

  /** Reads messages for a change (absent ids are left out). */
  async records(ids: Iterable<string>, tx: Tx): Promise<Map<string, MessageRecord>> {
    return (await this.read(tx, { ids: [...ids] })).records;
  }

  /**
   * The reads of a change in one round trip: messages by id and by Msg_Id (through the Msg_Id index, whose
   * values come back as `targets`, null when absent), and orphan reports by Msg_Id (null when absent).
   */
  async read(
    tx: Tx,
    q: { ids?: string[]; msgIds?: string[]; orphans?: string[] },
  ): Promise<{
    records: Map<string, MessageRecord>;
    targets: (string | null)[];
    orphans: (string | null)[];
  }> {
    const msgIds = q.msgIds ?? [];
    const ids = [...new Set(q.ids ?? [])];
    const orphanIds = q.orphans ?? [];
    const records = new Map<string, MessageRecord>();
    if (msgIds.length + ids.length + orphanIds.length === 0) return { records, targets: [], orphans: [] };
    const [targets, orphans, readIds, hashes] = (await this.run(
      'read',
      msgIds.length,
      msgIds,
      ids.length,
      ids,
      orphanIds.length,
      orphanIds,
    )) as [string[], string[], string[], string[][]];
    readIds.forEach((id, k) => {
      const pairs = hashes[k];
      if (pairs.length === 0 || records.has(id)) return;
      const h: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) h[pairs[i]] = pairs[i + 1];
      records.set(id, new MessageRecord(h, this.keys, tx));
    });
    const orNull = (v: string) => (v === '' ? null : v);
    return { records, targets: targets.map(orNull), orphans: orphans.map(orNull) };
  }

  /**
   * Newest first: up to `limit` items of a seq-scored list below the cursor that pass `keep`, and the cursor
   * of the next page. With a filter, the list is read in chunks until the page is full.
   */
  async page<T>(
    list: string,
    cursor: string | undefined,
    limit: number,
    load: (ids: string[]) => Promise<(T | undefined)[]>,
    keep?: (item: T) => boolean,
  ): Promise<Page<T>> {
    const chunk = keep ? Math.max(200, limit + 1) : limit + 1;
    const found: { item: T; seq: number }[] = [];
    let below = parseCursor(cursor);
    while (found.length <= limit) {
      const raw = await this.redis.zrevrangebyscore(
        list,
        `(${below}`,
        '-inf',
        'WITHSCORES',
        'LIMIT',
        0,
        chunk,
      );
      const ids: string[] = [];
      const seqs: number[] = [];
      for (let i = 0; i < raw.length; i += 2) {
        ids.push(raw[i]);
        seqs.push(Number(raw[i + 1]));
      }
      const items = await load(ids);
      for (let k = 0; k < ids.length && found.length <= limit; k++) {
        const item = items[k];
        if (item !== undefined && (!keep || keep(item))) found.push({ item, seq: seqs[k] });
      }
      if (ids.length < chunk) break;
      below = seqs[seqs.length - 1];
    }
    const items = found.slice(0, limit);
    return {
      items: items.map((f) => f.item),
      next: found.length > limit ? cursorOf(items[items.length - 1].seq) : null,
    };
  }
}
