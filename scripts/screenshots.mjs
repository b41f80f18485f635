#!/usr/bin/env node
// `npm run screenshots`: every state of <p2p-video-call>, and the demo page's three views, in
// Chromium and Firefox, at a phone (320 x 640), a phone held sideways (740 x 360), a tablet
// (768 x 1024) and a desktop (1280 x 800) size, into screenshots/<browser>/<size>-<state>.png (not committed: look at them).
// `--docs` also copies the ones the README shows into docs/. Runs the relay CLI on a free
// loopback port, inside the loopback-only namespace; the fake camera stands in for a person.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { assertLoopbackOnly, launchOptions, openWindow } from '../test/support/browsers.mjs';
import { LOOPBACK_CLIENTS_ENV } from '../test/support/processes.mjs';

assertLoopbackOnly('screenshots');
const root = fileURLToPath(new URL('..', import.meta.url));
const SIZES = {
  phone: { width: 320, height: 640 },
  landscape: { width: 740, height: 360 },
  tablet: { width: 768, height: 1024 },
  desktop: { width: 1280, height: 800 },
};
const DOCS = {
  'chromium/desktop-connected': 'call-desktop',
  'chromium/phone-connected': 'call-phone',
  'firefox/phone-previewing': 'preview-phone',
  'chromium/desktop-demo-prejoin': 'demo-prejoin',
  'firefox/landscape-connected-de': 'call-landscape-de',
  'chromium/desktop-connected-chat': 'call-chat-desktop',
  'chromium/phone-connected-chat': 'call-chat-phone',
};
const wantDocs = process.argv.includes('--docs');
const browsers = (process.env.BROWSERS ?? 'chromium,firefox').split(',');

const probe = createServer().listen(0, '127.0.0.1');
await once(probe, 'listening');
const port = /** @type {import('node:net').AddressInfo} */ (probe.address()).port;
probe.close();
const origin = `http://127.0.0.1:${port}`;

/** The relay CLI on `port`; resolves once /healthz answers (polled, bounded). */
async function startRelay() {
  const relay = spawn(process.execPath, ['lib/server/cli/cli.js', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...LOOPBACK_CLIENTS_ENV },
    stdio: 'inherit',
  });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return relay;
    await new Promise((resolve) => setTimeout(resolve, 100)); // starting: poll, bounded
  }
  throw new Error('the relay did not start');
}

/** Waits until `fn` (run in the page) is true, bounded. */
const until = (page, fn, arg, timeout = 15_000) => page.waitForFunction(fn, { timeout, polling: 50 }, arg);

/** A page of the relay's origin with one element in it (the demo page's chrome removed). */
async function elementPage(browser, attributes) {
  const page = await openWindow(browser);
  await page.goto(`${origin}/`);
  await page.evaluate(async (attributes) => {
    await customElements.whenDefined('p2p-video-call');
    document.body.replaceChildren();
    document.body.className = 'has-room'; // the demo's stylesheet hides an element before a room is chosen
    document.body.style.margin = '0';
    document.body.style.maxWidth = 'none';
    document.body.style.padding = '8px';
    const el = document.createElement('p2p-video-call');
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    document.body.append(el);
  }, attributes);
  return page;
}

const relayHolder = { relay: await startRelay() };
try {
  for (const kind of browsers) {
    const browser = await puppeteer.launch(launchOptions(/** @type {'chromium'|'firefox'} */ (kind)));
    const dir = `${root}screenshots/${kind}`;
    mkdirSync(dir, { recursive: true });
    /** Screenshots `page` (the element, or the whole page) at every size. */
    const shoot = async (page, state, { full = false, sizes = Object.keys(SIZES) } = {}) => {
      for (const size of sizes) {
        await page.setViewport(SIZES[size]);
        // The call bar shown (it fades after 4 s without activity) and laid out for the new width
        // (measured in the frame after a resize).
        await page.evaluate(async () => {
          document.querySelector('p2p-video-call')?.dispatchEvent(new PointerEvent('pointermove'));
          for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
        });
        const path = `${dir}/${size}-${state}.png`;
        if (full) await page.screenshot({ path });
        else await (await page.$('p2p-video-call')).screenshot({ path });
        const docs = DOCS[`${kind}/${size}-${state}`];
        if (wantDocs && docs) copyFileSync(path, `${root}docs/${docs}.png`);
      }
      console.log(`${kind}: ${state}`);
    };
    try {
      const room = () => `shot-${kind}-${Math.random().toString(36).slice(2, 8)}`;

      let page = await elementPage(browser, { room: room(), manual: '' });
      await shoot(page, 'idle');
      await page.evaluate(() => document.querySelector('p2p-video-call').preview());
      await until(page, () => document.querySelector('p2p-video-call').devices.some((d) => d.label));
      await shoot(page, 'previewing');
      await page.close();

      page = await elementPage(browser, { room: room(), manual: '' });
      await page.evaluate(() => {
        navigator.mediaDevices.getUserMedia = () =>
          new Promise(() => {
            // A person still deciding: never settles.
          });
        navigator.permissions.query = () => Promise.resolve({ state: 'prompt' });
        void document.querySelector('p2p-video-call').start();
      });
      await until(page, () => document.querySelector('p2p-video-call').state === 'requesting-media');
      await shoot(page, 'requesting-media');
      await page.close();

      page = await elementPage(browser, { room: room(), manual: '' });
      await page.evaluate(() => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
        navigator.permissions.query = () => Promise.resolve({ state: 'prompt' });
        void document.querySelector('p2p-video-call').start();
      });
      await until(page, () => document.querySelector('p2p-video-call').state === 'failed');
      await shoot(page, 'failed-camera-denied');
      await page.close();

      // A call: the subject and the other person, in two windows.
      const name = room();
      const subject = await elementPage(browser, { room: name, name: 'Ada Lovelace' });
      await until(subject, () => document.querySelector('p2p-video-call').state === 'waiting');
      await shoot(subject, 'waiting');
      const other = await elementPage(browser, { room: name, name: 'Grace Hopper' });
      await until(subject, () => document.querySelector('p2p-video-call').quality);
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="remote-video"]').videoWidth > 0);
      await shoot(subject, 'connected');
      await subject.evaluate(() => (document.querySelector('p2p-video-call').lang = 'de'));
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('.texts').lang === 'de');
      await shoot(subject, 'connected-de');
      await subject.evaluate(() => (document.querySelector('p2p-video-call').lang = 'ja'));
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('.texts').lang === 'ja');
      await shoot(subject, 'connected-ja', { sizes: ['phone'] });
      await subject.evaluate(() => (document.querySelector('p2p-video-call').lang = 'en'));
      await subject.evaluate(() => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="settings-button"]').click());
      await shoot(subject, 'connected-device-menu');
      await subject.evaluate(() => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="settings-button"]').click());
      await other.evaluate(() => (document.querySelector('p2p-video-call').cameraOff = true));
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="placeholder"]'));
      await shoot(subject, 'connected-camera-off');
      await other.evaluate(() => (document.querySelector('p2p-video-call').cameraOff = false));
      // Muted: the status says so and your own picture has the mark.
      await subject.evaluate(() => (document.querySelector('p2p-video-call').muted = true));
      await shoot(subject, 'connected-muted');
      await subject.evaluate(() => (document.querySelector('p2p-video-call').muted = false));
      // The "more" menu open: where the bar is too narrow for every button.
      await subject.setViewport(SIZES.phone);
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="more-button"]'));
      await subject.evaluate(() => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="more-button"]').click());
      await shoot(subject, 'connected-more-menu', { sizes: ['phone', 'landscape'] });
      await subject.evaluate(() =>
        document
          .querySelector('p2p-video-call')
          .shadowRoot.querySelector('[part="more-menu"]')
          .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })),
      );
      // Sharing the screen, both sides (Chromium: Firefox cannot share a fake screen).
      if (kind === 'chromium') {
        await subject.evaluate(() => document.querySelector('p2p-video-call').shareScreen());
        await until(other, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="remote-video"].screen'));
        await shoot(subject, 'sharing');
        await shoot(other, 'connected-screen-shared');
        await subject.evaluate(() => document.querySelector('p2p-video-call').stopScreenShare());
      }

      // The chat: a line each way, a file arrived, and a large one arriving (its progress).
      const chatOf = (page) =>
        page.evaluate(() => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="chat-button"]').click());
      await chatOf(other);
      await other.type('p2p-video-call >>> [part="chat-input"]', 'Here are the notes from this morning, and the recording.');
      await other.keyboard.press('Enter');
      await other.evaluate(async () => {
        const el = document.querySelector('p2p-video-call');
        await el.sendFile(new Blob(['Notes: ship the chat on Friday.'], { type: 'text/plain' }), 'notes.txt');
        // 96 MiB (under the default max-file-size): still arriving when the picture is taken.
        void el.sendFile(new Blob([new Uint8Array(96 << 20)], { type: 'video/webm' }), 'recording.webm');
      });
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="chat-button"] .badge'));
      await chatOf(subject);
      await subject.type('p2p-video-call >>> [part="chat-input"]', 'Thanks! Got them.');
      await subject.keyboard.press('Enter');
      await until(subject, () => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="chat"] progress')?.value > 0);
      await shoot(subject, 'connected-chat');
      await chatOf(subject);

      // The other one hangs up: the status names who left, then waits for someone.
      await other.evaluate(() => document.querySelector('p2p-video-call').hangUp());
      await until(subject, () => document.querySelector('p2p-video-call').state === 'waiting');
      await shoot(subject, 'peer-left');
      await subject.evaluate(() => document.querySelector('p2p-video-call').hangUp());
      await shoot(subject, 'ended');
      await Promise.all([subject.close(), other.close()]);

      // The relay gone while waiting (a call in progress keeps its media flowing and stays
      // connected): it reconnects. The relay comes back for what follows.
      const lonely = await elementPage(browser, { room: room(), name: 'Ada Lovelace' });
      await until(lonely, () => document.querySelector('p2p-video-call').state === 'waiting');
      relayHolder.relay.kill();
      await until(lonely, () => document.querySelector('p2p-video-call').state === 'reconnecting');
      await shoot(lonely, 'reconnecting');
      relayHolder.relay = await startRelay();
      await lonely.close();

      // The demo page as a person uses it: landing, pre-join, in a call.
      const demo = await openWindow(browser);
      await demo.goto(`${origin}/`);
      await shoot(demo, 'demo-landing', { full: true });
      await demo.type('#name', 'Ada Lovelace');
      await demo.click('#submit');
      await until(demo, () => document.querySelector('p2p-video-call').state === 'previewing');
      await shoot(demo, 'demo-prejoin', { full: true });
      const link = await demo.$eval('#invite-link', (input) => input.value);
      await demo.click('p2p-video-call >>> [part="start-button"]');
      const guest = await openWindow(browser);
      await guest.goto(link);
      await until(guest, () => document.querySelector('p2p-video-call').state === 'previewing');
      await guest.evaluate(() => document.querySelector('p2p-video-call').shadowRoot.querySelector('[part="start-button"]').click());
      await until(demo, () => document.querySelector('p2p-video-call').quality);
      await shoot(demo, 'demo-in-call', { full: true });
      await Promise.all([demo.close(), guest.close()]);
    } finally {
      await browser.close();
    }
  }
} finally {
  relayHolder.relay.kill();
}
console.log(`wrote screenshots/${wantDocs ? ' and docs/' : ''}`);
