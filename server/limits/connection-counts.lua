-- Open connections per client address and relay node, shared in Redis for the per-address
-- limit (connection-counts.ts). Key names come from rooms/redis/key-schema.ts.
--
-- count: KEYS[1] this node's conns hash; ARGV address, by (1 or -1), ttlMs. One more, or one
--        less, open connection from an address through this node; the hash expires with the
--        node's heartbeat (the room script's tick renews it, its sweep removes it).
-- sum:   KEYS[1] the set of live nodes; ARGV prefix of the conns hashes, address. Open
--        connections from an address over the nodes whose heartbeat has not run out.
local op = ARGV[1]

if op == 'count' then
  local address, by, ttlMs = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
  local n = redis.call('HINCRBY', KEYS[1], address, by)
  if n <= 0 then redis.call('HDEL', KEYS[1], address) end
  redis.call('PEXPIRE', KEYS[1], ttlMs)
  return n
end

if op == 'sum' then
  local connsPrefix, address = ARGV[2], ARGV[3]
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local sum = 0
  for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
    sum = sum + tonumber(redis.call('HGET', connsPrefix .. node, address) or '0')
  end
  return sum
end

return redis.error_reply('unknown operation ' .. tostring(op))
