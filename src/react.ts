/**
 * `<p2p-video-call>` as a React component (`p2p-video-call/react`), made with `@lit/react`:
 * properties are set as properties (objects such as `strings` too), and every event is an
 * `on…` prop with its typed event.
 *
 * @example
 * ```tsx
 * import { P2PVideoCall } from 'p2p-video-call/react';
 *
 * <P2PVideoCall room="support-4711" signaling="https://relay.example.com" lang="de"
 *   onCallConnected={(e) => console.log('talking to', e.detail.peerId)}
 *   onCallError={(e) => console.warn(e.detail.code)} />
 * ```
 *
 * React is a peer dependency (16.8 or later; React 19 renders custom elements itself, but
 * without typed `on…` props for their events).
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type * as Events from './call/events.js';
import { P2PVideoCall as P2PVideoCallElement } from './ui/p2p-video-call.js';

export const P2PVideoCall = createComponent({
  react: React,
  tagName: 'p2p-video-call',
  elementClass: P2PVideoCallElement,
  displayName: 'P2PVideoCall',
  events: {
    onCallStateChange: 'call-state-change' as EventName<Events.CallStateChangeEvent>,
    onMediaReady: 'media-ready' as EventName<Events.MediaReadyEvent>,
    onMediaError: 'media-error' as EventName<Events.MediaErrorEvent>,
    onPeerJoined: 'peer-joined' as EventName<Events.PeerJoinedEvent>,
    onCallConnected: 'call-connected' as EventName<Events.CallConnectedEvent>,
    onCallReconnecting: 'call-reconnecting' as EventName<Events.CallReconnectingEvent>,
    onRemoteMediaChange: 'remote-media-change' as EventName<Events.RemoteMediaChangeEvent>,
    onPeerLeft: 'peer-left' as EventName<Events.PeerLeftEvent>,
    onCallEnded: 'call-ended' as EventName<Events.CallEndedEvent>,
    onCallError: 'call-error' as EventName<Events.CallErrorEvent>,
    onDevicesChange: 'devices-change' as EventName<Events.DevicesChangeEvent>,
    onDeviceChange: 'device-change' as EventName<Events.DeviceChangeEvent>,
    onScreenShareChange: 'screen-share-change' as EventName<Events.ScreenShareChangeEvent>,
    onQualityChange: 'quality-change' as EventName<Events.QualityChangeEvent>,
  },
});

export type { P2PVideoCallElement };
