/**
 * Lua: queues a webhook once per event key (`whkeys`; the hash keeps its key `k` for retention), pending in
 * `whdue` from `now`; 1 if queued. Every script that queues a webhook with the change that caused it
 * includes this function.
 */
export const WEBHOOK_LUA = `
local function queue_webhook(p, key, url, body, ct, now)
  if redis.call('HEXISTS', p .. 'whkeys', key) == 1 then return 0 end
  local id = redis.call('INCR', p .. 'wh:seq')
  redis.call('HSET', p .. 'whkeys', key, id)
  redis.call('HSET', p .. 'wh:' .. id, 'k', key, 'url', url, 'body', body, 'ct', ct, 'att', 0, 'ca', now)
  redis.call('ZADD', p .. 'whdue', now, string.format('%015d', id))
  return 1
end
`;
