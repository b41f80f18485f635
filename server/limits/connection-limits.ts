/**
 * Limits per client address and per node, for a relay on the open internet: open connections
 * per address, joins per address per minute (shared by all nodes when Redis is configured), and
 * open connections per node. Each refusal has a stable code the element turns into a readable
 * status; the defaults are far above what a site's real visitors do.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The limits; every one has a default (`DEFAULTS.limits`, from the option table). */
export interface ConnectionLimitOptions {
  /** Open connections from one client address; over all nodes with Redis. Default 500. */
  connectionsPerAddress: number;
  /** Joins (calls started or resumed) from one client address per minute; over all nodes with Redis. Default 600. */
  joinsPerAddressPerMinute: number;
  /** Open connections on this node. Default 20000. */
  connectionsPerNode: number;
}

/** Why a connection or a join was refused. */
export type LimitCode = 'too-many-connections' | 'server-busy' | 'rate-limited';

/** Messages that go with the codes (for developers; the element words them itself). */
export const LIMIT_MESSAGES: Record<LimitCode, string> = {
  'too-many-connections': 'Too many connections from this address.',
  'server-busy': 'This call server is at its connection limit; try again shortly.',
  'rate-limited': 'Too many calls started from this address; wait a minute.',
};

/**
 * The address a request comes from. Without a trusted proxy, the TCP peer. With `trustProxy`
 * hops (reverse proxies in front of the relay that each append the address they saw to
 * `X-Forwarded-For`), the entry that many from the right: the one the outermost trusted proxy
 * saw. Entries a client wrote itself are further left and never used.
 */
export function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const peer = request.socket?.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return hops.length >= trustProxy ? hops[hops.length - trustProxy]! : (hops[0] ?? peer);
}

/** A node-redis client, as far as the limits need one (rate-limiter-flexible, and EVAL). */
type RedisStoreClient = { sendCommand(args: string[]): Promise<unknown> };

/** One more, or one less, open connection from an address through this node. */
const COUNT_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return n`;

/** Open connections from an address over the live nodes (those whose heartbeat has not run out). */
const SUM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sum = 0
for _, node in ipairs(redis.call('ZRANGEBYSCORE', ARGV[1] .. 'nodes', now, '+inf')) do
  sum = sum + tonumber(redis.call('HGET', ARGV[1] .. 'conns:' .. node, ARGV[2]) or '0')
end
return sum`;

/** How long a node's counts outlive a heartbeat it missed (its sweep removes them first). */
const COUNTS_TTL_MS = 10_000;

/** The limits of one relay node. */
export class ConnectionLimits {
  readonly #options: ConnectionLimitOptions;
  readonly #trustProxy: number;
  readonly #logger: Logger;
  /** Open Engine.IO connections by client address. */
  readonly #open = new Map<string, number>();
  #total = 0;
  readonly #joins: RateLimiterAbstract;
  readonly #joinsFallback: RateLimiterMemory;
  readonly #redis: RedisStoreClient | undefined;
  readonly #prefix: string;
  readonly #nodeId: string | undefined;
  /** What {@link admits} counted for a request, so {@link refusal} need not ask Redis again. */
  readonly #seen = new WeakMap<IncomingMessage, number>();

  constructor(
    options: ConnectionLimitOptions,
    {
      trustProxy = 0,
      logger,
      redis,
      prefix = '',
      nodeId,
    }: { trustProxy?: number; logger: Logger; redis?: RedisStoreClient; prefix?: string; nodeId?: string },
  ) {
    this.#options = options;
    this.#trustProxy = trustProxy;
    this.#logger = logger;
    this.#redis = redis;
    this.#prefix = prefix;
    this.#nodeId = nodeId;
    const perMinute = { points: options.joinsPerAddressPerMinute, duration: 60 };
    this.#joinsFallback = new RateLimiterMemory(perMinute);
    this.#joins =
      redis === undefined
        ? this.#joinsFallback
        : new RateLimiterRedis({ ...perMinute, storeClient: redis, useRedisPackage: true, keyPrefix: `${prefix}joins`, rejectIfRedisNotReady: true });
  }

  /** The client address of a request (see {@link clientAddress}). */
  addressOf(request: IncomingMessage): string {
    return clientAddress(request, this.#trustProxy);
  }

  /**
   * Whether a new connection may even start (Engine.IO's `allowRequest`): one more than the
   * per-address limit is let in, so that it can be told why it is refused ({@link refusal}).
   */
  async admits(request: IncomingMessage): Promise<boolean> {
    const open = await this.#openFrom(this.addressOf(request));
    this.#seen.set(request, open);
    return open <= this.#options.connectionsPerAddress && this.#total <= this.#options.connectionsPerNode;
  }

  /** Counts an open connection until `closed` fires. */
  track(request: IncomingMessage, closed: (done: () => void) => void): void {
    const address = this.addressOf(request);
    this.#open.set(address, (this.#open.get(address) ?? 0) + 1);
    this.#total++;
    const counted = this.#count(address, 1);
    closed(() => {
      this.#total--;
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left > 0) this.#open.set(address, left);
      else this.#open.delete(address);
      void counted.then(() => this.#count(address, -1));
    });
  }

  /**
   * Open connections from `address`: over all live nodes with Redis, this node's otherwise (or
   * while Redis is unreachable).
   */
  async #openFrom(address: string): Promise<number> {
    const local = this.#open.get(address) ?? 0;
    if (this.#redis === undefined || this.#nodeId === undefined) return local;
    try {
      return Math.max(local, Number(await this.#redis.sendCommand(['EVAL', SUM_SCRIPT, '0', this.#prefix, address])));
    } catch (error) {
      this.#logger.debug({ err: error }, 'connection limit: redis unreachable, counting locally');
      return local;
    }
  }

  /** Records a connection opened (1) or closed (-1) through this node in Redis, when shared. */
  async #count(address: string, by: 1 | -1): Promise<void> {
    if (this.#redis === undefined || this.#nodeId === undefined) return;
    const key = `${this.#prefix}conns:${this.#nodeId}`;
    await this.#redis.sendCommand(['EVAL', COUNT_SCRIPT, '1', key, address, String(by), String(COUNTS_TTL_MS)]).catch((error: unknown) => {
      this.#logger.debug({ err: error }, 'connection limit: could not count in redis');
    });
  }

  /**
   * Why a connection (already counted) must be turned away, or `null`. Its address's count is
   * the one {@link admits} saw plus this connection, when admits saw this request.
   */
  async refusal(request: IncomingMessage): Promise<LimitCode | null> {
    const address = this.addressOf(request);
    const seen = this.#seen.get(request);
    const open = seen === undefined ? await this.#openFrom(address) : seen + 1;
    if (open > this.#options.connectionsPerAddress) {
      this.#logger.warn({ address, limit: this.#options.connectionsPerAddress }, 'connection refused: too many from this address');
      return 'too-many-connections';
    }
    if (this.#total > this.#options.connectionsPerNode) {
      this.#logger.warn({ limit: this.#options.connectionsPerNode }, 'connection refused: node at its limit');
      return 'server-busy';
    }
    return null;
  }

  /**
   * Counts a join from `address`; `false` when it is over the limit. With Redis, the count is
   * shared by all nodes; while Redis is unreachable each node counts on its own.
   */
  async admitJoin(address: string): Promise<boolean> {
    try {
      await this.#joins.consume(address);
      return true;
    } catch (rejection) {
      if (rejection instanceof Error) {
        this.#logger.debug({ err: rejection }, 'join limit: redis unreachable, counting locally');
        return this.#joinsFallback.consume(address).then(
          () => true,
          () => false,
        );
      }
      this.#logger.warn({ address, limit: this.#options.joinsPerAddressPerMinute }, 'join refused: too many from this address');
      return false;
    }
  }
}
