/**
 * Options of `createSignalingServer`. Their defaults and rules are rows of `option-table.ts`;
 * `check-options.ts` turns a misconfiguration into an immediate, plain error instead of a relay
 * that misbehaves later.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { RTCIceServerInit } from '../../src/protocol.js';
import type { TurnOptions } from '../auth/turn-credentials.js';
import type { HttpHandlerOptions } from '../http/http-handler.js';
import type { ConnectionLimitOptions } from '../limits/connection-limits.js';
import type { RateLimitOptions } from '../limits/rate-limit.js';
import type { RedisClient } from '../rooms/redis/redis-link.js';

/** A PEM certificate (with its chain) and its private key. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

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
  /** The longest a token may still be valid when it is presented, in seconds (its `exp` at most this far ahead). Default 86400. */
  tokenMaxAgeSeconds?: number;
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
  /**
   * Serve HTTPS and WSS on the server this function creates (ignored with `httpServer`): a PEM
   * certificate (chain) and its private key. Swap them later, without dropping a connection,
   * with `reloadTls()` (the CLI does on SIGHUP). Default: plain HTTP (TLS ends at your proxy).
   */
  tls?: TlsFiles;
  /** A pino logger, or `false` for silence. Default: a pino logger at `info` on stdout. */
  logger?: Logger | false;
  /**
   * Files served by the http server this function creates (ignored with `httpServer`).
   * Default: the package's `dist/p2p-video-call.js` and `demo/index.html`. `false`: only
   * `/healthz`.
   */
  staticFiles?: Omit<HttpHandlerOptions, 'health'> | false;
}
