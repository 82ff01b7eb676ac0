import { StoreConfigError } from './errors.js';
import { RedisStore } from './redis/redis-store.js';
import { checkPrefix, parseRedisUrl } from './redis/url.js';
import type { UpgradeEvent } from './sqlite/migrations.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export interface StoreOptions {
  /** Redis key prefix when the URL has no `?prefix=` (default `cmppgw`). */
  prefix?: string;
  /** Redis: this node's name (default host-pid-random); must be unique among running nodes. */
  nodeId?: string;
  /** Redis: a node silent this long is dead (its link leases lapse, its queue entries are taken over). */
  nodeTtlMs?: number;
  /** Redis: a dead node's pending queue entries are taken over once idle this long. */
  claimIdleMs?: number;
  /** How long a Msg_Id stays matchable to its segment (the report wait). */
  reportWaitMs?: number;
  /** SQLite: told how upgrading a database written by an earlier version goes. */
  onUpgrade?: (event: UpgradeEvent) => void;
}

/** Throws StoreConfigError (naming `store`) unless the URL is `sqlite:PATH`, `redis://…` or `rediss://…`. */
export function checkStoreUrl(url: string): void {
  if (url.startsWith('sqlite:')) {
    if (url.length === 'sqlite:'.length) throw new StoreConfigError('store', 'sqlite: needs a path');
    return;
  }
  if (url.startsWith('redis:') || url.startsWith('rediss:')) {
    parseRedisUrl(url);
    return;
  }
  throw new StoreConfigError('store', `unsupported store "${url}": use sqlite:PATH or redis://host:port/db`);
}

/** A store from its URL: `sqlite:PATH` (the embedded default) or `redis://` / `rediss://` (several nodes). */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  checkStoreUrl(url);
  if (url.startsWith('sqlite:'))
    return new SqliteStore(url.slice('sqlite:'.length), { onUpgrade: options.onUpgrade });
  const target = parseRedisUrl(url);
  const prefix =
    target.prefix ?? (options.prefix === undefined ? undefined : checkPrefix('storePrefix', options.prefix));
  return RedisStore.open(target.url, { ...options, prefix });
}
