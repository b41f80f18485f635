// The three calls bench:recovery cuts: the product (two visitors of the demo page on the real
// relay, each in a window of its own), PeerJS (two visitors, each in a window of its own, one
// calling the other) and the floor (two bare RTCPeerConnections in one page). Each set-up
// resolves with a call: its sides (a page and the key its remote video's frames are recorded
// under), and how to ask whether it is connected, whether it ended, and what it said.
import { openWindow } from '../../test/support/browsers.mjs';
import { GiveUp, waitFor, withTimeout } from '../../test/support/wait.mjs';
import {
  PRODUCT_VIDEO,
  pageFloorCall,
  pageFloorState,
  pagePeerState,
  pagePeerVisitor,
  pageProductState,
  pageRecordFrames,
  pageSaidSince,
  pageWatchProduct,
} from './page.mjs';

/** The bound on each step of setting a call up. */
export const SETUP_TIMEOUT = 20_000;
/** The product's states in which a call is still on (connecting again counts). */
const PRODUCT_ON = ['connecting', 'connected', 'reconnecting'];

let rooms = 0;

/**
 * @typedef {{ label: string, page: import('puppeteer-core').Page, key: string }} Side
 * @typedef {{
 *   sides: Side[],
 *   ready: () => Promise<boolean>,
 *   ended: () => Promise<string | null>,
 *   said: (since: number) => Promise<string[]>,
 *   errors: () => string[],
 *   close: () => Promise<void>,
 * }} Call
 */

/** Opens `url` in a new window of `browser`, collecting its page errors. */
async function openVisitor(browser, url, visitors) {
  const page = await openWindow(browser);
  /** @type {string[]} */
  const errors = [];
  visitors.push({ page, errors });
  page.on('pageerror', (error) => errors.push(String(error?.message ?? error)));
  page.on('console', (message) => {
    // the demo page has no favicon
    if (message.type() === 'error' && !/favicon|status of 404/.test(message.text())) errors.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load', timeout: SETUP_TIMEOUT });
  return page;
}

/** The parts of a call common to all three: closing its pages, their errors, what they said. */
function callOf(visitors, sides, { ready, ended }) {
  const pages = [...new Set(sides.map((s) => s.page))];
  return {
    sides,
    ready,
    ended,
    said: (since) =>
      Promise.all(
        pages.map(async (page) => {
          const words = await page.evaluate(pageSaidSince, since).catch(() => ['(page gone)']);
          const label = sides.filter((s) => s.page === page).map((s) => s.label);
          return `${pages.length > 1 ? `${label.join('+')}: ` : ''}${words.join(' → ') || '(nothing)'}`;
        }),
      ),
    errors: () => visitors.flatMap((v) => v.errors),
    close: () => closeVisitors(visitors),
  };
}

async function closeVisitors(visitors) {
  await Promise.allSettled(visitors.map((v) => withTimeout(v.page.close(), 10_000, 'closing a page')));
}

/** Runs `setUp(visitors)`; closes every page it opened if it fails. */
async function settingUp(setUp) {
  const visitors = [];
  try {
    return await setUp(visitors);
  } catch (error) {
    const errors = visitors.flatMap((v) => v.errors);
    await closeVisitors(visitors);
    if (errors.length) error.message += `\n  page errors: ${[...new Set(errors)].slice(0, 5).join(' | ')}`;
    throw error;
  }
}

/** The product's element state in `page`, waited for until it is one of `wanted`. */
function productState(page, wanted, what) {
  return waitFor(
    async () => {
      const state = await page.evaluate(pageProductState);
      if (state === 'failed' || state === 'ended') throw new GiveUp(`${what}: the element is ${state}`);
      return wanted.includes(state);
    },
    { timeout: SETUP_TIMEOUT, interval: 50, message: `${what} to be ${wanted.join(' or ')}` },
  );
}

/**
 * The product: two visitors of the relay's demo page in a new room, each in a window of its own,
 * opened as an invite link with `?room=…&autostart` (cross-browser.test.ts does the same); the
 * second arrives once the first waits in the room. Nothing else is set: the element's defaults.
 *
 * @returns {Promise<Call>}
 */
export function productCall(browser, { origin }) {
  return settingUp(async (visitors) => {
    const room = `recovery-${Date.now().toString(36)}-${++rooms}`;
    const sides = [];
    for (const label of ['first', 'second']) {
      const page = await openVisitor(browser, `${origin}/?room=${encodeURIComponent(room)}&name=${label}&autostart`, visitors);
      await withTimeout(page.evaluate(pageWatchProduct), SETUP_TIMEOUT, `customElements.whenDefined('p2p-video-call') (${label})`);
      await page.evaluate(pageRecordFrames, 'remote', PRODUCT_VIDEO);
      sides.push({ label, page, key: 'remote' });
      if (label === 'first') await productState(page, ['waiting'], 'the first visitor');
    }
    await Promise.all(sides.map((s) => productState(s.page, ['connected'], `the ${s.label} visitor`)));
    const states = () => Promise.all(sides.map((s) => s.page.evaluate(pageProductState)));
    return callOf(visitors, sides, {
      ready: async () => (await states()).every((s) => s === 'connected'),
      ended: async () => {
        const now = await states();
        return now.every((s) => PRODUCT_ON.includes(s)) ? null : `states ${now.join('/')}`;
      },
    });
  });
}

/**
 * PeerJS 1.5.5 with its own server (peer 1.0.2, started by startBaselines()), as its README shows:
 * two visitors, each in a window of its own, no public STUN/TURN; the second calls the first,
 * which answers.
 *
 * @returns {Promise<Call>}
 */
export function peerjsCall(browser, { baselines }) {
  return settingUp(async (visitors) => {
    const sides = [];
    let calleeId = null;
    for (const label of ['callee', 'caller']) {
      const page = await openVisitor(browser, `${baselines.origin}/`, visitors);
      await page.evaluate(pageRecordFrames, 'remote', '#remote');
      const id = await withTimeout(
        page.evaluate(pagePeerVisitor, baselines.peerPort, calleeId, SETUP_TIMEOUT),
        SETUP_TIMEOUT + 5000,
        `PeerJS ${label}: page.evaluate did not return`,
      );
      calleeId ??= id;
      sides.push({ label, page, key: 'remote' });
    }
    const states = () => Promise.all(sides.map((s) => s.page.evaluate(pagePeerState)));
    await waitFor(async () => (await states()).every((s) => s === 'connected'), {
      timeout: SETUP_TIMEOUT,
      interval: 50,
      message: 'both PeerJS peer connections to be connected',
    });
    return callOf(visitors, sides, {
      ready: async () => (await states()).every((s) => s === 'connected'),
      ended: async () => {
        const now = await states();
        return now.some((s) => s === null || s === 'closed' || s === 'failed') ? `states ${now.join('/')}` : null;
      },
    });
  });
}

/**
 * The floor: two bare RTCPeerConnections in one page (of the baselines' page server), nothing
 * between them, nothing done when the network goes: what WebRTC alone does.
 *
 * @returns {Promise<Call>}
 */
export function floorCall(browser, { baselines }) {
  return settingUp(async (visitors) => {
    const page = await openVisitor(browser, `${baselines.origin}/`, visitors);
    await page.evaluate(pageRecordFrames, 'a', '#remote-a');
    await page.evaluate(pageRecordFrames, 'b', '#remote-b');
    await withTimeout(page.evaluate(pageFloorCall, SETUP_TIMEOUT), SETUP_TIMEOUT + 5000, 'floor: page.evaluate did not return');
    const sides = [
      { label: 'a', page, key: 'a' },
      { label: 'b', page, key: 'b' },
    ];
    const states = async () => (await page.evaluate(pageFloorState))?.split('/') ?? [];
    return callOf(visitors, sides, {
      ready: async () => {
        const now = await states();
        return now.length === 2 && now.every((s) => s === 'connected');
      },
      ended: async () => {
        const now = await states();
        return now.length !== 2 || now.some((s) => s === 'closed' || s === 'failed') ? `states ${now.join('/') || 'none'}` : null;
      },
    });
  });
}

/** Each system's set-up. */
export const SET_UP = { product: productCall, peerjs: peerjsCall, floor: floorCall };
