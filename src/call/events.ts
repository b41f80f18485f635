import type { CallQuality } from '../media/call-stats.js';
import type { CallEndReason, CallErrorCode, CallState } from './call-state.js';
import type { DeviceInfo, DeviceKind } from '../media/devices.js';

/**
 * Base of every event `<p2p-video-call>` fires: bubbles, composed, data on `detail`.
 * Each subclass has a fixed name, so pages can `addEventListener('call-connected', …)` typed.
 */
export class P2PVideoCallEvent<D> extends Event {
  readonly detail: D;
  constructor(type: string, detail: D) {
    super(type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

// One small factory instead of nine near-identical classes: each event gets a fixed name.
const named = <D>(type: string) =>
  class extends P2PVideoCallEvent<D> {
    constructor(detail: D) {
      super(type, detail);
    }
  };

/** `call-state-change`: every state change. */
export class CallStateChangeEvent extends named<{ state: CallState; previous: CallState }>('call-state-change') {}
/** `media-ready`: the local camera/microphone stream was obtained. */
export class MediaReadyEvent extends named<{ stream: MediaStream }>('media-ready') {}
/** `media-error`: getUserMedia failed (`NotAllowedError`, `NotFoundError`, `NotReadableError`, …). */
export class MediaErrorEvent extends named<{ name: string; message: string }>('media-error') {}
/** `peer-joined`: the other peer entered the room. */
export class PeerJoinedEvent extends named<{ peerId: string; name: string }>('peer-joined') {}
/** `call-connected`: media flows both ways. */
export class CallConnectedEvent extends named<{ peerId: string }>('call-connected') {}
/** `call-reconnecting`: ICE or signaling was lost and recovery started. */
export class CallReconnectingEvent extends named<{ reason: string }>('call-reconnecting') {}
/** `remote-media-change`: the other peer turned its microphone or camera on or off, or shares its screen. */
export class RemoteMediaChangeEvent extends named<{ audio: boolean; video: boolean; screen: boolean }>('remote-media-change') {}
/** `peer-left`: the other peer left or was lost. */
export class PeerLeftEvent extends named<{ peerId: string }>('peer-left') {}
/** `call-ended`: `'hangup'` (local), `'peer-left'`, or `'error'`. */
export class CallEndedEvent extends named<{ reason: CallEndReason }>('call-ended') {}
/** `call-error`: a failure with a stable code. */
export class CallErrorEvent extends named<{ code: CallErrorCode; message: string }>('call-error') {}
/** `devices-change`: the list of cameras, microphones and speakers changed. */
export class DevicesChangeEvent extends named<{ devices: DeviceInfo[] }>('devices-change') {}
/** `device-change`: the device in use changed, chosen or because the one in use went away (`deviceId: ''`: none left). */
export class DeviceChangeEvent extends named<{ kind: DeviceKind; deviceId: string; label: string }>('device-change') {}
/** `screen-share-change`: local screen sharing started or stopped (also by the browser's own control). */
export class ScreenShareChangeEvent extends named<{ sharing: boolean }>('screen-share-change') {}
/** `quality-change`: once when the call connects, then whenever the quality level changes. */
export class QualityChangeEvent extends named<CallQuality>('quality-change') {}

/** Every event of `<p2p-video-call>` by name. */
export interface P2PVideoCallEventMap {
  'call-state-change': CallStateChangeEvent;
  'media-ready': MediaReadyEvent;
  'media-error': MediaErrorEvent;
  'peer-joined': PeerJoinedEvent;
  'call-connected': CallConnectedEvent;
  'call-reconnecting': CallReconnectingEvent;
  'remote-media-change': RemoteMediaChangeEvent;
  'peer-left': PeerLeftEvent;
  'call-ended': CallEndedEvent;
  'call-error': CallErrorEvent;
  'devices-change': DevicesChangeEvent;
  'device-change': DeviceChangeEvent;
  'screen-share-change': ScreenShareChangeEvent;
  'quality-change': QualityChangeEvent;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalEventHandlersEventMap extends P2PVideoCallEventMap {}
}
