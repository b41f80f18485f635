/**
 * p2p-video-call: a drop-in 1:1 video call.
 *
 * Importing this module registers `<p2p-video-call>`. The pieces under it are exported for
 * pages that want a call without the element's UI.
 */
export { P2PVideoCall } from './ui/p2p-video-call.js';
export { CallController, type CallOptions } from './call/call-controller.js';
export { CallSession, type CallSessionOptions, type SessionMessage, type SessionState } from './session/call-session.js';
export { SignalingClient, type SignalingHandlers } from './signaling/signaling-client.js';
export { LocalMedia, type LocalMediaHandlers, type MediaKind } from './media/local-media.js';
export { DeviceList, type DeviceInfo, type DeviceKind } from './media/devices.js';
export { CallStatsMonitor, type CallQuality, type QualityLevel } from './media/call-stats.js';
export { CallError, type CallEndReason, type CallErrorCode, type CallState } from './call/call-state.js';
export * from './call/events.js';
export type { Strings, StringsOverride } from './i18n/strings.js';
export { registerLanguage } from './i18n/localize.js';
export type * from './protocol.js';
