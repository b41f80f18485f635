import type * as Events from './events.js';
import type { CallQuality } from '../media/call-stats.js';
import type { CallEndReason, CallErrorCode, CallState } from './call-state.js';
import type { DeviceInfo, DeviceKind } from '../media/devices.js';
import type { FileErrorCode } from '../data/data-frames.js';

/**
 * Base of every event `<p2p-video-call>` fires: bubbles, composed, data on `detail`.
 * Each subclass has a fixed name, so pages can `addEventListener('call-connected', …)` typed.
 *
 * This module is the one list of the element's events: a class per event, named after it
 * (`call-connected` → `CallConnectedEvent`). The event map below, the React wrapper's `on…`
 * props and the element's events in custom-elements.json are derived from it.
 */
export class P2PVideoCallEvent<D> extends Event {
  readonly detail: D;
  constructor(type: string, detail: D) {
    super(type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

// One small factory instead of fourteen near-identical classes: each event gets a fixed name
// (also in its type, for the event map).
const named = <T extends string>(type: T) =>
  class<D> extends P2PVideoCallEvent<D> {
    declare readonly type: T;
    constructor(detail: D) {
      super(type, detail);
    }
  };

/** `call-state-change`: Every state change; `detail: { state, previous }`. */
export class CallStateChangeEvent extends named('call-state-change')<{ state: CallState; previous: CallState }> {}
/** `media-ready`: The local camera/microphone stream was obtained; `detail: { stream }`. */
export class MediaReadyEvent extends named('media-ready')<{ stream: MediaStream }> {}
/** `media-error`: getUserMedia failed; `detail: { name, message }` (`NotAllowedError`, `NotFoundError`, `NotReadableError`, …). */
export class MediaErrorEvent extends named('media-error')<{ name: string; message: string }> {}
/** `peer-joined`: The other peer entered the room; `detail: { peerId, name }`. */
export class PeerJoinedEvent extends named('peer-joined')<{ peerId: string; name: string }> {}
/** `call-connected`: Media flows both ways; `detail: { peerId }`. */
export class CallConnectedEvent extends named('call-connected')<{ peerId: string }> {}
/** `call-reconnecting`: ICE or signaling was lost and recovery started; `detail: { reason }`. */
export class CallReconnectingEvent extends named('call-reconnecting')<{ reason: string }> {}
/** `remote-media-change`: The other peer turned mic or camera on/off, or shares its screen; `detail: { audio, video, screen }`. */
export class RemoteMediaChangeEvent extends named('remote-media-change')<{ audio: boolean; video: boolean; screen: boolean }> {}
/** `peer-left`: The other peer left or was lost; `detail: { peerId }`. The state goes back to `waiting`. */
export class PeerLeftEvent extends named('peer-left')<{ peerId: string }> {}
/** `call-ended`: `detail: { reason }`: `'hangup'` (local), `'peer-left'` or `'error'`. */
export class CallEndedEvent extends named('call-ended')<{ reason: CallEndReason }> {}
/** `call-error`: `detail: { code, message }`; codes: `room-full`, `unauthorized`, `invalid-room`, `signaling-unreachable`, `negotiation-failed`, `ice-failed`, `media-denied`, `invalid-ice-servers`, `signaling-error`, `rate-limited`, `too-many-connections`, `server-busy`. */
export class CallErrorEvent extends named('call-error')<{ code: CallErrorCode; message: string }> {}
/** `devices-change`: The list of cameras, microphones and speakers changed; `detail: { devices }`. */
export class DevicesChangeEvent extends named('devices-change')<{ devices: DeviceInfo[] }> {}
/** `device-change`: The device in use changed (chosen, or the one in use went away); `detail: { kind, deviceId, label }`. */
export class DeviceChangeEvent extends named('device-change')<{ kind: DeviceKind; deviceId: string; label: string }> {}
/** `screen-share-change`: Local screen sharing started or stopped (also by the browser's own control); `detail: { sharing }`. */
export class ScreenShareChangeEvent extends named('screen-share-change')<{ sharing: boolean }> {}
/** `quality-change`: Once when the call connects, then whenever the level changes; `detail`: the `quality` object. */
export class QualityChangeEvent extends named('quality-change')<CallQuality> {}

/** `peer-message`: An app message from the other person's `send()` arrived; `detail: { data }` (any JSON value: check it before use). */
export class PeerMessageEvent extends named('peer-message')<{ data: unknown }> {}
/** `chat-message`: A chat line was sent or received; `detail: { text, from: 'local' | 'remote', name, at }` (`at`: `Date.now()` when sent or received). */
export class ChatMessageEvent extends named('chat-message')<{ text: string; from: 'local' | 'remote'; name: string; at: number }> {}
/** `file-progress`: A file is on its way (at most every 100 ms, and at the end); `detail: { id, name, size, bytes, direction: 'send' | 'receive' }`. */
export class FileProgressEvent extends named('file-progress')<{
  id: string;
  name: string;
  size: number;
  bytes: number;
  direction: 'send' | 'receive';
}> {}
/** `file-received`: A whole file arrived; `detail: { id, name, size, type, file }` (`file`: a `File`; its name and type are the other person's word). */
export class FileReceivedEvent extends named('file-received')<{ id: string; name: string; size: number; type: string; file: File }> {}
/** `file-error`: A transfer failed or was refused; `detail: { id, name, direction, code }`, codes `too-large`, `cancelled`, `interrupted`. */
export class FileErrorEvent extends named('file-error')<{ id: string; name: string; direction: 'send' | 'receive'; code: FileErrorCode }> {}

/** An event class of this module (the base aside). */
type EventClass = Extract<(typeof Events)[keyof typeof Events], abstract new (detail: never) => P2PVideoCallEvent<unknown>>;
type NamedEvent = InstanceType<EventClass>;

/** Every event of `<p2p-video-call>` by name. */
export type P2PVideoCallEventMap = { [E in NamedEvent as string extends E['type'] ? never : E['type']]: E };

declare global {
  interface GlobalEventHandlersEventMap extends P2PVideoCallEventMap {}
}
