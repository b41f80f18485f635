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
import * as Events from './call/events.js';
import type { P2PVideoCallEventMap } from './call/events.js';
import { P2PVideoCall as P2PVideoCallElement } from './ui/p2p-video-call.js';

/** `call-state-change` → `CallStateChange`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;
/** An `on…` prop for each event of the element: `onCallStateChange` for `call-state-change`. */
type EventProps = { [K in keyof P2PVideoCallEventMap as `on${Pascal<K>}`]: EventName<P2PVideoCallEventMap[K]> };

// From the one list of events (events.ts: `CallStateChangeEvent` is `call-state-change`).
const events = Object.fromEntries(
  Object.keys(Events)
    .filter((name) => name.endsWith('Event') && name !== 'P2PVideoCallEvent')
    .map((name) => {
      const pascal = name.slice(0, -'Event'.length);
      return [`on${pascal}`, pascal.replace(/(?<=.)([A-Z])/g, '-$1').toLowerCase()];
    }),
) as EventProps;

export const P2PVideoCall = createComponent({
  react: React,
  tagName: 'p2p-video-call',
  elementClass: P2PVideoCallElement,
  displayName: 'P2PVideoCall',
  events,
});

export type { P2PVideoCallElement };
