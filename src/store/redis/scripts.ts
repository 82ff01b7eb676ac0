import { COUNTS_LUA } from './lua-counts.js';
import { REPORTED, SUBMITTED } from './lua-outcomes.js';
import { PURGE, WHEND_BACKFILL } from './lua-purge.js';
import { WEBHOOK_LUA } from './lua-webhook.js';

/*
 * The Lua scripts (ioredis defineCommand). Each takes one key (KEYS[1], a key of the store, so that a
 * Cluster client routes it to the store's slot) and the key prefix as ARGV[1]; the other keys are built
 * from the prefix: they share its hash tag, hence its slot.
 */

/** Applies a Tx: ARGV[2] checks (F key field value | K key _ value, '' = absent), then the writes. */
const APPLY = `
${WEBHOOK_LUA}
local p = ARGV[1]
local j = 3
for _ = 1, tonumber(ARGV[2]) do
  local kind, key, field, want = ARGV[j], ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]
  local have
  if kind == 'F' then have = redis.call('HGET', key, field) else have = redis.call('GET', key) end
  if (have or '') ~= want then return 0 end
  j = j + 4
end
local n = #ARGV
while j <= n do
  local op = ARGV[j]
  if op == 'H' then redis.call('HSET', ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]); j = j + 4
  elseif op == 'D' then redis.call('HDEL', ARGV[j + 1], ARGV[j + 2]); j = j + 3
  elseif op == 'I' then redis.call('HINCRBY', ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]); j = j + 4
  elseif op == 'S' then
    if ARGV[j + 3] == '0' then redis.call('SET', ARGV[j + 1], ARGV[j + 2])
    else redis.call('SET', ARGV[j + 1], ARGV[j + 2], 'PX', ARGV[j + 3]) end
    j = j + 4
  elseif op == 'Z' then redis.call('ZADD', ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]); j = j + 4
  elseif op == 'R' then redis.call('ZREM', ARGV[j + 1], ARGV[j + 2]); j = j + 3
  elseif op == 'A' then
    redis.call('XACK', ARGV[j + 1], 'gw', ARGV[j + 2])
    redis.call('XDEL', ARGV[j + 1], ARGV[j + 2])
    j = j + 3
  elseif op == 'W' then queue_webhook(p, ARGV[j + 1], ARGV[j + 2], ARGV[j + 3], ARGV[j + 4], ARGV[j + 5]); j = j + 6
  else return redis.error_reply('apply: unknown op ' .. tostring(op)) end
end
return 1
`;

/**
 * Stores messages (and a push record). ARGV[2] push id or '', [3] account, [4] push JSON; then one JSON
 * array per message: id, account, idempotency field or '', due, priority, validUntil or '', segments, '1'
 * when due at once (else its segments wait in the due ZSET), pair count, pairs (one argument per message
 * instead of ~50: the client builds each argument of a command separately, decoding JSON in Redis costs
 * less). Segments due at once go straight into their stream. Returns 0 when the push exists, else per
 * message '' (stored) or the id of the existing one.
 */
const INSERT = `
${COUNTS_LUA}
local p = ARGV[1]
if ARGV[2] ~= '' then
  local key = p .. 'push:' .. ARGV[2]
  if redis.call('EXISTS', key) == 1 then return 0 end
  local seq = redis.call('INCR', p .. 'seq')
  redis.call('HSET', key, 'json', ARGV[4], 'seq', seq)
  redis.call('ZADD', p .. 'ls:push', seq, ARGV[2])
  redis.call('ZADD', p .. 'ls:push:' .. ARGV[3], seq, ARGV[2])
  redis.call('HINCRBY', p .. 'stats', 'push', 1)
end
-- Per account and priority, once per call: the priority is known, the stream has its consumer group.
local queues = {}
local function queue_of(acct, prio)
  local q = p .. 'q:' .. acct .. ':' .. prio
  if not queues[q] then
    queues[q] = true
    redis.call('SADD', p .. 'accounts', acct)
    redis.call('ZADD', p .. 'qp:' .. acct, prio, prio)
    if redis.call('EXISTS', q) == 0 then redis.call('XGROUP', 'CREATE', q, 'gw', '0', 'MKSTREAM') end
  end
  return q
end
local out = {}
for j = 5, #ARGV do
  local m = cjson.decode(ARGV[j])
  local id, acct, ref, due, prio, vu = m[1], m[2], m[3], m[4], m[5], m[6]
  local segs, now, npairs = tonumber(m[7]), m[8] == '1', tonumber(m[9])
  local existing = false
  if ref ~= '' then existing = redis.call('HGET', p .. 'refs', ref) end
  if existing then
    out[#out + 1] = existing
  else
    if ref ~= '' then redis.call('HSET', p .. 'refs', ref, id) end
    local seq = redis.call('INCR', p .. 'seq')
    local q = queue_of(acct, prio)
    local last = 9 + 2 * npairs
    for i = 0, segs - 1 do
      local member = id .. '|' .. i
      if now then
        m[last + 1], m[last + 2] = i .. '.e', redis.call('XADD', q, '*', 'k', member)
        last = last + 2
      else
        redis.call('ZADD', p .. 'due:' .. acct .. ':' .. prio, due, member)
      end
    end
    redis.call('HSET', p .. 'm:' .. id, 'seq', seq, unpack(m, 10, last))
    redis.call('ZADD', p .. 'ls:m', seq, id)
    redis.call('ZADD', p .. 'ls:m:' .. acct, seq, id)
    if vu ~= '' then redis.call('ZADD', p .. 'exp', vu, id) end
    count('st:queued', 1)
    count('qs', segs)
    out[#out + 1] = ''
  end
end
flush_counts(p)
return out
`;

/**
 * Claims up to ARGV[4] segments of account ARGV[3] at time ARGV[5] for consumer ARGV[2] (this node).
 * When ARGV[6] is '1', first takes over entries pending for at least ARGV[7] ms at consumers whose node
 * heartbeat lapsed (a segment the dead node had re-queued keeps its entry, and so its turn). Then,
 * highest priority first: promotes due segments of that priority from its due ZSET into its stream (in
 * due order, no more than this claim can take; a re-queued segment, whose entry is still pending, is
 * taken over at once, ahead of the stream) and reads new entries. A job's changes are written by one
 * HSET, its version included. Stale entries (the segment was cancelled, expired or re-queued since) are
 * acknowledged and skipped; a segment past validUntil stays queued for the expiry sweep. Returns one
 * string per job: id, index, to, Src_Id, Msg_Fmt, TP_udhi, segment count, report, priority, validUntil
 * or '', attempts and content, space-separated.
 */
const CLAIM = `
${COUNTS_LUA}
local p, me, acct = ARGV[1], ARGV[2], ARGV[3]
local limit, now = tonumber(ARGV[4]), tonumber(ARGV[5])
local takeover, minIdle = ARGV[6] == '1', ARGV[7]

local out = {}
local jobs = 0
local function drop(q, entry)
  redis.call('XACK', q, 'gw', entry)
  redis.call('XDEL', q, entry)
end
-- One entry read from (or taken over in) stream q: a job, or dropped when stale.
local function take(q, entry, fields, wanted)
  local id, idx = string.match(fields[2], '^(.+)|(%d+)$')
  local key = p .. 'm:' .. id
  local f = redis.call('HMGET', key, idx .. '.st', idx .. '.e', 'vu', 'st', 'to', 'src', 'fmt', idx .. '.u',
    'n', 'rep', 'pr', idx .. '.cb', idx .. '.c', idx .. '.att', 'v')
  if f[2] ~= entry then drop(q, entry); return end
  -- Taken over from a dead node that had re-queued its segment: the entry stays pending here, and the
  -- promotion from the due ZSET takes it in its turn (and no sooner than it is due).
  if wanted == 'submitting' and f[1] == 'queued' then return end
  if f[1] ~= wanted then drop(q, entry); return end
  local v = (tonumber(f[15]) or 0) + 1
  if f[3] and tonumber(f[3]) <= now then
    drop(q, entry)
    redis.call('HDEL', key, idx .. '.e')
    redis.call('HSET', key, 'v', v)
    return
  end
  local att = (tonumber(f[14]) or 0) + 1
  local w = { idx .. '.att', att, 'v', v }
  if wanted == 'queued' then
    w[5], w[6] = idx .. '.st', 'submitting'
    count('qs', -1)
    if f[4] == 'queued' then
      w[7], w[8], w[9], w[10] = 'st', 'submitting', 'ua', now
      count('st:queued', -1)
      count('st:submitting', 1)
    end
  end
  redis.call('HSET', key, unpack(w))
  jobs = jobs + 1
  -- The content: base64 ('b'), or hex ('h') from a record written before contents were kept in base64.
  local content = f[12] and 'b' .. f[12] or 'h' .. (f[13] or ''):gsub('.', function(c) return string.format('%02x', c:byte()) end)
  -- One reply item per job, its fields joined by spaces (none can hold one): the client decodes an item
  -- for about what it takes to split one into twelve.
  out[jobs] = table.concat({ id, idx, f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[3] or '', att, content }, ' ')
end

local prios = redis.call('ZREVRANGE', p .. 'qp:' .. acct, 0, -1)
for _, prio in ipairs(prios) do
  local q = p .. 'q:' .. acct .. ':' .. prio
  if redis.call('EXISTS', q) == 0 then redis.call('XGROUP', 'CREATE', q, 'gw', '0', 'MKSTREAM') end
end
if takeover then
  local t = redis.call('TIME')
  local clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  for _, prio in ipairs(prios) do
    if jobs >= limit then break end
    local q = p .. 'q:' .. acct .. ':' .. prio
    for _, e in ipairs(redis.call('XPENDING', q, 'gw', 'IDLE', minIdle, '-', '+', 1000)) do
      if jobs >= limit then break end
      if e[2] ~= me then
        local beat = redis.call('ZSCORE', p .. 'nodes', e[2])
        if not beat or tonumber(beat) < clock then
          for _, c in ipairs(redis.call('XCLAIM', q, 'gw', me, minIdle, e[1])) do
            take(q, c[1], c[2], 'submitting')
          end
        end
      end
    end
  end
end
for _, prio in ipairs(prios) do
  if jobs >= limit then break end
  local q = p .. 'q:' .. acct .. ':' .. prio
  local dueKey = p .. 'due:' .. acct .. ':' .. prio
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', dueKey, '-inf', now, 'LIMIT', 0, limit - jobs)) do
    local id, idx = string.match(member, '^(.+)|(%d+)$')
    local key = p .. 'm:' .. id
    local s = redis.call('HMGET', key, idx .. '.st', idx .. '.e')
    if s[1] == 'queued' then
      -- A re-queued segment's entry is still pending: taken over here, it keeps its turn.
      local c = s[2] and redis.call('XCLAIM', q, 'gw', me, 0, s[2])
      if c and c[1] and c[1][2] then take(q, c[1][1], c[1][2], 'queued')
      else redis.call('HSET', key, idx .. '.e', redis.call('XADD', q, '*', 'k', member)) end
    elseif s[2] and s[1] ~= 'submitting' then
      -- Cancelled or expired after it was re-queued: its entry goes.
      drop(q, s[2])
      redis.call('HDEL', key, idx .. '.e')
    end
    redis.call('ZREM', dueKey, member)
  end
  while jobs < limit do
    local res = redis.call('XREADGROUP', 'GROUP', 'gw', me, 'COUNT', limit - jobs, 'STREAMS', q, '>')
    if not res then break end
    local entries = res[1][2]
    if #entries == 0 then break end
    for _, e in ipairs(entries) do take(q, e[1], e[2], 'queued') end
  end
end
flush_counts(p)
return out
`;

/**
 * The reads of a change, in one call: ARGV[2] count and Msg_Ids to look up in the Msg_Id index (their
 * messages are read too), then a count and message ids, then a count and Msg_Ids of orphan reports.
 * Returns {index values ('' = none), orphan JSONs ('' = none), message ids, their HGETALL replies}.
 */
const READ = `
local p = ARGV[1]
local j = 2
local targets, ids, orphans, hashes = {}, {}, {}, {}
for i = 1, tonumber(ARGV[j]) do
  local t = redis.call('GET', p .. 'mid:' .. ARGV[j + i])
  targets[i] = t or ''
  if t then ids[#ids + 1] = string.match(t, '^(.+)|%d+$') end
end
j = j + tonumber(ARGV[j]) + 1
for i = 1, tonumber(ARGV[j]) do ids[#ids + 1] = ARGV[j + i] end
j = j + tonumber(ARGV[j]) + 1
for i = 1, tonumber(ARGV[j]) do orphans[i] = redis.call('HGET', p .. 'orph', ARGV[j + i]) or '' end
for i, id in ipairs(ids) do hashes[i] = redis.call('HGETALL', p .. 'm:' .. id) end
return {targets, orphans, ids, hashes}
`;

/** Leases due webhooks: ARGV[2] now, [3] limit, [4] lease ms. Returns 6 values per job. */
const CLAIM_WEBHOOKS = `
local p, now, limit, lease = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local out = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', p .. 'whdue', '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZADD', p .. 'whdue', now + lease, member)
  local key = p .. 'wh:' .. tonumber(member)
  local att = redis.call('HINCRBY', key, 'att', 1)
  local f = redis.call('HMGET', key, 'url', 'body', 'ct', 'ca')
  local o = #out
  out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5], out[o + 6] = member, f[1], f[2], f[3], att, f[4]
end
return out
`;

/**
 * Ends a webhook: ARGV[2] id, [3] 'delivered' | 'dead' | 'retry', [4] time, [5] error. A delivered or dead
 * one goes into `whend`, where retention finds it.
 */
const WEBHOOK_DONE = `
local p, id, outcome = ARGV[1], ARGV[2], ARGV[3]
local member = string.format('%015d', tonumber(id))
local key = p .. 'wh:' .. id
if outcome == 'retry' then
  redis.call('ZADD', p .. 'whdue', 'XX', ARGV[4], member)
  redis.call('HSET', key, 'err', ARGV[5])
  return 1
end
if redis.call('ZREM', p .. 'whdue', member) == 0 then return 0 end
redis.call('ZADD', p .. 'whend', redis.call('HGET', key, 'ca'), member)
if outcome == 'delivered' then
  redis.call('HSET', key, 'st', 'delivered', 'da', ARGV[4])
  redis.call('HINCRBY', p .. 'stats', 'whdone', 1)
else
  redis.call('HSET', key, 'st', 'dead', 'err', ARGV[5])
end
return 1
`;

/** Queues one webhook: ARGV[2] event key, [3] url, [4] body, [5] content type, [6] now. */
const ENQUEUE_WEBHOOK = `
${WEBHOOK_LUA}
return queue_webhook(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
`;

/**
 * Stores one long-MO part: ARGV[2] account, [3] group key, [4] total, [5] seq, [6] ISMG Msg_Id, [7] part
 * JSON, [8] group field. Returns false when the part was consumed already, else every stored part's JSON
 * once the group is complete, else an empty list.
 */
const ADD_MO_PART = `
local p, acct, gk, total, seq, ismg = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('EXISTS', p .. 'mocons:' .. acct .. '\\n' .. ismg) == 1 then return false end
local g = p .. 'parts:' .. acct .. '\\n' .. gk
redis.call('HSETNX', g, seq, ARGV[7])
redis.call('HSETNX', g, 'total', total)
redis.call('SADD', p .. 'partgroups', ARGV[8])
if redis.call('HLEN', g) - 1 < tonumber(total) then return {} end
local out = {}
for _, v in ipairs(redis.call('HGETALL', g)) do out[#out + 1] = v end
return out
`;

/**
 * Stores an MO once per (account, ISMG Msg_Id) with its webhook: ARGV[2] account, [3] ISMG Msg_Id,
 * [4] id, [5] JSON, [6] received at, [7] completed group field or '', [8] consumed-part TTL, [9] webhook
 * event key or '', [10] url, [11] body, [12] content type. Returns 1 when stored.
 */
const INSERT_MO = `
${WEBHOOK_LUA}
local p, acct, ismg, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if ARGV[7] ~= '' then
  local g = p .. 'parts:' .. ARGV[7]
  local fields = redis.call('HGETALL', g)
  for k = 1, #fields, 2 do
    if fields[k] ~= 'total' then
      local part = cjson.decode(fields[k + 1])
      redis.call('SET', p .. 'mocons:' .. acct .. '\\n' .. part.ismgMsgId, '1', 'PX', ARGV[8])
    end
  end
  redis.call('DEL', g)
  redis.call('SREM', p .. 'partgroups', ARGV[7])
end
if redis.call('HSETNX', p .. 'moids', acct .. '\\n' .. ismg, id) == 0 then return 0 end
redis.call('SET', p .. 'mo:' .. id, ARGV[5])
local seq = redis.call('INCR', p .. 'seq')
redis.call('ZADD', p .. 'ls:mo', seq, id)
redis.call('ZADD', p .. 'ls:mo:' .. acct, seq, id)
redis.call('HINCRBY', p .. 'stats', 'mo', 1)
if ARGV[9] ~= '' then queue_webhook(p, ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[6]) end
return 1
`;

/** This node's heartbeat: ARGV[2] node id, [3] TTL ms. Nodes silent for a day are forgotten. */
const BEAT = `
local t = redis.call('TIME')
local clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', ARGV[1] .. 'nodes', clock + tonumber(ARGV[3]), ARGV[2])
redis.call('ZREMRANGEBYSCORE', ARGV[1] .. 'nodes', '-inf', clock - 86400000)
return clock
`;

/**
 * Link leases of account ARGV[3] for node ARGV[2]: renews the held slots ARGV[7..] (those still this
 * node's), and when ARGV[6] is '1' and the node holds fewer than its share (limit ARGV[4] over the live
 * nodes, rounded up) takes free slots: up to the share rounded down at once, else one. Each lease lapses
 * ARGV[5] ms after its last renewal. Returns 1 when the node should give a slot back, then the slots it
 * holds. It gives one back only when no slot is free and another node leasing the account wants it: holds
 * less than its share while this one holds more, or (3 nodes, 4 slots: 2-2-0 becomes 2-1-1) less than the
 * lower share while this one holds more.
 */
const LEASE = `
local p, me, acct, limit, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local t = redis.call('TIME')
local clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', p .. 'nodes', clock + ttl, me)
local live = redis.call('ZCOUNT', p .. 'nodes', clock, '+inf')
local leasers = p .. 'leasers:' .. acct
redis.call('ZADD', leasers, clock + ttl, me)
redis.call('ZREMRANGEBYSCORE', leasers, '-inf', '(' .. clock)
local held, asked = {}, {}
for k = 7, #ARGV do
  local key = p .. 'lease:' .. acct .. ':' .. ARGV[k]
  asked[tonumber(ARGV[k])] = true
  if redis.call('GET', key) == me then
    redis.call('PEXPIRE', key, ttl)
    held[#held + 1] = tonumber(ARGV[k])
  end
end
local high, low = math.ceil(limit / live), math.floor(limit / live)
-- Free slots up to the lower share (what every live node is owed) at once, then one more per round up to
-- the higher share, so that nodes starting together share out. A slot asked for but lost is not taken
-- again in the same call: its link must close first.
if ARGV[6] == '1' and #held < high then
  local want = math.max(low, #held + 1)
  for slot = 0, limit - 1 do
    if #held >= want then break end
    if not asked[slot] and redis.call('SET', p .. 'lease:' .. acct .. ':' .. slot, me, 'NX', 'PX', ttl) then
      held[#held + 1] = slot
    end
  end
end
local give = 0
if #held > low then
  local holds, free = {}, 0
  for slot = 0, limit - 1 do
    local owner = redis.call('GET', p .. 'lease:' .. acct .. ':' .. slot)
    if owner then holds[owner] = (holds[owner] or 0) + 1 else free = free + 1 end
  end
  local wanted = #held > high and high or low
  if free == 0 then
    for _, node in ipairs(redis.call('ZRANGE', leasers, 0, -1)) do
      if node ~= me and (holds[node] or 0) < wanted then give = 1 end
    end
  end
end
table.insert(held, 1, give)
return held
`;

/** Gives back the slots ARGV[5..] of account ARGV[3] that node ARGV[2] holds; ARGV[4] '1': it stops leasing. */
const RELEASE = `
for k = 5, #ARGV do
  local key = ARGV[1] .. 'lease:' .. ARGV[3] .. ':' .. ARGV[k]
  if redis.call('GET', key) == ARGV[2] then redis.call('DEL', key) end
end
if ARGV[4] == '1' then redis.call('ZREM', ARGV[1] .. 'leasers:' .. ARGV[3], ARGV[2]) end
return 1
`;

export const SCRIPTS = {
  apply: APPLY,
  read: READ,
  insert: INSERT,
  claim: CLAIM,
  submitted: SUBMITTED,
  reported: REPORTED,
  claimWebhooks: CLAIM_WEBHOOKS,
  webhookDone: WEBHOOK_DONE,
  enqueueWebhook: ENQUEUE_WEBHOOK,
  addMoPart: ADD_MO_PART,
  insertMo: INSERT_MO,
  beat: BEAT,
  lease: LEASE,
  release: RELEASE,
  purge: PURGE,
  whendBackfill: WHEND_BACKFILL,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
