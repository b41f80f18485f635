/**
 * Every fixed duration of the relay in one place: heartbeats, sweeps, time-to-live of the Redis
 * keys, HTTP and Redis timeouts. The ones a deployment may change are options (see
 * `option-table.ts`: the rejoin grace, the connect timeout); these are not. The Lua scripts
 * receive the ones they need as arguments.
 */

/** Socket.IO heartbeat: a dead connection is noticed within about 15 s. */
export const PING_INTERVAL_MS = 10_000;
export const PING_TIMEOUT_MS = 5_000;

/** HTTP: all of a request's headers within 10 s, the whole request within 30 s (slowloris). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** TLS: a handshake within 10 s (Node's default, 120 s, lets a silent client hold a socket for 2 min). */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** How often a relay node beats (and sweeps) in Redis. */
export const HEARTBEAT_MS = 1000;
/** A node silent this long counts as dead: its members go offline. */
export const NODE_TIMEOUT_MS = 5000;
/**
 * A node's own keys (its members, its connection counts) outlive its last beat by this much when
 * nobody sweeps it: twice its timeout, so a live node's keys never expire between two beats.
 */
export const nodeKeysTtlMs = (nodeTimeoutMs: number): number => 2 * nodeTimeoutMs;
/** Most offline members removed by one sweep (the next sweep takes the rest). */
export const SWEEP_LIMIT = 500;
/** Most dead nodes retired by one sweep. */
export const DEAD_NODES_PER_SWEEP = 10;

/** A room's key lives this long after its last change: a safety net, members are removed explicitly. */
export const ROOM_TTL_SECONDS = 24 * 60 * 60;
/** The shared counts for /healthz live this long after their last change (a safety net too). */
export const STATS_TTL_SECONDS = 24 * 60 * 60;
/**
 * The set of offline members outlives its latest grace period by this much; swept long before,
 * it only matters if every node is gone for good.
 */
export const OFFLINE_TTL_MARGIN_MS = 60 * 60 * 1000;

/** Joins per address are counted per this window (`MAX_JOINS_PER_MINUTE`). */
export const JOIN_WINDOW_SECONDS = 60;

/** Redis: give up a connection attempt after 2 s; retry after 50 ms, 100 ms, … up to 1 s. */
export const REDIS_CONNECT_TIMEOUT_MS = 2000;
export const redisReconnectDelayMs = (retries: number): number => Math.min(50 * 2 ** retries, 1000);

/** The CLI exits anyway this long after SIGTERM, should something keep the event loop alive. */
export const SHUTDOWN_DEADLINE_MS = 5000;
