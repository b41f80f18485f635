// Every control of a call from the keyboard, in Firefox. (The browser tests do this in Chromium
// with @web/test-runner's sendKeys, whose key presses hang in Firefox over WebDriver BiDi;
// puppeteer's own keyboard over BiDi works.) Two Firefox windows on the demo page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { closeBrowser, launchBrowser, openPage, startRelayProcess, type RelayProcess } from './harness.js';
import { waitFor } from '../support/wait.mjs';
import type {} from '../../src/ui/p2p-video-call.js'; // HTMLElementTagNameMap, typing page.evaluate

let relay: RelayProcess;
let browser: Browser;
before(async () => {
  relay = await startRelayProcess();
  browser = await launchBrowser('firefox');
});
after(async () => {
  await closeBrowser(browser);
  await relay?.stop();
});

const state = (page: Page) => page.evaluate(() => document.querySelector('p2p-video-call')!.state);
/** The part that has the keyboard focus inside the element, with its focus ring. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('p2p-video-call')!.shadowRoot!.activeElement as HTMLElement | null;
    return { part: active?.getAttribute('part') ?? null, ring: active ? getComputedStyle(active).outlineStyle : 'none' };
  });

/** Presses Tab until `part` has the focus (bounded), as a keyboard user does. */
async function tabTo(page: Page, part: string) {
  const seen: Array<string | null> = [];
  for (let i = 0; i < 30; i++) {
    const now = await focused(page);
    if (now.part === part) return now;
    seen.push(now.part);
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${part}; it went through ${seen.join(', ')}`);
}

/**
 * Makes the start of the page where Tab starts from, as a keyboard user arriving on it: focus
 * on a button placed before everything else (in a call the element fills the whole page, so
 * there is no spot outside it to click; a click inside a video would start Tab in there).
 */
async function fromTop(page: Page) {
  await page.evaluate(() => {
    let start = document.querySelector<HTMLButtonElement>('#test-tab-start');
    if (!start) {
      start = Object.assign(document.createElement('button'), { id: 'test-tab-start', textContent: 'start' });
      start.style.cssText = 'position: fixed; top: 0; left: 0; opacity: 0;';
      document.body.prepend(start);
    }
    start.focus();
  });
}

/** The parts Tab stops on, from the start of the page up to Hang up (bounded). */
async function tabStops(page: Page): Promise<Array<string | null>> {
  await fromTop(page);
  const stops: Array<string | null> = [];
  for (let i = 0; i < 14 && !stops.includes('hangup-button'); i++) {
    await page.keyboard.press('Tab');
    stops.push((await focused(page)).part);
  }
  return stops;
}

describe('the keyboard in Firefox', () => {
  it('works mute, camera, settings (Escape closes it) and hang-up, with a focus ring and aria-pressed, in order, with no tab stop on your own video', async (t) => {
    const room = `keys-${Date.now().toString(36)}`;
    const first = await openPage(browser, `${relay.url}/?room=${room}&autostart`);
    t.after(() => first.close());
    await waitFor(async () => (await state(first)) === 'waiting', { timeout: 15_000, message: 'first waiting' });
    const alone = await tabStops(first);
    assert.ok(!alone.some((p) => p?.endsWith('-video')), `tab stops while waiting: ${alone.join(', ')}`);
    const second = await openPage(browser, `${relay.url}/?room=${room}&autostart`);
    t.after(() => second.close());
    for (const page of [first, second]) {
      await waitFor(async () => (await state(page)) === 'connected', { timeout: 20_000, message: 'connected' });
    }
    // The keyboard of the window opened last, which has the focus (the other is in the background).
    const [other, keys] = [first, second];
    assert.equal(await keys.evaluate(() => document.hasFocus()), true);
    await fromTop(keys);

    const mute = await tabTo(keys, 'mute-button');
    assert.equal(mute.ring, 'solid', 'a visible focus ring');
    await keys.keyboard.press('Enter');
    await waitFor(() => keys.evaluate(() => document.querySelector('p2p-video-call')!.muted), {
      timeout: 5000,
      message: 'muted with Enter',
    });
    const pressed = (part: string) =>
      keys.evaluate(
        (p) => document.querySelector('p2p-video-call')!.shadowRoot!.querySelector(`[part="${p}"]`)!.getAttribute('aria-pressed'),
        part,
      );
    assert.equal(await pressed('mute-button'), 'true');

    await tabTo(keys, 'camera-button');
    await keys.keyboard.press('Enter');
    await waitFor(() => keys.evaluate(() => document.querySelector('p2p-video-call')!.cameraOff), {
      timeout: 5000,
      message: 'camera off with Enter',
    });
    assert.equal(await pressed('camera-button'), 'true');

    await tabTo(keys, 'settings-button');
    await keys.keyboard.press('Enter');
    const menuOpen = () =>
      keys.evaluate(
        () => !document.querySelector('p2p-video-call')!.shadowRoot!.querySelector<HTMLElement>('[part="device-menu"]')!.hidden,
      );
    await waitFor(menuOpen, { timeout: 5000, message: 'the device menu opened with Enter' });
    assert.equal((await focused(keys)).part, null, 'focus moved into the menu (a select, which has no part)');
    await keys.keyboard.press('Escape');
    await waitFor(async () => !(await menuOpen()), { timeout: 5000, message: 'Escape closed the menu' });
    assert.equal((await focused(keys)).part, 'settings-button', 'focus is back on its button');

    // From the top of the page, Tab goes through every control in order. The other person's
    // video is one stop: Firefox's own Picture-in-Picture toggle on it (browser UI, focusable
    // inside the video); your own video is none.
    const stops = await tabStops(keys);
    assert.deepEqual(
      stops.filter((p) => p !== 'remote-video'),
      [
        'mute-button',
        'camera-button',
        'screen-button',
        'chat-button',
        'settings-button',
        'pip-button',
        'fullscreen-button',
        'hangup-button',
      ],
    );
    assert.ok(stops.filter((p) => p === 'remote-video').length <= 1, stops.join(', '));

    const left = other.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'waiting', { timeout: 10_000 });
    await keys.keyboard.press('Enter'); // on Hang up
    await waitFor(async () => (await state(keys)) === 'ended', { timeout: 5000, message: 'ended with Enter' });
    await left;
  });
});
