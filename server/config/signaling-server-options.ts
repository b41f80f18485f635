/**
 * Options of {@link createSignalingServer}, their defaults, and the checks that turn a
 * misconfiguration into an immediate, plain error instead of a relay that misbehaves later.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { RTCIceServerInit } from '../../src/protocol.js';
import { TOKEN_SECRET_MIN_LENGTH } from '../auth/access-token.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimitOptions } from '../limits/connection-limits.js';
import type { HttpHandlerOptions } from '../http/http-handler.js';
import type { RedisClient } from '../rooms/redis/redis-link.js';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from '../limits/rate-limit.js';
import { DEFAULT_TURN_TTL_SECONDS, type TurnOptions } from '../auth/turn-credentials.js';

/** Options of `createSignalingServer`. All are optional. */
export interface SignalingServerOptions {
  /**
   * Attach to this server (its other routes keep working). Default: a new `http.Server` that
   * also serves `/healthz`, `/p2p-video-call.js` and the demo at `/` (see `staticFiles`).
   */
  httpServer?: HttpServer | HttpsServer;
  /**
   * Page origins allowed to connect, e.g. `['https://shop.example.com']`. Default: any origin
   * (the element is embedded on other sites). Checked for polling and WebSocket alike;
   * connections without an `Origin` header (non-browser clients) are always allowed.
   */
  allowedOrigins?: string[];
  /** Most participants per room, including ones briefly offline. Default 2 (a 1:1 call). */
  roomCapacity?: number;
  /** coturn with `use-auth-secret`: every joiner gets short-lived credentials for these URLs. */
  turn?: TurnOptions;
  /** Extra ICE servers handed to every joiner (e.g. your own STUN). Default none. */
  iceServers?: RTCIceServerInit[];
  /** Largest inbound message in bytes (Socket.IO `maxHttpBufferSize`); larger closes the connection. Default 102400. */
  maxPayloadBytes?: number;
  /** When set, `join` requires an access token signed with this secret (see `createAccessToken`). At least 16 characters. */
  tokenSecret?: string;
  /** How long a participant whose connection dropped keeps its place, in ms. Default 5000. */
  rejoinGraceMs?: number;
  /** Per-connection message budget. Default 200 events per 10 s. */
  rateLimit?: RateLimitOptions;
  /**
   * Limits per client address and per node (see {@link ConnectionLimitOptions}); any left out
   * keep their default: 500 open connections per address and 600 joins per address per minute
   * (both counted over all nodes with `redis`), 20000 open connections per node.
   */
  limits?: Partial<ConnectionLimitOptions>;
  /**
   * Reverse proxies in front of the relay whose `X-Forwarded-For` is trusted for the client's
   * address (`true`: one). Default 0: the TCP peer's address (behind a proxy, every client
   * would then count as the proxy's address).
   */
  trustProxy?: number | boolean;
  /**
   * How long a connection may take to complete the Socket.IO handshake after its transport
   * opened, in ms; slower ones are closed. Default 10000.
   */
  connectTimeoutMs?: number;
  /**
   * Run as one node of many: rooms, resume keys, the rejoin grace and capacity live in this
   * Redis, and messages reach connections on other nodes through it (`@socket.io/redis-adapter`).
   * A `redis://` URL, or a node-redis client (`createClient()`; the relay does not close it).
   * Default: none, one process with rooms in memory.
   */
  redis?: string | RedisClient;
  /** Prefix of the relay's Redis keys and channels; nodes that act as one share it. Default `p2p-video-call:`. */
  redisPrefix?: string;
  /** A pino logger, or `false` for silence. Default: a pino logger at `info` on stdout. */
  logger?: Logger | false;
  /**
   * Files served by the http server this function creates (ignored with `httpServer`).
   * Default: the package's `dist/p2p-video-call.js` and `demo/index.html`. `false`: only
   * `/healthz`.
   */
  staticFiles?: Omit<HttpHandlerOptions, 'health'> | false;
}

/** Defaults of {@link SignalingServerOptions}. */
export const DEFAULTS = {
  roomCapacity: 2,
  maxPayloadBytes: 100 * 1024,
  rejoinGraceMs: 5000,
  turnTtlSeconds: DEFAULT_TURN_TTL_SECONDS,
  rateLimit: DEFAULT_RATE_LIMIT,
  /** Socket.IO heartbeat: a dead connection is noticed within about 15 s. */
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
  redisPrefix: 'p2p-video-call:',
  limits: DEFAULT_CONNECTION_LIMITS,
  connectTimeoutMs: 10_000,
  /** HTTP: all of a request's headers within 10 s, the whole request within 30 s (slowloris). */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

/** Schemes accepted in ICE server URLs. */
export const ICE_URL_SCHEMES = ['stun:', 'stuns:', 'turn:', 'turns:'] as const;

/** Throw a `TypeError`/`RangeError` with a plain message if an option is unusable. */
export function checkOptions(options: SignalingServerOptions): void {
  const integer = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new RangeError(`createSignalingServer: ${name} must be an integer >= ${min}, got ${String(value)}`);
    }
  };
  integer('roomCapacity', options.roomCapacity, 2);
  integer('maxPayloadBytes', options.maxPayloadBytes, 1024);
  if (options.rejoinGraceMs !== undefined && !(Number.isFinite(options.rejoinGraceMs) && options.rejoinGraceMs >= 0)) {
    throw new RangeError(`createSignalingServer: rejoinGraceMs must be a number >= 0, got ${String(options.rejoinGraceMs)}`);
  }
  if (options.rateLimit !== undefined) {
    integer('rateLimit.points', options.rateLimit.points, 1);
    if (!(options.rateLimit.durationSeconds > 0)) {
      throw new RangeError('createSignalingServer: rateLimit.durationSeconds must be > 0');
    }
  }
  for (const [name, value] of Object.entries(options.limits ?? {})) integer(`limits.${name}`, value, 1);
  if (typeof options.trustProxy === 'number') integer('trustProxy', options.trustProxy, 0);
  integer('connectTimeoutMs', options.connectTimeoutMs, 100);
  if (typeof options.redis === 'string' && !/^rediss?:\/\/./.test(options.redis)) {
    throw new TypeError(`createSignalingServer: redis must be a redis:// or rediss:// URL, got "${options.redis}"`);
  }
  for (const origin of options.allowedOrigins ?? []) {
    if (!isOrigin(origin)) {
      throw new TypeError(`createSignalingServer: allowedOrigins: "${origin}" is not an origin like https://example.com`);
    }
  }
  if (options.tokenSecret !== undefined && options.tokenSecret.length < TOKEN_SECRET_MIN_LENGTH) {
    throw new RangeError(`createSignalingServer: tokenSecret must be at least ${TOKEN_SECRET_MIN_LENGTH} characters`);
  }
  if (options.turn !== undefined) {
    const { urls, secret, ttlSeconds } = options.turn;
    if (!Array.isArray(urls) || urls.length === 0) throw new TypeError('createSignalingServer: turn.urls must list at least one URL');
    for (const url of urls) checkIceUrl(`turn.urls`, url);
    if (typeof secret !== 'string' || secret === '') throw new TypeError('createSignalingServer: turn.secret must not be empty');
    integer('turn.ttlSeconds', ttlSeconds, 1);
  }
  for (const server of options.iceServers ?? []) {
    const urls = typeof server?.urls === 'string' ? [server.urls] : server?.urls;
    if (!Array.isArray(urls) || urls.length === 0) throw new TypeError('createSignalingServer: iceServers entries need urls');
    for (const url of urls) checkIceUrl('iceServers', url);
  }
}

/** Whether `value` is exactly an origin (`scheme://host[:port]`, no path). */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return url.origin !== 'null' && url.origin === value;
  } catch {
    return false;
  }
}

/** Whether an ICE server URL has one of {@link ICE_URL_SCHEMES} and something after it. */
export function isIceUrl(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ICE_URL_SCHEMES.some((scheme) => value.startsWith(scheme) && value.length > scheme.length) &&
    !/\s/.test(value)
  );
}

function checkIceUrl(name: string, url: unknown): void {
  if (!isIceUrl(url)) {
    throw new TypeError(`createSignalingServer: ${name}: "${String(url)}" is not a stun:, stuns:, turn: or turns: URL`);
  }
}
