// Environment checks for the end-to-end harness: both browsers launch with the test flags in
// the loopback-only namespace and get a fake camera whose video plays; the event recorder,
// coturn and the relay CLI work. If one fails, the machine or the harness is broken, not the
// product.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { stunBinding } from '../support/coturn.mjs';
import {
  closeBrowser,
  countFrames,
  launchBrowser,
  openPage,
  recordEvents,
  startCoturn,
  startRelayProcess,
  waitForEvent,
  type BrowserKind,
} from './harness.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>environment</title>
<video id="camera" muted autoplay playsinline></video>`;

describe('e2e environment', () => {
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const kind of ['chromium', 'firefox'] satisfies BrowserKind[]) {
    it(`${kind}: launches, opens a window, plays a fake camera, records element events`, async (t) => {
      const started = performance.now();
      const browser = await launchBrowser(kind);
      t.after(() => closeBrowser(browser));
      const launchMs = Math.round(performance.now() - started);
      const page = await openPage(browser, url);
      // tsx wraps this named arrow function in __name(): openPage's shim must make that work.
      assert.equal(
        await page.evaluate(() => {
          const named = () => 42;
          return named();
        }),
        42,
      );
      assert.equal(await page.evaluate(() => document.visibilityState), 'visible');

      const settings = await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
        (document.getElementById('camera') as HTMLVideoElement).srcObject = stream;
        const [video] = stream.getVideoTracks();
        return { readyState: video?.readyState, width: video?.getSettings().width ?? 0, audio: stream.getAudioTracks().length };
      });
      assert.equal(settings.readyState, 'live');
      assert.ok(settings.width > 0, `video width ${settings.width}`);
      assert.equal(settings.audio, 1);

      const { frames, width, height } = await countFrames(page, '#camera', 500);
      assert.ok(frames >= 3, `only ${frames} frames painted in 500 ms`);
      t.diagnostic(`${kind}: launch ${launchMs} ms, ${frames} frames in 500 ms at ${width}x${height}`);

      // An undefined element of the right name stands in for <p2p-video-call>: this checks the
      // recorder, not the product.
      const log = await recordEvents(page);
      await page.evaluate(() => {
        const el = document.createElement('p2p-video-call');
        el.id = 'stand-in';
        document.body.append(el);
        el.dispatchEvent(
          new CustomEvent('call-state-change', { detail: { state: 'joining', previous: 'idle' }, bubbles: true, composed: true }),
        );
        document.body.dispatchEvent(new CustomEvent('call-connected', { bubbles: true })); // not from the element
      });
      const event = await waitForEvent(page, 'call-state-change', { timeout: 2000 });
      assert.deepEqual(event.detail, { state: 'joining', previous: 'idle' });
      assert.equal(event.target, 'stand-in');
      assert.equal((await log.all()).length, 1);
      await assert.rejects(waitForEvent(page, 'call-connected', { timeout: 200 }), /Timed out/);
    });
  }

  it('coturn starts, answers STUN, and restarts on the same port', async (t) => {
    const turn = await startCoturn();
    t.after(() => turn.stop());
    assert.deepEqual(turn.urls, [`turn:127.0.0.1:${turn.port}?transport=udp`]);
    const pid = turn.pid;
    await turn.restart();
    assert.notEqual(turn.pid, pid);
    assert.equal(await stunBinding(turn.port, 1000), true);
  });

  it('the relay CLI serves /healthz, and comes back on the same port after kill -9', async (t) => {
    const relay = await startRelayProcess();
    t.after(() => relay.stop());
    assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
    await relay.kill();
    assert.equal(relay.isRunning(), false);
    await assert.rejects(fetch(`${relay.url}/healthz`));
    await relay.restart();
    assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
  });
});
