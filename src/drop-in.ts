/**
 * The drop-in script (`dist/p2p-video-call.js`): registers `<p2p-video-call>`, and exports the
 * element's class, its events and `registerLanguage`. The pieces under the element
 * (`CallController`, `CallSession`, …) are the npm package's (`import … from 'p2p-video-call'`):
 * left out of this module's exports, their members' names can be shortened, which every
 * visitor's download pays for.
 */
export { P2PVideoCall } from './ui/p2p-video-call.js';
export { CallError, type CallEndReason, type CallErrorCode, type CallState } from './call/call-state.js';
export * from './call/events.js';
export { registerLanguage } from './i18n/localize.js';
