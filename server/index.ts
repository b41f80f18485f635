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
export {
  createSignalingServer,
  type SignalingIo,
  type SignalingServer,
  type SignalingStats,
} from './create-signaling-server.js';
export { DEFAULTS, type SignalingServerOptions } from './signaling-server-options.js';
export {
  createTurnCredentials,
  DEFAULT_TURN_TTL_SECONDS,
  type TurnCredentials,
  type TurnCredentialsRequest,
  type TurnOptions,
} from './turn-credentials.js';
export { createAccessToken, verifyAccessToken, type AccessTokenRequest } from './access-token.js';
export { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from './http-handler.js';
export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limit.js';
export { parseConfig, ConfigError, type RelayConfig } from './config.js';
export type { RoomStore, RoomStoreHealth, RoomStoreStats, Participant } from './room-store.js';
export type { RedisClient } from './redis-link.js';
export type { HealthReport } from './http-handler.js';
