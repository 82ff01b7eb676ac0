import { execFileSync } from 'node:child_process';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../store/redis-keys.js';

/*
 * The backend the end-to-end harness runs on: CMPPGW_TEST_STORE=redis (the vitest project "redis") or
 * SQLite. The same test files run on both; `count` answers their SQL-shaped questions from either.
 */

export const TEST_BACKEND = process.env.CMPPGW_TEST_STORE === 'redis' ? 'redis' : 'sqlite';

/** Counts Redis keeps (see src/store/redis/keys.ts): table, and status or '' for all. */
const COUNT_LUA = `
local p, what, status = ARGV[1], ARGV[2], ARGV[3]
local function stat(field) return tonumber(redis.call('HGET', p .. 'stats', field) or '0') end
if what == 'messages' then
  if status ~= '' then return stat('st:' .. status) end
  local n, h = 0, redis.call('HGETALL', p .. 'stats')
  for i = 1, #h, 2 do if string.sub(h[i], 1, 3) == 'st:' then n = n + tonumber(h[i + 1]) end end
  return n
elseif what == 'segments' and status == 'queued' then return stat('qs')
elseif what == 'segments' and status == '' then
  local n = 0
  for _, id in ipairs(redis.call('ZRANGE', p .. 'ls:m', 0, -1)) do
    n = n + tonumber(redis.call('HGET', p .. 'm:' .. id, 'n') or '0')
  end
  return n
elseif what == 'webhooks' and status == 'delivered' then return stat('whdone')
elseif what == 'mo' and status == '' then return stat('mo')
elseif what == 'orphan_reports' and status == '' then return redis.call('HLEN', p .. 'orph')
elseif what == 'mo_parts' and status == '' then
  local n = 0
  for _, g in ipairs(redis.call('SMEMBERS', p .. 'partgroups')) do n = n + redis.call('HLEN', p .. 'parts:' .. g) - 1 end
  return n
end
return redis.error_reply('count: no Redis counter for ' .. what .. ' ' .. status)
`;

export class RedisBackend {
  readonly prefix = testPrefix();

  url(): string {
    return `${REDIS_URL}?prefix=${this.prefix}`;
  }

  open(nodeId: string, reportWaitMs: number): Promise<Store> {
    return openStore(this.url(), { nodeId, nodeTtlMs: 2000, claimIdleMs: 1000, reportWaitMs });
  }

  /** Synchronous (the tests poll it like the SQLite count): the question as one script run by redis-cli. */
  count(table: string, where: string): number {
    const status = where === '1 = 1' ? '' : /^status = '(\w+)'$/.exec(where)?.[1];
    if (status === undefined) throw new Error(`count on Redis: unsupported condition "${where}"`);
    const out = execFileSync(
      'redis-cli',
      ['-u', REDIS_URL, '--no-raw', 'EVAL', COUNT_LUA, '0', `{${this.prefix}}:`, table, status],
      {
        encoding: 'utf8',
      },
    );
    const n = /^\(integer\) (-?\d+)/.exec(out.trim());
    if (!n) throw new Error(`count on Redis: ${out.trim()}`);
    return Number(n[1]);
  }

  async cleanup(): Promise<void> {
    await deleteKeys(this.prefix);
  }
}
