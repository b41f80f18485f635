/**
 * Limits per client address and per node, for a relay on the open internet: open connections
 * per address, joins per address per minute (shared by all nodes when Redis is configured), and
 * open connections per node. Each refusal has a stable code the element turns into a readable
 * status; the defaults are far above what a site's real visitors do.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ConnectionRefusalCode, ErrorCode } from '../../src/protocol.js';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { JOIN_WINDOW_SECONDS } from '../config/timing.js';
import { redisKeys } from '../rooms/redis/key-schema.js';
import { limitedAddress } from './address-block.js';
import { ConnectionCounts } from './connection-counts.js';

/** The limits; every one has a default (`DEFAULTS.limits`, from the option table). */
export interface ConnectionLimitOptions {
  /** Open connections from one client address; over all nodes with Redis. Default 500. */
  connectionsPerAddress: number;
  /** Joins (calls started or resumed) from one client address per minute; over all nodes with Redis. Default 600. */
  joinsPerAddressPerMinute: number;
  /** Open connections on this node. Default 20000. */
  connectionsPerNode: number;
}

/** Why a connection (the protocol's refusal codes) or a join (`rate-limited`) was refused. */
export type LimitCode = ConnectionRefusalCode | Extract<ErrorCode, 'rate-limited'>;

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
 * saw. Entries a client wrote itself are further left and never used; a chain shorter than the
 * hops is the TCP peer's (nothing in it can be trusted).
 */
export function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const peer = request.socket?.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than trusted hops: the request did not come through all of them (a relay
  // reachable directly, or a proxy that does not append), so every entry may be the client's
  // own writing: the TCP peer counts.
  return hops.length >= trustProxy ? hops[hops.length - trustProxy] : peer;
}

/** A node-redis client, as far as the limits need one (rate-limiter-flexible, and EVAL). */
interface RedisStoreClient {
  sendCommand(args: string[]): Promise<unknown>;
}

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
  /** The counts of all nodes, with Redis. */
  readonly #shared: ConnectionCounts | undefined;
  /** What {@link barred} counted for a request, so {@link refusal} need not ask Redis again. */
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
    const keys = redisKeys(prefix);
    this.#shared =
      redis === undefined || nodeId === undefined ? undefined : new ConnectionCounts((args) => redis.sendCommand(args), keys, nodeId);
    const perMinute = { points: options.joinsPerAddressPerMinute, duration: JOIN_WINDOW_SECONDS };
    this.#joinsFallback = new RateLimiterMemory(perMinute);
    this.#joins =
      redis === undefined
        ? this.#joinsFallback
        : new RateLimiterRedis({
            ...perMinute,
            storeClient: redis,
            useRedisPackage: true,
            keyPrefix: keys.joins,
            rejectIfRedisNotReady: true,
          });
  }

  /** What the limits count a request as: its client address ({@link clientAddress}), an IPv6 one as its /64. */
  addressOf(request: IncomingMessage): string {
    return limitedAddress(clientAddress(request, this.#trustProxy));
  }

  /**
   * Why a new connection may not even start (Engine.IO's `allowRequest`; it gets no answer it
   * could read), or `null`: one more than the per-address limit is let in, so that it can be
   * told why it is refused ({@link refusal}).
   */
  async barred(request: IncomingMessage): Promise<ConnectionRefusalCode | null> {
    const open = await this.#openFrom(this.addressOf(request));
    this.#seen.set(request, open);
    if (open > this.#options.connectionsPerAddress) return 'too-many-connections';
    return this.#total > this.#options.connectionsPerNode ? 'server-busy' : null;
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
    if (this.#shared === undefined) return local;
    try {
      return Math.max(local, await this.#shared.sum(address));
    } catch (error) {
      this.#logger.debug({ err: error }, 'connection limit: redis unreachable, counting locally');
      return local;
    }
  }

  /** Records a connection opened (1) or closed (-1) through this node in Redis, when shared. */
  async #count(address: string, by: 1 | -1): Promise<void> {
    await this.#shared?.count(address, by).catch((error: unknown) => {
      this.#logger.debug({ err: error }, 'connection limit: could not count in redis');
    });
  }

  /**
   * Why a connection (already counted) must be turned away, or `null`. Its address's count is
   * the one {@link barred} saw plus this connection, when barred saw this request.
   */
  async refusal(request: IncomingMessage): Promise<ConnectionRefusalCode | null> {
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
