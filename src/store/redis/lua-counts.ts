/**
 * Lua: the store's counters (the `stats` hash) changed once per script call instead of once per message.
 * A script calls `count` for every change and `flush_counts` before it returns; a HINCRBY from Lua costs
 * about as much as the rest of a message's bookkeeping in a claim.
 */
export const COUNTS_LUA = `
local counts = {}
local function count(field, n) counts[field] = (counts[field] or 0) + n end
local function flush_counts(p)
  for field, n in pairs(counts) do
    if n ~= 0 then redis.call('HINCRBY', p .. 'stats', field, n) end
  end
end
`;
