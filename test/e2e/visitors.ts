// Visitors of the demo page served by a relay process, as two people of a website are: each in a
// window of its own browser, joining from the pre-join preview. Shared by the e2e tests.
import type { Browser, Page } from 'puppeteer-core';
import { openPage, recordEvents, type EventLog } from './harness.js';
import type {} from '../../src/ui/p2p-video-call.js'; // HTMLElementTagNameMap, typing page.evaluate

export interface Visitor {
  page: Page;
  log: EventLog;
}

let rooms = 0;
/** A room name no other test uses. */
export const newRoom = (prefix = 'xb'): string => `${prefix}-${Date.now().toString(36)}-${++rooms}`;

export interface VisitOptions {
  /** A script run in the page before its own (instrumentation: see peerConnectionLog). */
  beforeLoad?: string;
  /** Attributes set on the element before joining (e.g. `ice-transport-policy`). */
  attributes?: Record<string, string>;
}

/**
 * Records every RTCPeerConnection the page makes, in `window.__pcs` (a subclass, the browser's
 * own connection): to tell a restarted connection from a rebuilt one, and read its stats.
 */
export const PEER_CONNECTION_LOG = `(() => {
  const Native = window.RTCPeerConnection;
  const made = (window.__pcs = []);
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); made.push(this); }
  };
})();`;

/**
 * Opens the demo page of `room` on `relayUrl` in `browser`, as an invite link does, and joins
 * from its pre-join preview, as a visitor pressing "Join call".
 */
export async function visit(browser: Browser, relayUrl: string, room: string, name: string, options: VisitOptions = {}): Promise<Visitor> {
  const page = await openPage(browser, 'about:blank');
  if (options.beforeLoad) await page.evaluateOnNewDocument(options.beforeLoad);
  await page.goto(`${relayUrl}/?room=${encodeURIComponent(room)}`);
  await page.evaluate(() => customElements.whenDefined('p2p-video-call'));
  const log = await recordEvents(page);
  await page.evaluate(
    (room: string, name: string, attributes: Record<string, string>) => {
      const el = document.querySelector('p2p-video-call')!;
      for (const [attribute, value] of Object.entries(attributes)) el.setAttribute(attribute, value);
      const form = document.querySelector<HTMLFormElement>('#join')!;
      (form.elements.namedItem('room') as HTMLInputElement).value = room;
      (form.elements.namedItem('name') as HTMLInputElement).value = name;
      form.requestSubmit();
    },
    room,
    name,
    options.attributes ?? {},
  );
  return { page, log };
}

/** Resolves when the visitor's element is `waiting` (alone in the room). */
export const waiting = (visitor: Visitor) =>
  visitor.log.waitFor('call-state-change', { where: (e) => (e.detail as { state: string }).state === 'waiting' });

/** The element's state in `page`. */
export const stateOf = (page: Page) => page.evaluate(() => document.querySelector('p2p-video-call')!.state);

/**
 * Two visitors in a new room (the second joins once the first waits there), resolved when both
 * fired call-connected. Their pages are closed after the test `t`.
 */
export async function call(
  t: { after(fn: () => unknown): void },
  relayUrl: string,
  [firstBrowser, secondBrowser]: [Browser, Browser],
  names: [string, string],
  options: VisitOptions = {},
) {
  const room = newRoom();
  const closeLater = (visitor: Visitor) =>
    t.after(() =>
      visitor.page.close().catch(() => {
        // Closed already (its browser went first): nothing to clean.
      }),
    );
  const first = await visit(firstBrowser, relayUrl, room, names[0], options);
  closeLater(first);
  await waiting(first);
  const second = await visit(secondBrowser, relayUrl, room, names[1], options);
  closeLater(second);
  const connected = await Promise.all([
    first.log.waitFor('call-connected', { timeout: 20_000 }),
    second.log.waitFor('call-connected', { timeout: 20_000 }),
  ]);
  return { room, first, second, connected };
}
