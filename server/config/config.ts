/**
 * The relay's configuration from the environment and the command line: a pure function, so
 * every rule can be tested without starting anything. A bad value throws a {@link ConfigError}
 * whose message names the variable and says what it must be.
 */
import type { RTCIceServerInit } from '../../src/protocol.js';
import { TOKEN_SECRET_MIN_LENGTH } from '../auth/access-token.js';
import { DEFAULTS, isIceUrl, isOrigin, type SignalingServerOptions } from './signaling-server-options.js';

/** A configuration value that cannot be used. The message is one line, meant for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What the CLI needs to start the relay. */
export interface RelayConfig {
  /** `--help` was given: print {@link usage} and exit. Nothing else is filled in then. */
  help: boolean;
  port: number;
  host: string;
  /** pino level. */
  logLevel: LogLevel;
  /** Options for `createSignalingServer` (without `httpServer` and `logger`). */
  options: Omit<SignalingServerOptions, 'httpServer' | 'logger'>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Accepted `LOG_LEVEL` values. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Default port and host. */
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

/** Every environment variable the relay reads, for `--help` and the README. */
export const ENVIRONMENT = [
  ['PORT', String(DEFAULT_PORT), 'Port to listen on (0: any free port). Same as --port.'],
  ['HOST', DEFAULT_HOST, 'Address to listen on; 0.0.0.0 for all interfaces (e.g. behind a reverse proxy). Same as --host.'],
  ['ALLOWED_ORIGINS', 'any', 'Comma-separated page origins allowed to connect, e.g. https://shop.example.com'],
  ['TURN_URLS', 'none', 'Comma-separated turn:/turns:/stun: URLs of a coturn server using use-auth-secret'],
  ['TURN_SECRET', 'none', "coturn's static-auth-secret; required with TURN_URLS (and only with it)"],
  ['TURN_TTL', String(DEFAULTS.turnTtlSeconds), 'Lifetime of handed-out TURN credentials, in seconds'],
  ['ICE_SERVERS', 'none', 'Extra ICE servers for every joiner: comma-separated stun:/turn: URLs, or a JSON array of RTCIceServer'],
  ['ROOM_CAPACITY', String(DEFAULTS.roomCapacity), 'Participants per room (at least 2)'],
  ['TOKEN_SECRET', 'none', `When set, joining requires an access token (JWT HS256) signed with it; at least ${TOKEN_SECRET_MIN_LENGTH} characters`],
  ['MAX_PAYLOAD_BYTES', String(DEFAULTS.maxPayloadBytes), 'Largest inbound message; a larger one closes the connection'],
  ['REJOIN_GRACE', String(DEFAULTS.rejoinGraceMs / 1000), 'Seconds a participant whose connection dropped keeps its place'],
  ['REDIS_URL', 'none', 'Run as one of many relay nodes sharing rooms in this Redis, e.g. redis://127.0.0.1:6379 (none: one process, rooms in memory)'],
  ['REDIS_PREFIX', 'p2p-video-call:', 'Prefix of the Redis keys and channels; nodes that act as one share it'],
  ['MAX_CONNECTIONS_PER_ADDRESS', String(DEFAULTS.limits.connectionsPerAddress), 'Open connections one client address may have; counted over all nodes with REDIS_URL'],
  ['MAX_JOINS_PER_MINUTE', String(DEFAULTS.limits.joinsPerAddressPerMinute), 'Joins (calls started or resumed) per client address per minute; shared by all nodes with REDIS_URL'],
  ['MAX_CONNECTIONS', String(DEFAULTS.limits.connectionsPerNode), 'Open connections on this node'],
  ['TRUST_PROXY', '0', 'Reverse proxies in front of the relay whose X-Forwarded-For gives the client address: a number of hops, or true for one (0: use the TCP peer address)'],
  ['LOG_LEVEL', 'info', `One of ${LOG_LEVELS.join(', ')}`],
] as const;

/** The `--help` text. */
export function usage(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length)) + 2;
  return [
    'Usage: p2p-video-call-server [--port N] [--host H] [--help]',
    '',
    'The signaling relay for <p2p-video-call>. Serves Socket.IO, the drop-in bundle at',
    '/p2p-video-call.js, a demo page at / and /healthz.',
    '',
    'Options:',
    '  --port N   port to listen on (overrides PORT)',
    '  --host H   address to listen on (overrides HOST)',
    '  --help     show this help',
    '',
    'Environment variables (default in brackets):',
    ...ENVIRONMENT.map(([name, fallback, meaning]) => `  ${name.padEnd(width)}${meaning} [${fallback}]`),
    '',
  ].join('\n');
}

/**
 * Build the relay configuration from environment variables and command-line arguments
 * (without the node and script paths). Command-line flags win over the environment.
 *
 * @throws {ConfigError} on an unknown flag or an unusable value.
 * @example
 * ```ts
 * const config = parseConfig(process.env, process.argv.slice(2));
 * ```
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): RelayConfig {
  const flags = parseArgv(argv);
  const help: RelayConfig = { help: true, port: DEFAULT_PORT, host: DEFAULT_HOST, logLevel: 'info', options: {} };
  if (flags.help) return help;
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = integer(flags.port === undefined ? 'PORT' : '--port', flags.port ?? get('PORT'), 0, 65535) ?? DEFAULT_PORT;
  const host = flags.host ?? get('HOST') ?? DEFAULT_HOST;
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const options: RelayConfig['options'] = {};
  const allowedOrigins = list(get('ALLOWED_ORIGINS'));
  if (allowedOrigins !== undefined) {
    const bad = allowedOrigins.find((origin) => !isOrigin(origin));
    if (bad !== undefined) {
      throw new ConfigError(`ALLOWED_ORIGINS: "${bad}" is not an origin like https://shop.example.com (no path, no trailing slash)`);
    }
    options.allowedOrigins = allowedOrigins;
  }

  const turnUrls = list(get('TURN_URLS'));
  const turnSecret = get('TURN_SECRET');
  const turnTtl = integer('TURN_TTL', get('TURN_TTL'), 1, Number.MAX_SAFE_INTEGER);
  if ((turnUrls === undefined) !== (turnSecret === undefined)) {
    throw new ConfigError(turnUrls === undefined ? 'TURN_SECRET is set but TURN_URLS is not' : 'TURN_URLS is set but TURN_SECRET is not');
  }
  if (turnUrls !== undefined && turnSecret !== undefined) {
    const bad = turnUrls.find((url) => !isIceUrl(url) || url.startsWith('stuns:'));
    if (bad !== undefined) throw new ConfigError(`TURN_URLS: "${bad}" is not a turn:, turns: or stun: URL`);
    options.turn = { urls: turnUrls, secret: turnSecret, ...(turnTtl === undefined ? {} : { ttlSeconds: turnTtl }) };
  } else if (turnTtl !== undefined) {
    throw new ConfigError('TURN_TTL is set but TURN_URLS is not');
  }

  const iceServers = get('ICE_SERVERS');
  if (iceServers !== undefined) options.iceServers = parseIceServers(iceServers);

  const capacity = integer('ROOM_CAPACITY', get('ROOM_CAPACITY'), 2, 1000);
  if (capacity !== undefined) options.roomCapacity = capacity;

  const tokenSecret = get('TOKEN_SECRET');
  if (tokenSecret !== undefined) {
    if (tokenSecret.length < TOKEN_SECRET_MIN_LENGTH) {
      throw new ConfigError(`TOKEN_SECRET must be at least ${TOKEN_SECRET_MIN_LENGTH} characters (use a long random string)`);
    }
    options.tokenSecret = tokenSecret;
  }

  const maxPayload = integer('MAX_PAYLOAD_BYTES', get('MAX_PAYLOAD_BYTES'), 1024, 100 * 1024 * 1024);
  if (maxPayload !== undefined) options.maxPayloadBytes = maxPayload;

  const grace = get('REJOIN_GRACE');
  if (grace !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(grace) || Number(grace) > 3600) {
      throw new ConfigError(`REJOIN_GRACE must be a number of seconds from 0 to 3600, got "${grace}"`);
    }
    options.rejoinGraceMs = Math.round(Number(grace) * 1000);
  }

  const limits: NonNullable<RelayConfig['options']['limits']> = {};
  const perAddress = integer('MAX_CONNECTIONS_PER_ADDRESS', get('MAX_CONNECTIONS_PER_ADDRESS'), 1, 1_000_000);
  if (perAddress !== undefined) limits.connectionsPerAddress = perAddress;
  const joins = integer('MAX_JOINS_PER_MINUTE', get('MAX_JOINS_PER_MINUTE'), 1, 1_000_000);
  if (joins !== undefined) limits.joinsPerAddressPerMinute = joins;
  const total = integer('MAX_CONNECTIONS', get('MAX_CONNECTIONS'), 1, 10_000_000);
  if (total !== undefined) limits.connectionsPerNode = total;
  if (Object.keys(limits).length > 0) options.limits = limits;
  const trustProxy = get('TRUST_PROXY');
  if (trustProxy !== undefined) {
    if (trustProxy === 'true') options.trustProxy = 1;
    else if (trustProxy === 'false') options.trustProxy = 0;
    else options.trustProxy = integer('TRUST_PROXY', trustProxy, 0, 10) ?? 0;
  }

  const redis = get('REDIS_URL');
  if (redis !== undefined) {
    if (!/^rediss?:\/\/./.test(redis)) throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redis}"`);
    options.redis = redis;
  }
  const redisPrefix = get('REDIS_PREFIX');
  if (redisPrefix !== undefined) options.redisPrefix = redisPrefix;

  return { help: false, port, host, logLevel: logLevel as LogLevel, options };
}

function parseArgv(argv: readonly string[]): { help: boolean; port?: string; host?: string } {
  const flags: { help: boolean; port?: string; host?: string } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      flags.help = true;
      continue;
    }
    const match = /^--(port|host)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      throw new ConfigError(arg.startsWith('-') ? `unknown option "${arg}"` : `unexpected argument "${arg}"`);
    }
    const name = match[1] as 'port' | 'host';
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '' || (match[2] === undefined && value.startsWith('--'))) {
      throw new ConfigError(`--${name} needs a value`);
    }
    flags[name] = value;
  }
  return flags;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be an integer ${range}, got "${value}"`);
  }
  return number;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length === 0 ? undefined : items;
}

function parseIceServers(value: string): RTCIceServerInit[] {
  if (!value.startsWith('[')) {
    const urls = list(value) ?? [];
    const bad = urls.find((url) => !isIceUrl(url));
    if (bad !== undefined) throw new ConfigError(`ICE_SERVERS: "${bad}" is not a stun:, stuns:, turn: or turns: URL`);
    return urls.map((url) => ({ urls: url }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError('ICE_SERVERS starts with "[" but is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('ICE_SERVERS must be a JSON array');
  return parsed.map((entry: unknown, index): RTCIceServerInit => {
    const where = `ICE_SERVERS[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new ConfigError(`${where} must be an object with urls`);
    const { urls, username, credential } = entry as Record<string, unknown>;
    const urlList = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(urlList) || urlList.length === 0 || !urlList.every(isIceUrl)) {
      throw new ConfigError(`${where}.urls must be stun:/turn: URLs`);
    }
    if ((username !== undefined && typeof username !== 'string') || (credential !== undefined && typeof credential !== 'string')) {
      throw new ConfigError(`${where}: username and credential must be strings`);
    }
    return {
      urls: urls as string | string[],
      ...(username === undefined ? {} : { username: username as string }),
      ...(credential === undefined ? {} : { credential: credential as string }),
    };
  });
}
