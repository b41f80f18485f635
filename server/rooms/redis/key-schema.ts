/**
 * Every Redis key and channel the relay uses, named in this one place (the Lua scripts get their
 * names from here too, as {@link ScriptKeys}). `P` is the prefix, `p2p-video-call:` by default;
 * nodes that act as one share it. What each key holds is described in `room-script.lua`.
 */

/** The key names under one prefix. */
export interface RedisKeys {
  /** hash peerId → member, one per room. */
  room(room: string): string;
  /** set of the members connected through one node. */
  node(nodeId: string): string;
  /** hash client address → open connections through one node (the connection limits). */
  conns(nodeId: string): string;
  /** sorted set of offline members by the end of their grace period. */
  readonly offline: string;
  /** sorted set of live nodes by when their heartbeat runs out. */
  readonly nodes: string;
  /** hash { rooms, participants } over all nodes. */
  readonly stats: string;
  /** prefix of the join rate limiter's keys (rate-limiter-flexible). */
  readonly joins: string;
  /** key of the Socket.IO adapter's channels (`@socket.io/redis-adapter`). */
  readonly adapter: string;
  /** The same names as the Lua scripts take them. */
  readonly script: ScriptKeys;
}

/** Fixed key names, and the prefixes of the per-room and per-node ones (followed by the id). */
export interface ScriptKeys {
  room: string;
  node: string;
  conns: string;
  offline: string;
  nodes: string;
  stats: string;
}

/** The relay's keys under `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  const script: ScriptKeys = {
    room: `${prefix}room:`,
    node: `${prefix}node:`,
    conns: `${prefix}conns:`,
    offline: `${prefix}offline`,
    nodes: `${prefix}nodes`,
    stats: `${prefix}stats`,
  };
  return {
    room: (room) => script.room + room,
    node: (nodeId) => script.node + nodeId,
    conns: (nodeId) => script.conns + nodeId,
    offline: script.offline,
    nodes: script.nodes,
    stats: script.stats,
    joins: `${prefix}joins`,
    adapter: `${prefix}socket.io`,
    script,
  };
}
