-- The room script behind RedisRoomStore: every change to a room runs inside Redis as one script
-- call, so it is atomic across relay nodes (two nodes can never both admit a room's last member).
-- It follows the rules of rooms.ts. One script, several operations, so one SHA to load.
--
-- Called by room-script.ts only: EVALSHA sha 0 <operation> <context JSON> <arguments JSON>.
-- The context holds the key names (from key-schema.ts, the only place they are made: K.room,
-- K.node and K.conns are prefixes followed by a room or node id) and the fixed TTLs (from
-- config/timing.ts); the arguments are the operation's own, by name.
--
-- Keys:
-- - K.room .. room    hash peerId -> member JSON { n: name, p: polite, c: connection id or false
--                     (offline), d: node id, k: key hash or false, kn: { peerId: 1 } (the peers it
--                     knows), lc: its last connection while offline, of: the offer it left for the
--                     next one to join (SDP; absent when none) }. Removed with its last member;
--                     expires K.roomTtlSeconds after its last change (a safety net).
-- - K.offline         sorted set "room\npeerId" by the time its grace period ends.
-- - K.nodes           sorted set of live relay nodes by when their heartbeat runs out (a closing
--                     node removes itself; the sweep removes dead ones).
-- - K.node .. id      set of "room\npeerId" connected through that node; expires with the node's
--                     heartbeat.
-- - K.stats           hash { rooms, participants } over all nodes; deleted at 0 participants.
-- - K.conns .. id     hash client address -> open connections through that node (kept by
--                     limits/connection-counts.lua); expires with the node's heartbeat, and goes
--                     with the node when it is swept or retires.
--
-- Every key is either removed by the operation that empties it, or swept (offline members whose
-- grace ended, nodes whose heartbeat ran out: their members go offline first), or expires.
-- Times are Redis's own (TIME), so nodes' clocks need not agree.
--
-- Returns JSON: { ok, code?, peerId?, polite?, peers?, resumed?, replaced?, name?, offer?,
-- notices, removed }, where notices are [connectionId, event, message] for the calling node to
-- deliver and removed are [room, peerId, reason] for its log.
local op, K, A = ARGV[1], cjson.decode(ARGV[2]), cjson.decode(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local notices, removed = {}, {}
local function roomKey(room) return K.room .. room end
local function ref(room, id) return room .. '\n' .. id end
local function online(m) return type(m.c) == 'string' end
local function split(r)
  local nl = string.find(r, '\n', 1, true)
  return string.sub(r, 1, nl - 1), string.sub(r, nl + 1)
end
local function load(room, id)
  local raw = redis.call('HGET', roomKey(room), id)
  if raw then return cjson.decode(raw) end
  return nil
end
local function save(room, id, m) redis.call('HSET', roomKey(room), id, cjson.encode(m)) end
local function notify(conn, event, message) notices[#notices + 1] = { conn, event, message } end
local function loadAll(room)
  local all, members = redis.call('HGETALL', roomKey(room)), {}
  for i = 1, #all, 2 do members[all[i]] = cjson.decode(all[i + 1]) end
  return members
end
local function goOffline(room, id, m, graceMs)
  redis.call('SREM', K.node .. m.d, ref(room, id))
  m.lc = m.c
  m.c = false
  m.of = nil
  save(room, id, m)
  redis.call('ZADD', K.offline, now + graceMs, ref(room, id))
  -- Swept long before; the TTL only matters if every node is gone for good.
  redis.call('PEXPIRE', K.offline, graceMs + K.offlineTtlMarginMs)
end
-- All of a node's members go offline, and the node is forgotten (dead, or closing).
local function retire(node, graceMs)
  for _, r in ipairs(redis.call('SMEMBERS', K.node .. node)) do
    local room, id = split(r)
    local m = load(room, id)
    if m and online(m) and m.d == node then goOffline(room, id, m, graceMs) end
  end
  redis.call('DEL', K.node .. node)
  redis.call('DEL', K.conns .. node)
  redis.call('ZREM', K.nodes, node)
end
-- Counts for /healthz across all nodes; the key goes away with the last participant.
local function count(field, by)
  if redis.call('HINCRBY', K.stats, field, by) <= 0 and field == 'participants' then
    redis.call('DEL', K.stats)
  else
    redis.call('EXPIRE', K.stats, K.statsTtlSeconds)
  end
end
local function remove(room, id, m, reason)
  redis.call('HDEL', roomKey(room), id)
  if redis.call('EXISTS', roomKey(room)) == 0 then count('rooms', -1) end
  count('participants', -1)
  redis.call('ZREM', K.offline, ref(room, id))
  if online(m) then redis.call('SREM', K.node .. m.d, ref(room, id)) end
  for oid, o in pairs(loadAll(room)) do
    if o.kn[id] then
      o.kn[id] = nil
      save(room, oid, o)
      if online(o) then notify(o.c, 'peer-left', { peerId = id }) end
    end
  end
  removed[#removed + 1] = { room, id, reason }
end
-- newcomer (id, m) meets o (oid), who is online: the newcomer is the polite one. With taken,
-- the newcomer has o's offer.
local function introduce(room, id, m, oid, o, taken)
  m.kn[oid] = 1
  m.p = true
  o.kn[id] = 1
  o.p = false
  local message = { peerId = id, name = m.n, polite = false }
  if taken then
    o.of = nil
    message.offerTaken = true
  end
  save(room, oid, o)
  notify(o.c, 'peer-joined', message)
end
local function answer(result)
  result.notices = notices
  result.removed = removed
  return cjson.encode(result)
end

if op == 'join' then
  local room, want, keyHash, name, conn, node = A.room, A.peerId, A.keyHash, A.name, A.connectionId, A.nodeId
  local capacity, own, newId, ttl = A.capacity, A.ownPeerId, A.newPeerId, K.roomTtlSeconds
  local members = loadAll(room)
  local m = want ~= '' and members[want] or nil
  if m then
    -- Resume: the same participant on a new connection.
    if m.k == false or keyHash == '' or m.k ~= keyHash then return answer({ ok = false, code = 'rejoin-rejected' }) end
    local replaced = m.c
    if online(m) then redis.call('SREM', K.node .. m.d, ref(room, want)) end
    redis.call('ZREM', K.offline, ref(room, want))
    m.c, m.d, m.lc, m.of = conn, node, nil, nil
    local peers = {}
    for oid, o in pairs(members) do
      if oid ~= want then
        -- Whoever joined while it was offline has never heard of it: introduce them.
        if online(o) and not o.kn[want] then introduce(room, want, m, oid, o) end
        if m.kn[oid] then peers[#peers + 1] = { peerId = oid, name = o.n } end
      end
    end
    save(room, want, m)
    redis.call('SADD', K.node .. node, ref(room, want))
    redis.call('EXPIRE', roomKey(room), ttl)
    return answer({ ok = true, peerId = want, name = m.n, polite = m.p, peers = peers, resumed = true, replaced = replaced })
  end
  local size = 0
  for _ in pairs(members) do size = size + 1 end
  -- Full, offline members included: they keep their seats for the grace period.
  if size >= capacity then return answer({ ok = false, code = 'room-full' }) end
  if size == 0 then count('rooms', 1) end
  count('participants', 1)
  -- Never the id asked for: the one derived from the key (unless taken), else a random one.
  local id = (own ~= '' and not members[own]) and own or newId
  m = { n = name, p = false, c = conn, d = node, k = keyHash ~= '' and keyHash or false, kn = {} }
  local peers, offer = {}, nil
  for oid, o in pairs(members) do
    if online(o) then
      -- The first peer's offer, if it left one, is the newcomer's to answer.
      local taken = #peers == 0 and o.of ~= nil
      if taken then offer = o.of end
      introduce(room, id, m, oid, o, taken)
      peers[#peers + 1] = { peerId = oid, name = o.n }
    end
  end
  save(room, id, m)
  redis.call('SADD', K.node .. node, ref(room, id))
  redis.call('EXPIRE', roomKey(room), ttl)
  return answer({ ok = true, peerId = id, name = name, polite = m.p, peers = peers, resumed = false, replaced = false, offer = offer })
end

if op == 'offer' then
  local room, id, conn, sdp = A.room, A.peerId, A.connectionId, A.sdp
  local m = load(room, id)
  if not m or m.c ~= conn then return answer({ ok = false }) end
  m.of = sdp
  save(room, id, m)
  return answer({ ok = true })
end

if op == 'leave' or op == 'disconnect' or op == 'away' then
  local room, id, conn, graceMs = A.room, A.peerId, A.connectionId, A.graceMs
  local m = load(room, id)
  -- Only the participant's current connection counts (an old one may close after a resume).
  if not m or m.c ~= conn then return answer({ ok = false }) end
  if op == 'away' then
    -- Its page is going away: its peers are told now and forget it (and it them); the seat is
    -- kept for the grace, and a resume introduces them again.
    for oid, o in pairs(loadAll(room)) do
      if oid ~= id and o.kn[id] then
        o.kn[id] = nil
        m.kn[oid] = nil
        save(room, oid, o)
        if online(o) then notify(o.c, 'peer-left', { peerId = id }) end
      end
    end
    save(room, id, m)
  end
  if op == 'leave' then
    remove(room, id, m, 'left')
  elseif graceMs <= 0 then
    remove(room, id, m, 'expired')
  else
    goOffline(room, id, m, graceMs)
  end
  return answer({ ok = true })
end

if op == 'tick' then
  -- A node's heartbeat, and the sweep every node runs (atomic, so running it twice is harmless).
  local node, timeoutMs, keysTtlMs, graceMs = A.nodeId, A.nodeTimeoutMs, A.nodeKeysTtlMs, A.graceMs
  local revived = redis.call('ZADD', K.nodes, now + timeoutMs, node)
  redis.call('PEXPIRE', K.nodes, keysTtlMs)
  redis.call('PEXPIRE', K.node .. node, keysTtlMs)
  redis.call('PEXPIRE', K.conns .. node, keysTtlMs)
  -- Nodes whose heartbeat ran out: their members count as offline from now.
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', K.nodes, '-inf', now, 'LIMIT', 0, A.deadNodeLimit)) do
    retire(dead, graceMs)
  end
  -- Offline members whose grace period is over leave their rooms.
  for _, r in ipairs(redis.call('ZRANGEBYSCORE', K.offline, '-inf', now, 'LIMIT', 0, A.sweepLimit)) do
    local room, id = split(r)
    local m = load(room, id)
    redis.call('ZREM', K.offline, r)
    if m and not online(m) then remove(room, id, m, 'expired') end
  end
  return answer({ ok = true, revived = revived == 1 })
end

if op == 'retire' then
  -- A node closing down: its members go offline now (they may resume on another node).
  retire(A.nodeId, A.graceMs)
  return answer({ ok = true })
end

if op == 'reclaim' then
  -- After Redis was away: a member still connected through this node is put back. Taken for
  -- dead meanwhile (a long pause), it is taken back; lost (Redis restarted empty), it is
  -- restored as it was, knowing whoever is back in its room too, without notices.
  local room, id, conn, node, name, polite, keyHash = A.room, A.peerId, A.connectionId, A.nodeId, A.name, A.polite, A.keyHash
  local capacity, ttl = A.capacity, K.roomTtlSeconds
  local m = load(room, id)
  if m then
    if online(m) or m.lc ~= conn then return answer({ ok = false }) end
    m.c, m.d, m.lc = conn, node, nil
    save(room, id, m)
    redis.call('ZREM', K.offline, ref(room, id))
    redis.call('SADD', K.node .. node, ref(room, id))
    return answer({ ok = true })
  end
  local members, size = loadAll(room), 0
  for _ in pairs(members) do size = size + 1 end
  if size >= capacity then return answer({ ok = false }) end
  m = { n = name, p = polite, c = conn, d = node, k = keyHash ~= '' and keyHash or false, kn = {} }
  for oid, o in pairs(members) do
    m.kn[oid] = 1
    o.kn[id] = 1
    save(room, oid, o)
  end
  if size == 0 then count('rooms', 1) end
  count('participants', 1)
  save(room, id, m)
  redis.call('SADD', K.node .. node, ref(room, id))
  redis.call('EXPIRE', roomKey(room), ttl)
  return answer({ ok = true, restored = true })
end

return redis.error_reply('unknown operation ' .. tostring(op))
