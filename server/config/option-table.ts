/**
 * The relay's options, one row each: its environment variable, where it goes in
 * `SignalingServerOptions`, its rule (parser and check), its default and its help text. The
 * `--help` text, the parsing of the environment, the library's option check and {@link DEFAULTS}
 * are all read from here, so the two ways in cannot disagree.
 */
import { DEFAULT_TOKEN_MAX_AGE_SECONDS, TOKEN_SECRET } from '../auth/access-token.js';
import { DEFAULT_TURN_TTL_SECONDS, type TurnOptions } from '../auth/turn-credentials.js';
import type { SignalingServerOptions } from './options.js';
import {
  iceServers,
  integer,
  nonEmpty,
  oneOf,
  origins,
  positive,
  proxyHops,
  redisUrl,
  seconds,
  text,
  TURN_URL_SCHEMES,
  urls,
  type Rule,
} from './rules.js';
import { HEADERS_TIMEOUT_MS,
  TLS_HANDSHAKE_TIMEOUT_MS, PING_INTERVAL_MS, PING_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './timing.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Accepted `LOG_LEVEL` values. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The options the environment can set: all but `httpServer`, `logger` and `tls` (the CLI reads TLS_CERT and TLS_KEY's files). */
export type RelayOptions = Omit<SignalingServerOptions, 'httpServer' | 'logger' | 'tls'>;

/** What the environment has set so far (`turn` is whole only once both its parts are there). */
export interface Draft {
  port?: number;
  host?: string;
  metricsPort?: number;
  metricsHost?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: LogLevel;
  options: Omit<RelayOptions, 'turn'>;
  turn: Partial<TurnOptions>;
}

/** One option. */
export interface OptionRow<T, D extends T | undefined = T | undefined> {
  /** Its environment variable; absent for options only code can set. */
  env?: string;
  /** Its name in code (`limits.connectionsPerAddress`), or the CLI's own (`port`). */
  key: string;
  rule: Rule<T>;
  default: D;
  /** The default as `--help` shows it, when not `String(default)`. */
  shown?: string;
  help?: string;
  /** Set in the environment only together with this variable. */
  needs?: string;
  /** Its value in code (absent: the CLI's own). */
  read?(options: SignalingServerOptions): unknown;
  /** Required in code once its parent object (`turn`, `rateLimit`) is given. */
  requiredIn?(options: SignalingServerOptions): boolean;
  /** Puts a parsed value where it goes. */
  write(draft: Draft, value: T): void;
}

/** A row of the table, whatever its type: it parses and puts its value itself. */
export interface Option extends Omit<OptionRow<unknown>, 'rule' | 'write' | 'default'> {
  rule: Pick<Rule<unknown>, 'check'>;
  /** A number or a string (or none), so that `--help` can print it. */
  default: number | string | undefined;
  /** Parses the variable's text and puts the value in `draft`; `false` when the text counts as unset. */
  take(draft: Draft, text: string, name: string): boolean;
}

/** A row, with its default's literal type kept (for {@link DEFAULTS}). */
function row<T, const D extends (T & (number | string)) | undefined = undefined>(spec: OptionRow<T, D>): OptionRow<T, D> & Option {
  return {
    ...spec,
    take(draft, text, name) {
      const value = spec.rule.parse(text, name);
      if (value === undefined) return false;
      spec.write(draft, value);
      return true;
    },
  };
}

const port = row({
  env: 'PORT', key: 'port', rule: integer(0, 65535), default: 8080,
  help: 'Port to listen on (0: any free port). Same as --port.',
  write: (draft, value) => void (draft.port = value),
});
const host = row({
  env: 'HOST', key: 'host', rule: text, default: '127.0.0.1',
  help: 'Address to listen on; 0.0.0.0 for all interfaces (e.g. behind a reverse proxy). Same as --host.',
  write: (draft, value) => void (draft.host = value),
});
const metricsPort = row({
  env: 'METRICS_PORT', key: 'metricsPort', rule: integer(0, 65535), default: undefined, shown: 'none: no metrics listener',
  help: 'Serve Prometheus metrics at /metrics on this port (0: any free one), never on the public port',
  write: (draft, value) => void (draft.metricsPort = value),
});
const metricsHost = row({
  env: 'METRICS_HOST', key: 'metricsHost', rule: text, default: '127.0.0.1', needs: 'METRICS_PORT',
  help: 'Address of the metrics listener (keep it private: the counts are for the operator)',
  write: (draft, value) => void (draft.metricsHost = value),
});
const tlsCert = row({
  env: 'TLS_CERT', key: 'tlsCert', rule: text, default: undefined, needs: 'TLS_KEY',
  help: 'PEM file of the certificate (with its chain): serve HTTPS and WSS on the same port, without a proxy; re-read on SIGHUP',
  write: (draft, value) => void (draft.tlsCert = value),
});
const tlsKey = row({
  env: 'TLS_KEY', key: 'tlsKey', rule: text, default: undefined, needs: 'TLS_CERT',
  help: 'PEM file of its private key; re-read on SIGHUP',
  write: (draft, value) => void (draft.tlsKey = value),
});
const allowedOrigins = row({
  env: 'ALLOWED_ORIGINS', key: 'allowedOrigins', rule: origins, default: undefined, shown: 'any',
  help: 'Comma-separated page origins allowed to connect, e.g. https://shop.example.com',
  read: (options) => options.allowedOrigins,
  write: (draft, value) => void (draft.options.allowedOrigins = value),
});
const turnUrls = row({
  env: 'TURN_URLS', key: 'turn.urls', rule: urls(TURN_URL_SCHEMES), default: undefined, needs: 'TURN_SECRET',
  help: 'Comma-separated turn:/turns:/stun: URLs of a coturn server using use-auth-secret',
  read: (options) => options.turn?.urls,
  requiredIn: (options) => options.turn !== undefined,
  write: (draft, value) => void (draft.turn.urls = value),
});
const turnSecret = row({
  env: 'TURN_SECRET', key: 'turn.secret', rule: nonEmpty, default: undefined, needs: 'TURN_URLS',
  help: "coturn's static-auth-secret; required with TURN_URLS (and only with it)",
  read: (options) => options.turn?.secret,
  requiredIn: (options) => options.turn !== undefined,
  write: (draft, value) => void (draft.turn.secret = value),
});
const turnTtl = row({
  env: 'TURN_TTL', key: 'turn.ttlSeconds', rule: integer(1, 86_400), default: DEFAULT_TURN_TTL_SECONDS, needs: 'TURN_URLS',
  help: 'Lifetime of handed-out TURN credentials, in seconds (at most 86400)',
  read: (options) => options.turn?.ttlSeconds,
  write: (draft, value) => void (draft.turn.ttlSeconds = value),
});
const iceServerList = row({
  env: 'ICE_SERVERS', key: 'iceServers', rule: iceServers, default: undefined,
  help: 'Extra ICE servers for every joiner: comma-separated stun:/turn: URLs, or a JSON array of RTCIceServer',
  read: (options) => options.iceServers,
  write: (draft, value) => void (draft.options.iceServers = value),
});
const roomCapacity = row({
  env: 'ROOM_CAPACITY', key: 'roomCapacity', rule: integer(2, 1000), default: 2,
  help: 'Participants per room (at least 2)',
  read: (options) => options.roomCapacity,
  write: (draft, value) => void (draft.options.roomCapacity = value),
});
const tokenSecret = row({
  env: 'TOKEN_SECRET', key: 'tokenSecret', rule: TOKEN_SECRET.rule, default: undefined,
  help: `When set, joining requires an access token (JWT HS256) signed with it; at least ${TOKEN_SECRET.minLength} characters`,
  read: (options) => options.tokenSecret,
  write: (draft, value) => void (draft.options.tokenSecret = value),
});
const tokenMaxAge = row({
  env: 'TOKEN_MAX_AGE', key: 'tokenMaxAgeSeconds', rule: integer(60, 31_536_000), default: DEFAULT_TOKEN_MAX_AGE_SECONDS, needs: 'TOKEN_SECRET',
  help: 'The longest an access token may still be valid when presented, in seconds (a longer-lived one is refused)',
  read: (options) => options.tokenMaxAgeSeconds,
  write: (draft, value) => void (draft.options.tokenMaxAgeSeconds = value),
});
const maxPayloadBytes = row({
  env: 'MAX_PAYLOAD_BYTES', key: 'maxPayloadBytes', rule: integer(1024, 100 * 1024 * 1024), default: 100 * 1024,
  help: 'Largest inbound message; a larger one closes the connection',
  read: (options) => options.maxPayloadBytes,
  write: (draft, value) => void (draft.options.maxPayloadBytes = value),
});
const rejoinGraceMs = row({
  env: 'REJOIN_GRACE', key: 'rejoinGraceMs', rule: seconds(3600 * 1000), default: 5000, shown: '5',
  help: 'Seconds a participant whose connection dropped keeps its place',
  read: (options) => options.rejoinGraceMs,
  write: (draft, value) => void (draft.options.rejoinGraceMs = value),
});
const redis = row({
  env: 'REDIS_URL', key: 'redis', rule: redisUrl, default: undefined,
  help: 'Run as one of many relay nodes sharing rooms in this Redis, e.g. redis://127.0.0.1:6379 (none: one process, rooms in memory)',
  read: (options) => options.redis,
  write: (draft, value) => void (draft.options.redis = value),
});
const redisPrefix = row({
  env: 'REDIS_PREFIX', key: 'redisPrefix', rule: text, default: 'p2p-video-call:',
  help: 'Prefix of the Redis keys and channels; nodes that act as one share it',
  read: (options) => options.redisPrefix,
  write: (draft, value) => void (draft.options.redisPrefix = value),
});
// Defaults a normal site never reaches. One address can be many people: a support centre's agents
// behind one NAT, or a mobile carrier's customers behind carrier-grade NAT. The limits are there
// to stop one address from taking a node's capacity, not to ration visitors.
const connectionsPerAddress = row({
  env: 'MAX_CONNECTIONS_PER_ADDRESS', key: 'limits.connectionsPerAddress', rule: integer(1, 1_000_000), default: 500,
  help: 'Open connections one client address may have; counted over all nodes with REDIS_URL',
  read: (options) => options.limits?.connectionsPerAddress,
  write: (draft, value) => void ((draft.options.limits ??= {}).connectionsPerAddress = value),
});
const joinsPerAddressPerMinute = row({
  env: 'MAX_JOINS_PER_MINUTE', key: 'limits.joinsPerAddressPerMinute', rule: integer(1, 1_000_000), default: 600,
  help: 'Joins (calls started or resumed) per client address per minute; shared by all nodes with REDIS_URL',
  read: (options) => options.limits?.joinsPerAddressPerMinute,
  write: (draft, value) => void ((draft.options.limits ??= {}).joinsPerAddressPerMinute = value),
});
const connectionsPerNode = row({
  env: 'MAX_CONNECTIONS', key: 'limits.connectionsPerNode', rule: integer(1, 10_000_000), default: 20_000,
  help: 'Open connections on this node',
  read: (options) => options.limits?.connectionsPerNode,
  write: (draft, value) => void ((draft.options.limits ??= {}).connectionsPerNode = value),
});
const trustProxy = row({
  env: 'TRUST_PROXY', key: 'trustProxy', rule: proxyHops, default: 0,
  help: 'Reverse proxies in front of the relay whose X-Forwarded-For gives the client address: a number of hops, or true for one (0: use the TCP peer address)',
  read: (options) => options.trustProxy,
  write: (draft, value) => void (draft.options.trustProxy = value),
});
const logLevel = row({
  env: 'LOG_LEVEL', key: 'logLevel', rule: oneOf(LOG_LEVELS), default: 'info',
  help: `One of ${LOG_LEVELS.join(', ')}`,
  write: (draft, value) => void (draft.logLevel = value),
});
// Only code sets these: with no variable, nothing is ever parsed for them, so `write` is never called.
const ratePoints = row({
  key: 'rateLimit.points', rule: integer(1), default: 200,
  read: (options) => options.rateLimit?.points,
  write: () => {}, // eslint-disable-line @typescript-eslint/no-empty-function -- never called (no variable)
});
const rateWindow = row({
  key: 'rateLimit.durationSeconds', rule: positive, default: 10,
  read: (options) => options.rateLimit?.durationSeconds,
  requiredIn: (options) => options.rateLimit !== undefined,
  write: () => {}, // eslint-disable-line @typescript-eslint/no-empty-function -- never called (no variable)
});
const connectTimeoutMs = row({
  key: 'connectTimeoutMs', rule: integer(100), default: 10_000,
  read: (options) => options.connectTimeoutMs,
  write: () => {}, // eslint-disable-line @typescript-eslint/no-empty-function -- never called (no variable)
});

/** Every option, in the order `--help` lists them. */
export const OPTION_TABLE: readonly Option[] = [
  port, host, metricsPort, metricsHost, tlsCert, tlsKey, allowedOrigins, turnUrls, turnSecret, turnTtl, iceServerList, roomCapacity, tokenSecret, tokenMaxAge, maxPayloadBytes,
  rejoinGraceMs, redis, redisPrefix, connectionsPerAddress, joinsPerAddressPerMinute, connectionsPerNode, trustProxy,
  logLevel, ratePoints, rateWindow, connectTimeoutMs,
];

/** Defaults of `SignalingServerOptions` (and the relay's fixed heartbeat and HTTP timeouts). */
export const DEFAULTS = {
  roomCapacity: roomCapacity.default,
  maxPayloadBytes: maxPayloadBytes.default,
  rejoinGraceMs: rejoinGraceMs.default,
  turnTtlSeconds: turnTtl.default,
  tokenMaxAgeSeconds: tokenMaxAge.default,
  rateLimit: { points: ratePoints.default, durationSeconds: rateWindow.default },
  /** Socket.IO heartbeat: a dead connection is noticed within about 15 s. */
  pingIntervalMs: PING_INTERVAL_MS,
  pingTimeoutMs: PING_TIMEOUT_MS,
  redisPrefix: redisPrefix.default,
  limits: {
    connectionsPerAddress: connectionsPerAddress.default,
    joinsPerAddressPerMinute: joinsPerAddressPerMinute.default,
    connectionsPerNode: connectionsPerNode.default,
  },
  connectTimeoutMs: connectTimeoutMs.default,
  /** HTTP: all of a request's headers within 10 s, the whole request within 30 s (slowloris). */
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  tlsHandshakeTimeoutMs: TLS_HANDSHAKE_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
} as const;

/** Default port and host of the CLI. */
export const DEFAULT_PORT = port.default;
export const DEFAULT_HOST = host.default;
export const DEFAULT_METRICS_HOST = metricsHost.default;
export const DEFAULT_LOG_LEVEL = logLevel.default;
