// Elements in a call for browser tests: add them to the page, connect a pair, read their parts.
import '../../src/index.js';
import type { P2PVideoCall } from '../../src/ui/p2p-video-call.js';
import { nextEvent, until } from './wait.js';

let rooms = 0;
/** A room name no other test uses. */
export const newRoom = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++rooms}`;

/** A part of the element's shadow DOM. */
export const part = <E extends HTMLElement = HTMLElement>(el: P2PVideoCall, name: string) =>
  el.shadowRoot!.querySelector<E>(`[part~="${name}"]`)!;
export const remoteVideo = (el: P2PVideoCall) => part<HTMLVideoElement>(el, 'remote-video');

/** Adds `<p2p-video-call>` with these attributes to the page. */
export function addCall(room: string, url: string, attributes: Record<string, string> = {}): P2PVideoCall {
  const el = document.createElement('p2p-video-call');
  for (const [name, value] of Object.entries({ room, signaling: url, ...attributes })) el.setAttribute(name, value);
  // Small and side by side: a video partly outside the viewport presents no frames in Chromium.
  el.style.cssText = 'display: inline-block; width: 240px; margin: 4px;';
  document.body.append(el);
  return el;
}

/** Two elements in a new room (the second once the first waits), resolved once both are connected. */
export async function connectPair(url: string, attributes: Record<string, string> = {}, prefix = 'pair') {
  const room = newRoom(prefix);
  const first = addCall(room, url, { name: 'First', ...attributes });
  await until(() => first.state === 'waiting', 'first waiting');
  const connected = [nextEvent(first, 'call-connected', 20_000)];
  const second = addCall(room, url, { name: 'Second', ...attributes });
  connected.push(nextEvent(second, 'call-connected', 20_000));
  await Promise.all(connected);
  return { room, first, second };
}

/**
 * Makes `el` `px` wide and waits until its call bar is laid out for it (the element measures
 * itself in the frame after a resize, then renders).
 */
export async function resizeTo(el: P2PVideoCall, px: number): Promise<void> {
  el.style.width = `${px}px`;
  await until(() => el._width === px, `laid out ${px} px wide`);
  await el.updateComplete;
}
