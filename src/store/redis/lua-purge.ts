/**
 * Retention (Store.purge): ARGV[2] before, [3] limit, [4] budget (records looked at, at most). Returns how
 * many records it deleted.
 *
 * The kinds are swept one after the other, a pass each: messages, MO, pushes, done webhooks (their lists
 * oldest first; the first record not older than `before` ends the pass), then orphan reports and long-MO
 * part groups (scanned, in no order). Where the call stops (limit or budget) is kept in `purge` (`kind`,
 * `at`): the next call goes on from there, so old messages that must stay (queued, submitting) are passed
 * over once per pass, not by every call. A call that finishes the last kind's pass stops.
 */
export const PURGE = `
local p, before, limit, budget = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local CHUNK = 100
local stats = p .. 'stats'
local deleted = 0

-- A field of a record JSON.stringify wrote, read without decoding it (cjson refuses a lone surrogate, which
-- an MO's text can hold). Quotes inside its strings are escaped, so the pattern matches the field only.
local function num(json, name) return tonumber(string.match(json, '"' .. name .. '":(%-?%d+)')) or 0 end
local function str(json, name) return string.match(json, '"' .. name .. '":"([^"]*)"') end

-- Each returns true when the record is not older than before (the pass ends).
local function message(id)
  local key = p .. 'm:' .. id
  local f = redis.call('HMGET', key, 'ca', 'st', 'a', 'pr', 'n', 'ref', 'to')
  if not f[1] then redis.call('ZREM', p .. 'ls:m', id); return false end
  if tonumber(f[1]) >= before then return true end
  local st, acct, prio = f[2], f[3], f[4]
  if st == 'queued' or st == 'submitting' then return false end
  for i = 0, tonumber(f[5]) - 1 do
    local member = id .. '|' .. i
    local s = redis.call('HMGET', key, i .. '.mid', i .. '.e')
    if s[1] and redis.call('GET', p .. 'mid:' .. s[1]) == member then redis.call('DEL', p .. 'mid:' .. s[1]) end
    -- Left by a cancellation or expiry: a due entry, a stream entry.
    if s[2] then
      local q = p .. 'q:' .. acct .. ':' .. prio
      redis.pcall('XACK', q, 'gw', s[2])
      redis.call('XDEL', q, s[2])
    end
    redis.call('ZREM', p .. 'due:' .. acct .. ':' .. prio, member)
  end
  if f[6] then
    local ref = acct .. '\\n' .. f[6] .. '\\n' .. f[7]
    if redis.call('HGET', p .. 'refs', ref) == id then redis.call('HDEL', p .. 'refs', ref) end
  end
  redis.call('ZREM', p .. 'ls:m', id)
  redis.call('ZREM', p .. 'ls:m:' .. acct, id)
  redis.call('ZREM', p .. 'exp', id)
  redis.call('HINCRBY', stats, 'st:' .. st, -1)
  redis.call('DEL', key)
  deleted = deleted + 1
  return false
end

local function mo(id)
  local json = redis.call('GET', p .. 'mo:' .. id)
  if not json then redis.call('ZREM', p .. 'ls:mo', id); return false end
  if num(json, 'receivedAt') >= before then return true end
  local acct = str(json, 'account')
  local ref = acct .. '\\n' .. str(json, 'ismgMsgId')
  if redis.call('HGET', p .. 'moids', ref) == id then redis.call('HDEL', p .. 'moids', ref) end
  redis.call('ZREM', p .. 'ls:mo', id)
  redis.call('ZREM', p .. 'ls:mo:' .. acct, id)
  redis.call('HINCRBY', stats, 'mo', -1)
  redis.call('DEL', p .. 'mo:' .. id)
  deleted = deleted + 1
  return false
end

local function push(id)
  local key = p .. 'push:' .. id
  local json = redis.call('HGET', key, 'json')
  if not json then redis.call('ZREM', p .. 'ls:push', id); return false end
  if num(json, 'createdAt') >= before then return true end
  redis.call('ZREM', p .. 'ls:push', id)
  redis.call('ZREM', p .. 'ls:push:' .. str(json, 'account'), id)
  redis.call('HINCRBY', stats, 'push', -1)
  redis.call('DEL', key)
  deleted = deleted + 1
  return false
end

-- whend: done webhooks scored by creation time.
local function webhook(member, createdAt)
  if tonumber(createdAt) >= before then return true end
  local id = string.match(member, '^0*(%d+)$')
  local key = p .. 'wh:' .. id
  local f = redis.call('HMGET', key, 'k', 'st')
  if f[1] and redis.call('HGET', p .. 'whkeys', f[1]) == id then redis.call('HDEL', p .. 'whkeys', f[1]) end
  if f[2] == 'delivered' then redis.call('HINCRBY', stats, 'whdone', -1) end
  redis.call('ZREM', p .. 'whend', member)
  redis.call('ZREM', p .. 'whdue', member)
  if redis.call('DEL', key) == 1 then deleted = deleted + 1 end
  return false
end

local function orphan(msgId, json)
  if num(json, 'receivedAt') < before then
    redis.call('HDEL', p .. 'orph', msgId)
    deleted = deleted + 1
  end
end

-- The parts of one group received before before; the group goes with its last part.
local function group(member)
  local g = p .. 'parts:' .. member
  local fields = redis.call('HGETALL', g)
  for j = 1, #fields, 2 do
    if deleted >= limit then break end
    if fields[j] ~= 'total' and num(fields[j + 1], 'receivedAt') < before then
      redis.call('HDEL', g, fields[j])
      deleted = deleted + 1
    end
  end
  if redis.call('HLEN', g) <= 1 then
    redis.call('DEL', g)
    redis.call('SREM', p .. 'partgroups', member)
  end
end

-- A ZSET oldest first, from after score at (nil: from its start, for kinds that skip nothing). Returns
-- true at the pass's end, else false and where to go on.
local function walk(list, at, one)
  while deleted < limit and budget > 0 do
    local min = at and '(' .. at or '-inf'
    local batch = redis.call('ZRANGEBYSCORE', list, min, '+inf', 'WITHSCORES', 'LIMIT', 0, math.min(budget, CHUNK))
    if #batch == 0 then return true end
    for j = 1, #batch, 2 do
      if deleted >= limit or budget <= 0 then return false, at end
      budget = budget - 1
      if one(batch[j], batch[j + 1]) then return true end
      if at then at = batch[j + 1] end
    end
  end
  return false, at
end

-- A SCAN from cursor at, a batch at a time; stopped by the limit inside a batch, goes on from its start.
local function scan(cmd, key, at, step, one)
  while deleted < limit and budget > 0 do
    local r = redis.call(cmd, key, at, 'COUNT', CHUNK)
    local items = r[2]
    for j = 1, #items, step do
      if deleted >= limit then return false, at end
      budget = budget - 1
      one(items[j], items[j + 1])
    end
    at = r[1]
    if at == '0' then return true end
  end
  return false, at
end

local KINDS = {
  function(at) return walk(p .. 'ls:m', at, message) end,
  function() return walk(p .. 'ls:mo', nil, mo) end,
  function() return walk(p .. 'ls:push', nil, push) end,
  function() return walk(p .. 'whend', nil, webhook) end,
  function(at) return scan('HSCAN', p .. 'orph', at, 2, orphan) end,
  function(at) return scan('SSCAN', p .. 'partgroups', at, 1, group) end,
}
local state = p .. 'purge'
local k = tonumber(redis.call('HGET', state, 'kind') or '1')
if not KINDS[k] then k = 1 end
local at = redis.call('HGET', state, 'at') or '0'
while deleted < limit and budget > 0 do
  local ended, stop = KINDS[k](at)
  if not ended then
    at = stop or '0'
    break
  end
  at = '0'
  k = k % #KINDS + 1
  if k == 1 then break end
end
redis.call('HSET', state, 'kind', k, 'at', at)
return deleted
`;

/**
 * Once per store, at open: gives retention the webhooks that a version without `whend` finished (they are
 * in no index, so no purge would find them): walks `whkeys` (event key → id), ARGV[2] entries a call, adds
 * each delivered or dead webhook to `whend` and gives its hash the key `k` that purge needs. Progress is
 * in `whendfill` (`cursor`, then `done`). Returns 1 while there is more to walk.
 */
export const WHEND_BACKFILL = `
local p, count = ARGV[1], ARGV[2]
local state = p .. 'whendfill'
if redis.call('HGET', state, 'done') == '1' then return 0 end
local scan = redis.call('HSCAN', p .. 'whkeys', redis.call('HGET', state, 'cursor') or '0', 'COUNT', count)
local entries = scan[2]
for i = 1, #entries, 2 do
  local key, id = entries[i], entries[i + 1]
  local hash = p .. 'wh:' .. id
  local f = redis.call('HMGET', hash, 'k', 'st', 'ca')
  if f[3] then
    if not f[1] then redis.call('HSET', hash, 'k', key) end
    if f[2] == 'delivered' or f[2] == 'dead' then
      redis.call('ZADD', p .. 'whend', 'NX', f[3], string.format('%015d', tonumber(id)))
    end
  end
end
if scan[1] == '0' then
  redis.call('HSET', state, 'done', '1', 'cursor', '0')
  return 0
end
redis.call('HSET', state, 'cursor', scan[1])
return 1
`;
