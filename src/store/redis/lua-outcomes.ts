/*
 * The scripts that store SUBMIT_RESPs and reports in one round trip when nothing about them needs Node.
 * What they leave (a waiting orphan report, a rejection, a message that becomes final and whose webhook
 * the final-message hook must build) goes the general way: read, compute in Node, apply (see Tx).
 */

import { FINAL_STATES, SEVERITY } from '../status.js';
import { COUNTS_LUA } from './lua-counts.js';

/** status.ts's tables as Lua table constructors. */
const FINAL_LUA = [...FINAL_STATES].map((st) => `${st} = true`).join(', ');
const SEVERITY_LUA = Object.entries(SEVERITY)
  .map(([st, n]) => `${st} = ${n}`)
  .join(', ');

/** Lua: a message's state from its segments' states, as status.ts `deriveStatus` computes it. */
const DERIVE_LUA = `
${COUNTS_LUA}
local FINAL = { ${FINAL_LUA} }
local SEVERITY = { ${SEVERITY_LUA} }
local function is_final(st, report) return FINAL[st] == true or (not report and st == 'submitted') end
local function derive(sts, report)
  local all, queued, other, submitting = true, false, false, false
  for _, st in ipairs(sts) do
    if not is_final(st, report) then all = false end
    if st == 'queued' then queued = true else other = true end
    if st == 'submitting' then submitting = true end
  end
  if all then
    local worst = sts[1]
    for _, st in ipairs(sts) do if SEVERITY[st] > SEVERITY[worst] then worst = st end end
    return worst
  end
  if queued then return other and 'submitting' or 'queued' end
  if submitting then return 'submitting' end
  return 'submitted'
end
-- The states of a message's n segments, and its own.
local function states(key, n)
  local fields = {}
  for i = 0, n - 1 do fields[i + 1] = i .. '.st' end
  fields[n + 1] = 'st'
  local sts = redis.call('HMGET', key, unpack(fields))
  local was = sts[n + 1]
  sts[n + 1] = nil
  return sts, was
end
-- states(), where a first read already gave segment idx's state and the message's: a message of one
-- segment needs no second read.
local function states_after(key, n, seg_st, msg_st)
  if n == 1 then return { seg_st }, msg_st end
  return states(key, n)
end
-- The message's state once segment idx (0-based) is in state st.
local function derive_with(sts, idx, st, report)
  local old = sts[idx + 1]
  sts[idx + 1] = st
  local now = derive(sts, report)
  sts[idx + 1] = old
  return now
end
-- Moves segment idx to state st and the message from state was to now (derive_with's answer), in one
-- HSET with the segment's other changes (fields: name, value, ...). v: the record's version before;
-- expiring: the message is in the expiry index (it has a validUntil).
local function move_segment(p, id, key, sts, was, idx, st, now, at, fields, v, expiring)
  if sts[idx + 1] == 'queued' then count('qs', -1) end
  local n = #fields
  fields[n + 1], fields[n + 2], fields[n + 3], fields[n + 4] = idx .. '.st', st, 'v', (tonumber(v) or 0) + 1
  if now ~= was then
    fields[n + 5], fields[n + 6], fields[n + 7], fields[n + 8] = 'st', now, 'ua', at
    count('st:' .. was, -1)
    count('st:' .. now, 1)
    if expiring and now ~= 'queued' and now ~= 'submitting' then redis.call('ZREM', p .. 'exp', id) end
  end
  redis.call('HSET', key, unpack(fields))
end
-- A message made final, in a script's reply: id, account, state.
local function add_final(finals, id, account, st)
  finals[#finals + 1] = id
  finals[#finals + 1] = account
  finals[#finals + 1] = st
end
`;

/**
 * SUBMIT_RESPs with Result 0: ARGV[2] the Msg_Id index's TTL in ms (0: none), ARGV[3] '1' when the hook
 * queues nothing for a message without a callbackUrl, then per outcome its message id, segment index,
 * Msg_Id and time. Left to Node: a segment not `submitting`, a report already waiting for the Msg_Id, a
 * message made final (no reports wanted) whose webhook the hook may build, and every later outcome of a
 * message with one left. Returns { positions left (1-based), then per message made final: id, account,
 * state }.
 */
export const SUBMITTED = `
${DERIVE_LUA}
local p, wait, quiet = ARGV[1], ARGV[2], ARGV[3] == '1'
local left, finals, held = {}, {}, {}
-- Reports waiting for their SUBMIT_RESP are rare: without any, no outcome needs looking up.
local orphans = redis.call('EXISTS', p .. 'orph') == 1
local k = 0
for j = 4, #ARGV, 4 do
  k = k + 1
  local id, idx, mid, at = ARGV[j], ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]
  local key, i = p .. 'm:' .. id, tonumber(idx)
  local f = redis.call('HMGET', key, idx .. '.st', idx .. '.e', 'rep', 'n', 'pr', 'a', 'cb', 'st', 'v', 'vu')
  local ends, sts, was, now
  if f[1] == 'submitting' and not held[id] and not (orphans and redis.call('HEXISTS', p .. 'orph', mid) == 1) then
    sts, was = states_after(key, tonumber(f[4]), f[1], f[8])
    local report = f[3] == '1'
    now = derive_with(sts, i, 'submitted', report)
    ends = not is_final(was, report) and is_final(now, report)
    if ends and (f[7] or not quiet) then sts = nil end
  end
  if not sts then
    left[#left + 1] = k
    held[id] = true
  else
    if f[2] then
      local q = p .. 'q:' .. f[6] .. ':' .. f[5]
      redis.call('XACK', q, 'gw', f[2])
      redis.call('XDEL', q, f[2])
      redis.call('HDEL', key, idx .. '.e')
    end
    if wait == '0' then redis.call('SET', p .. 'mid:' .. mid, id .. '|' .. idx)
    else redis.call('SET', p .. 'mid:' .. mid, id .. '|' .. idx, 'PX', wait) end
    move_segment(p, id, key, sts, was, i, 'submitted', now, at,
      { idx .. '.mid', mid, idx .. '.res', 0, idx .. '.sub', at }, f[9], f[10])
    if ends then add_final(finals, id, f[6], now) end
  end
end
flush_counts(p)
return { left, finals }
`;

/**
 * Reports: ARGV[2] '1' when the hook queues nothing for a message without a callbackUrl, then per report
 * its Msg_Id, Stat, time and the segment state the Stat means. Left to Node: a Msg_Id not in the index
 * (kept as an orphan), and a report that makes its message final when the hook may want to queue a
 * webhook for it (and every later report of that message). A report for a segment already final changes
 * nothing. Returns { positions left (1-based), then per message made final: id, account, state }.
 */
export const REPORTED = `
${DERIVE_LUA}
local p, quiet = ARGV[1], ARGV[2] == '1'
local left, finals, held = {}, {}, {}
local k = 0
for j = 3, #ARGV, 4 do
  k = k + 1
  local mid, stat, at, st = ARGV[j], ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]
  local target = redis.call('GET', p .. 'mid:' .. mid)
  local id, idx
  if target then id, idx = string.match(target, '^(.+)|(%d+)$') end
  local key = id and p .. 'm:' .. id
  local f = key and redis.call('HMGET', key, idx .. '.st', 'st', 'rep', 'n', 'cb', 'a', 'v', 'vu')
  if not f or not f[1] or held[id] then
    left[#left + 1] = k
    if id then held[id] = true end
  elseif not FINAL[f[1]] then
    local report, i = f[3] == '1', tonumber(idx)
    local sts, was = states_after(key, tonumber(f[4]), f[1], f[2])
    local now = derive_with(sts, i, st, report)
    local ends = not is_final(was, report) and is_final(now, report)
    if ends and (f[5] or not quiet) then
      left[#left + 1] = k
      held[id] = true
    else
      move_segment(p, id, key, sts, was, i, st, now, at, { idx .. '.stat', stat, idx .. '.rep', at }, f[7], f[8])
      if ends then add_final(finals, id, f[6], now) end
    end
  end
end
flush_counts(p)
return { left, finals }
`;
