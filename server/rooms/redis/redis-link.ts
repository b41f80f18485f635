/**
 * The relay's Redis connections when it runs on many nodes: one for commands and publishing,
 * one for the Socket.IO adapter's subscriptions. Made from a URL (`REDIS_URL`), or from a
 * node-redis client the application already has (then only the subscriber is ours to close).
 *
 * Cross-node delivery is `@socket.io/redis-adapter` (Redis pub/sub): see the README for why
 * it, and not the streams adapter.
 */
import { createClient, type RedisClientType } from '@redis/client';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { REDIS_CONNECT_TIMEOUT_MS, redisReconnectDelayMs } from '../../config/timing.js';
import { redisKeys } from './key-schema.js';
import type { RedisConnection } from './redis-room-store.js';

/** A node-redis client (`createClient()` of `redis` or `@redis/client`, v4 or v5). */
export type RedisClient = Pick<
  RedisClientType,
  'isReady' | 'isOpen' | 'connect' | 'duplicate' | 'close' | 'publish' | 'sendCommand' | 'on'
>;

/** Both connections. */
export interface RedisLink {
  /** For the room store (not yet connected until `connect()` resolved). */
  commands: RedisConnection;
  /** Connects both; resolves with the Socket.IO adapter, for `io.adapter(…)`. */
  connect(): Promise<ReturnType<typeof createAdapter>>;
  close(): Promise<void>;
}

/**
 * The relay's Redis connections. Commands fail at once while Redis is unreachable (no offline
 * queue), so nothing waits on it; the clients reconnect by themselves.
 */
export function linkRedis(redis: string | RedisClient, keyPrefix: string, logger: Logger): RedisLink {
  const owned = typeof redis === 'string';
  const commands = (
    owned
      ? createClient({
          url: redis,
          disableOfflineQueue: true,
          socket: { reconnectStrategy: redisReconnectDelayMs, connectTimeout: REDIS_CONNECT_TIMEOUT_MS },
        })
      : redis
  ) as RedisClientType;
  const subscriber = commands.duplicate();
  // node-redis throws an `error` event nobody listens to: the store and this log listen.
  subscriber.on('error', (error: Error) => logger.debug({ err: error }, 'redis subscriber'));
  // node-redis throws an `error` event nobody listens to: this listener keeps it from throwing.
  if (owned) {
    commands.on('error', () => {
      // Not lost: the store's own `error` listener logs it, once per change of problem.
    });
  }
  // A publish while Redis is away rejects; the adapter does not catch it. Lost, not fatal: the
  // client's ack times out, or perfect negotiation and the ICE restart watchdog recover.
  const publisher = new Proxy(commands, {
    get(target, property) {
      if (property === 'publish') {
        return (channel: string, message: string | Buffer) =>
          target.publish(channel, message).catch((error: unknown) => logger.debug({ err: error }, 'publish failed'));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    commands,
    async connect() {
      if (!commands.isOpen) await commands.connect();
      if (!subscriber.isOpen) await subscriber.connect();
      return createAdapter(publisher, subscriber, { key: redisKeys(keyPrefix).adapter });
    },
    async close() {
      // close() waits for a connection that Redis being away may never give back: then destroy().
      const end = (client: typeof commands) => (client.isReady ? client.close() : client.destroy());
      await Promise.allSettled([subscriber.isOpen ? end(subscriber) : undefined, owned && commands.isOpen ? end(commands) : undefined]);
    },
  };
}
