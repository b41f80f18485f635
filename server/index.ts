/**
 * `p2p-video-call/server`: the signaling relay for `<p2p-video-call>`.
 *
 * @example
 * ```ts
 * import { createSignalingServer } from 'p2p-video-call/server';
 * const relay = createSignalingServer();
 * console.log((await relay.listen(8080)).url);
 * ```
 */
export { createSignalingServer, type SignalingIo, type SignalingServer, type SignalingStats } from './relay/create-signaling-server.js';
export { DEFAULTS } from './config/option-table.js';
export type { SignalingServerOptions } from './config/options.js';
export {
  createTurnCredentials,
  DEFAULT_TURN_TTL_SECONDS,
  type TurnCredentials,
  type TurnCredentialsRequest,
  type TurnOptions,
} from './auth/turn-credentials.js';
export { createAccessToken, verifyAccessToken, type AccessTokenRequest } from './auth/access-token.js';
export { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from './http/http-handler.js';
export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './limits/rate-limit.js';
export { parseConfig, ConfigError, type RelayConfig } from './config/config.js';
export type { RoomStore, RoomStoreHealth, RoomStoreStats, Participant } from './rooms/room-store.js';
export type { RedisClient } from './rooms/redis/redis-link.js';
export type { HealthReport } from './http/http-handler.js';
export { RelayMetrics, type MetricSources } from './metrics/relay-metrics.js';
export { serveMetrics, type MetricsListener } from './metrics/metrics-listener.js';
