import { StoreConfigError } from '../errors.js';

export interface RedisTarget {
  /** The URL for ioredis: `redis://` or `rediss://` (TLS), credentials, host, port, database; no query. */
  url: string;
  /** The key prefix given as `?prefix=`, if any. */
  prefix?: string;
}

const PREFIX = /^[A-Za-z0-9:_.-]{1,64}$/;

/** Checks a key prefix: letters, digits and `:_.-` (it goes inside a `{…}` hash tag). */
export function checkPrefix(key: string, prefix: string): string {
  if (!PREFIX.test(prefix))
    throw new StoreConfigError(key, `key prefix "${prefix}" must be 1–64 of A–Z a–z 0–9 : _ . -`);
  return prefix;
}

/** Parses `redis://[:password@]host[:port][/db][?prefix=P]` or `rediss://…`. */
export function parseRedisUrl(raw: string, key = 'store'): RedisTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new StoreConfigError(key, `"${raw}" is not a URL; expected redis://[:password@]host:port/db`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new StoreConfigError(key, `"${u.protocol}" is not redis: or rediss:`);
  if (u.hostname === '') throw new StoreConfigError(key, `"${raw}" names no host`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db))
    throw new StoreConfigError(key, `database "${db}" must be a number (redis://host:port/0)`);
  for (const name of u.searchParams.keys()) {
    if (name !== 'prefix') throw new StoreConfigError(key, `unknown option "?${name}=" (only ?prefix=)`);
  }
  const prefix = u.searchParams.get('prefix') ?? undefined;
  if (prefix !== undefined) checkPrefix(key, prefix);
  u.search = '';
  return { url: u.toString(), prefix };
}
