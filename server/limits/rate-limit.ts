/**
 * Per-connection rate limit: every inbound event (known or not) costs one point; a connection
 * that runs out gets `rate-limited` acks and nothing it sends is processed or forwarded until
 * its window passes.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { DEFAULTS } from '../config/option-table.js';
import { fail, splitAck } from '../relay/handle-event.js';

/** How many events a connection may send per window. */
export interface RateLimitOptions {
  /** Events per window. Default 200. */
  points: number;
  /** Window length in seconds. Default 10. */
  durationSeconds: number;
}

/** The default (a row of the option table): generous for signaling (an ICE gathering burst is a few dozen events). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = DEFAULTS.rateLimit;

/** One limiter shared by all connections of a server, keyed by socket id. */
export class ConnectionRateLimit {
  readonly #limiter: RateLimiterMemory;
  readonly #logger: Logger;

  constructor(options: RateLimitOptions, logger: Logger) {
    this.#limiter = new RateLimiterMemory({ points: options.points, duration: options.durationSeconds });
    this.#logger = logger;
  }

  /**
   * Install on a socket. Order is kept: the limiter answers synchronously-resolved promises,
   * so events reach their handlers in the order they arrived.
   */
  attach(socket: Socket): void {
    let warned = false;
    socket.use((packet, next) => {
      this.#limiter.consume(socket.id).then(
        () => next(),
        () => {
          if (!warned) {
            warned = true;
            this.#logger.warn({ socket: socket.id }, 'rate limited');
          }
          const { ack } = splitAck(packet);
          ack?.(fail('rate-limited', 'Too many messages; slow down.'));
        },
      );
    });
    socket.on('disconnect', () => {
      void this.#limiter.delete(socket.id);
    });
  }
}
