/**
 * p2p-video-call: a drop-in 1:1 video call.
 *
 * Importing this module registers `<p2p-video-call>`. The pieces under it are exported for
 * pages that want a call without the element's UI.
 */
export { P2PVideoCall } from './p2p-video-call.js';
export { CallController, type CallOptions } from './call-controller.js';
export { CallSession, type CallSessionOptions, type SessionMessage, type SessionState } from './call-session.js';
export { SignalingClient, type SignalingHandlers } from './signaling-client.js';
export { LocalMedia, type LocalMediaHandlers, type MediaKind } from './local-media.js';
export { DeviceList, type DeviceInfo, type DeviceKind } from './devices.js';
export { CallStatsMonitor, type CallQuality, type QualityLevel } from './call-stats.js';
export { CallError, type CallEndReason, type CallErrorCode, type CallState } from './call-state.js';
export * from './events.js';
export type { Strings, StringsOverride } from './strings.js';
export { registerLanguage } from './localize.js';
export type * from './protocol.js';
