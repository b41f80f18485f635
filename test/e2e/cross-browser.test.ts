// A Chromium page and a Firefox page call each other through the real relay process, as two
// visitors of a website would: the demo page served by the relay, the drop-in bundle, the element.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import {
  closeBrowser,
  countFrames,
  launchBrowser,
  openPage,
  startRelayProcess,
  type BrowserKind,
  type FrameCount,
  type RelayProcess,
} from './harness.js';
import {
  call as callOf,
  newRoom,
  PEER_CONNECTION_LOG,
  stateOf,
  visit as visitPage,
  waiting,
  type VisitOptions,
  type Visitor,
} from './visitors.js';
import { startRedis } from '../support/redis.mjs';
import { GiveUp, waitFor } from '../support/wait.mjs';

const REMOTE_VIDEO = 'p2p-video-call >>> [part="remote-video"]';
let relay: RelayProcess;
const browsers = {} as Record<BrowserKind, Browser>;

before(async () => {
  relay = await startRelayProcess({ env: { REJOIN_GRACE: '3' } });
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});

after(async () => {
  await Promise.all(Object.values(browsers).map((b) => closeBrowser(b)));
  await relay?.stop();
});

/** A visitor of the shared relay's demo page in `kind`. */
const visit = (kind: BrowserKind, room: string, name: string, relayUrl = relay.url) => visitPage(browsers[kind], relayUrl, room, name);

/** Two visitors of the shared relay in a new room, both connected. */
const call = (
  t: { after(fn: () => unknown): void },
  firstKind: BrowserKind,
  secondKind: BrowserKind,
  names: string[] = [firstKind, secondKind],
  options: VisitOptions = {},
) => callOf(t, relay.url, [browsers[firstKind], browsers[secondKind]], [names[0], names[1]], options);

async function assertVideoPlays(visitor: Visitor, what: string) {
  const { frames, width } = await countFrames(visitor.page, REMOTE_VIDEO, 1500);
  assert.ok(frames >= 3 && width > 0, `${what}: ${frames} frames of width ${width} in 1.5 s`);
}

for (const [firstKind, secondKind] of [
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
] as const) {
  describe(`${firstKind} joins first, then ${secondKind}`, () => {
    it('both reach call-connected and both see the other’s video', async (t) => {
      const {
        first,
        second,
        connected: [a, b],
      } = await call(t, firstKind, secondKind);
      assert.ok((a.detail as { peerId: string }).peerId);
      const joined = await first.log.waitFor('peer-joined');
      assert.equal((joined.detail as { name: string }).name, secondKind);
      assert.notEqual((a.detail as { peerId: string }).peerId, (b.detail as { peerId: string }).peerId);
      await assertVideoPlays(first, `${firstKind} showing ${secondKind}`);
      await assertVideoPlays(second, `${secondKind} showing ${firstKind}`);
    });
  });
}

describe('a Chromium visitor shares the screen with a Firefox visitor', () => {
  it('Firefox is told and plays the screen at its size, then the camera again when sharing stops', async (t) => {
    const { first: sharer, second: viewer } = await call(t, 'chromium', 'firefox', ['shares', 'views']);
    await assertVideoPlays(viewer, 'firefox showing the camera');
    const camera = await sharer.page.evaluate(() =>
      document.querySelector('p2p-video-call')!.localStream!.getVideoTracks()[0].getSettings(),
    );

    // Keeps the screen track Chromium hands out (its fake screen, picked without a prompt under
    // --use-fake-ui-for-media-stream), without changing it. Its size is read once it runs: the
    // fake screen says 800x600 at first and then sends 800x450.
    await sharer.page.evaluate(() => {
      const media = navigator.mediaDevices;
      const original = media.getDisplayMedia.bind(media);
      media.getDisplayMedia = async (options) => {
        const stream = await original(options);
        (window as unknown as { screen: MediaStreamTrack }).screen = stream.getVideoTracks()[0];
        return stream;
      };
    });
    const mark = await viewer.log.count();
    const sharing = await sharer.page.evaluate(async () => {
      const el = document.querySelector('p2p-video-call')!;
      await el.shareScreen();
      return el.screenSharing;
    });
    assert.equal(sharing, true);
    const screenSize = () => sharer.page.evaluate(() => (window as unknown as { screen: MediaStreamTrack }).screen.getSettings());
    const told = await viewer.log.waitFor('remote-media-change', {
      since: mark,
      where: (e) => (e.detail as { screen?: boolean }).screen === true,
    });
    assert.deepEqual(told.detail, { audio: true, video: true, screen: true });
    // The screen, not the camera, arrives: frames at the screen's size (once the encoder got there).
    let seen: FrameCount | undefined;
    let screen: MediaTrackSettings = {};
    await waitFor(
      async () => {
        seen = await countFrames(viewer.page, REMOTE_VIDEO, 300);
        screen = await screenSize();
        return seen.frames > 0 && seen.width === screen.width && seen.height === screen.height;
      },
      { timeout: 10_000, message: 'firefox playing frames of the screen’s size' },
    ).catch((error: Error) => assert.fail(`${error.message}: screen ${JSON.stringify(screen)}, seen ${JSON.stringify(seen)}`));
    assert.notEqual(screen.width, camera.width, 'the screen is told from the camera by its width');

    const mark2 = await viewer.log.count();
    await sharer.page.evaluate(() => document.querySelector('p2p-video-call')!.stopScreenShare());
    await viewer.log.waitFor('remote-media-change', {
      since: mark2,
      where: (e) => (e.detail as { screen?: boolean }).screen === false,
    });
    await waitFor(
      async () => {
        const { frames, width } = await countFrames(viewer.page, REMOTE_VIDEO, 300);
        return frames > 0 && width === camera.width;
      },
      { timeout: 10_000, message: `firefox playing the camera (${camera.width} wide) again` },
    );
  });
});

describe('two relay nodes sharing Redis', () => {
  it('a Chromium visitor on node 1 and a Firefox visitor on node 2 call each other with video', async (t) => {
    const redis = await startRedis();
    t.after(() => redis.stop());
    const env = { REDIS_URL: redis.url, REJOIN_GRACE: '3' };
    const [one, two] = await Promise.all([startRelayProcess({ env }), startRelayProcess({ env })]);
    t.after(() => Promise.all([one.stop(), two.stop()]));
    const room = newRoom();
    const first = await visit('chromium', room, 'on node 1', one.url);
    t.after(() =>
      first.page.close().catch(() => {
        // Closed already: nothing to clean.
      }),
    );
    await waiting(first);
    const second = await visit('firefox', room, 'on node 2', two.url);
    t.after(() =>
      second.page.close().catch(() => {
        // Closed already: nothing to clean.
      }),
    );
    await Promise.all([
      first.log.waitFor('call-connected', { timeout: 20_000 }),
      second.log.waitFor('call-connected', { timeout: 20_000 }),
    ]);
    await assertVideoPlays(first, 'chromium (node 1) showing firefox');
    await assertVideoPlays(second, 'firefox (node 2) showing chromium');
    // Each node counts both participants (the counts are Redis's) and only its own connection.
    for (const node of [one, two]) {
      const metrics = await node.metrics();
      assert.deepEqual(
        ['rooms', 'participants', 'connections'].map((name) => metrics.get(`p2p_video_call_${name}`)),
        [1, 2, 1],
      );
    }
  });
});

describe('a visitor closes the page mid-call and comes back', () => {
  it('the other sees peer-left at once (the page’s goodbye, not the grace), and both reconnect when the link is reopened', async (t) => {
    const { room, first: stayer, second: leaver } = await call(t, 'chromium', 'firefox', ['stays', 'leaves']);

    const mark = await stayer.log.count();
    const closedAt = Date.now();
    await leaver.page.close();
    // REJOIN_GRACE is 3 s for this relay: within 2 s it can only be the page's `away`.
    await stayer.log.waitFor('peer-left', { since: mark, timeout: 2000 });
    const peerLeftAfter = Date.now() - closedAt;
    assert.equal(await stateOf(stayer.page), 'waiting');
    t.diagnostic(`peer-left ${peerLeftAfter} ms after the page was closed`);

    const mark2 = await stayer.log.count();
    const back = await visit('firefox', room, 'is back');
    t.after(() => back.page.close());
    await back.log.waitFor('call-connected', { timeout: 20_000 });
    await stayer.log.waitFor('call-connected', { since: mark2, timeout: 20_000 });
    await assertVideoPlays(stayer, 'the stayer sees the returning visitor');
    await assertVideoPlays(back, 'the returning visitor sees the stayer');
  });
});

describe('a visitor reloads the page mid-call', () => {
  it('defect 4: keeps its seat (the same peer id, from localStorage); the other hears peer-left, then peer-joined, and both talk again', async (t) => {
    const room = newRoom();
    const stayer = await visit('firefox', room, 'stays');
    t.after(() => stayer.page.close());
    await waiting(stayer);
    const page = await openPage(browsers.chromium, `${relay.url}/?room=${room}&autostart`);
    t.after(() => page.close());
    const connected = (p: Page) =>
      p.waitForFunction(() => document.querySelector('p2p-video-call')?.state === 'connected', { timeout: 20_000 });
    await Promise.all([connected(page), connected(stayer.page)]);
    const seatOf = () => stayer.page.evaluate(() => document.querySelector('p2p-video-call')!.peer?.id);
    const before = await seatOf();
    assert.ok(before);

    const mark = await stayer.log.count();
    await page.reload();
    await connected(page);
    await stayer.log.waitFor('peer-joined', { since: mark, timeout: 20_000 });
    await stayer.log.waitFor('call-connected', { since: mark, timeout: 20_000 });
    assert.equal(await seatOf(), before, 'the reloaded page has the seat it had');
    const events = (await stayer.log.all()).slice(mark).map((e) => e.type);
    const left = events.indexOf('peer-left');
    assert.ok(left >= 0 && left < events.indexOf('peer-joined'), `told it left, then that it is back: ${events.join(', ')}`);
    await assertVideoPlays(stayer, 'the stayer sees the reloaded page');
    // One seat for this room (the browser keeps the other tests' rooms too).
    const stored = await page.evaluate(
      (r) => Object.keys(localStorage).filter((k) => k.startsWith('p2p-video-call:seat:') && k.endsWith(`#${r}`)),
      room,
    );
    assert.equal(stored.length, 1);
  });
});

describe('a visitor’s browser crashes mid-call', () => {
  it('the other sees peer-left within the relay’s grace period, with no goodbye from the page', async (t) => {
    const crashing = await launchBrowser('chromium');
    t.after(() => closeBrowser(crashing));
    const room = newRoom();
    const stayer = await visit('firefox', room, 'stays');
    t.after(() => stayer.page.close());
    await waiting(stayer);
    const page = await openPage(crashing, `${relay.url}/?room=${room}&autostart`);
    await page.waitForFunction(() => document.querySelector('p2p-video-call')?.state === 'connected', { timeout: 20_000 });
    await stayer.log.waitFor('call-connected', { timeout: 20_000 });

    const mark = await stayer.log.count();
    const crashedAt = Date.now();
    crashing.process()!.kill('SIGKILL'); // no pagehide, no leave: only the TCP connection drops
    // REJOIN_GRACE is 3 s for this relay; ICE consent failure may notice it too.
    await stayer.log.waitFor('peer-left', { since: mark, timeout: 10_000 });
    t.diagnostic(`peer-left ${Date.now() - crashedAt} ms after the browser was killed`);
    assert.equal(await stateOf(stayer.page), 'waiting');
  });
});

describe('the relay process is killed mid-call and started again', () => {
  it('keeps video playing while the relay is down, and a hang-up afterwards reaches the other side', async (t) => {
    const { first: a, second: b } = await call(t, 'chromium', 'firefox', ['a', 'b'], { beforeLoad: PEER_CONNECTION_LOG });
    // From here on, every offer/answer on the call's connections counts (a renegotiation).
    const watchNegotiation = (visitor: Visitor) =>
      visitor.page.evaluate(() => {
        const w = window as unknown as { __pcs: RTCPeerConnection[]; __negotiations: number };
        w.__negotiations = 0;
        const open = w.__pcs.filter((pc) => pc.connectionState !== 'closed');
        for (const pc of open) pc.addEventListener('signalingstatechange', () => w.__negotiations++);
        return open.length;
      });
    const pcsBefore = new Map([
      [a, await watchNegotiation(a)],
      [b, await watchNegotiation(b)],
    ]);
    const negotiations = (visitor: Visitor) =>
      visitor.page.evaluate(() => (window as unknown as { __negotiations: number }).__negotiations);

    const mark = { a: await a.log.count(), b: await b.log.count() };
    await relay.kill(); // SIGKILL: no goodbye to anyone
    await a.log.waitFor('call-reconnecting', { since: mark.a });
    await b.log.waitFor('call-reconnecting', { since: mark.b });
    // Media is peer to peer: both videos keep playing while there is no relay at all.
    await assertVideoPlays(a, 'chromium while the relay is down');
    await assertVideoPlays(b, 'firefox while the relay is down');
    assert.deepEqual([await stateOf(a.page), await stateOf(b.page)], ['connected', 'connected']);

    await relay.restart();
    // Both rejoin the new relay as the same participants: nobody left, nobody joined anew, and
    // the call is the same one (no new peer connection, no renegotiation of its media).
    await waitForParticipants(2);
    for (const [visitor, since] of [
      [a, mark.a],
      [b, mark.b],
    ] as const) {
      const events = (await visitor.log.all()).slice(since).map((e) => e.type);
      assert.ok(!events.includes('peer-left') && !events.includes('call-ended'), `no teardown: ${events.join(', ')}`);
      assert.ok(!events.includes('peer-joined'), `no new call: ${events.join(', ')}`);
    }
    for (const visitor of [a, b]) {
      const open = await visitor.page.evaluate(
        () => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed').length,
      );
      assert.equal(open, pcsBefore.get(visitor), 'the same peer connections');
      assert.equal(await negotiations(visitor), 0, 'no offer or answer since the relay went away');
    }
    await assertVideoPlays(a, 'chromium after the relay restart');
    await assertVideoPlays(b, 'firefox after the relay restart');

    const markB = await b.log.count();
    await a.page.evaluate(() => document.querySelector('p2p-video-call')!.hangUp());
    await b.log.waitFor('peer-left', { since: markB, timeout: 5000 });
    assert.equal(await stateOf(b.page), 'waiting');
  });
});

describe('the demo page: a room name, its invite link, the call filling the page', () => {
  it('Chromium makes up a room and copies its invite link; Firefox opens the link and they talk; no CSP violation', async (t) => {
    // (The landing form's button is "Continue"; in the pre-join view the element's own Join joins.)
    const host = await openPage(browsers.chromium, `${relay.url}/`);
    t.after(() => host.close());
    const response = await host.reload();
    assert.match(response!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    const watchCsp = (page: Page) =>
      page.evaluate(() => {
        const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
    const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    await watchCsp(host);

    // The landing view: a made-up room name, another on request; no call, no event log.
    const made = await host.$eval('#room', (el) => (el as HTMLInputElement).value);
    assert.match(made, /^[a-z]+-[a-z]+-\d+$/);
    // No invite section before a room exists (issue 23: `display: grid` used to beat `hidden`).
    assert.equal(await host.$eval('#invite', (el) => getComputedStyle(el).display), 'none');
    await host.click('#new-room');
    const room = await host.$eval('#room', (el) => (el as HTMLInputElement).value);
    assert.match(room, /^[a-z]+-[a-z]+-\d+$/);
    assert.equal(await host.$eval('#debug', (el) => (el as HTMLElement).hidden), true);
    await host.type('#name', 'Host');

    // Continue: the pre-join preview of that room, with its invite link.
    await host.click('#submit');
    await host.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'previewing', { timeout: 10_000 });
    const link = await host.$eval('#invite-link', (el) => (el as HTMLInputElement).value);
    assert.equal(link, `${relay.url}/?room=${room}`);
    assert.equal(new URL(host.url()).searchParams.get('room'), room, 'the address bar is the room');
    await host.browserContext().overridePermissions(relay.url, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await host.click('#copy');
    await host.waitForFunction(() => document.querySelector('#copied')!.textContent !== '', { timeout: 5000 });
    const copied = await host.$eval('#copied', (el) => el.textContent);
    if (copied.startsWith('Link copied')) assert.equal(await host.evaluate(() => navigator.clipboard.readText()), link);
    else assert.match(copied, /Press Ctrl\+C/); // no clipboard here: the link is selected instead

    const joinButton = 'p2p-video-call >>> [part="start-button"]';
    assert.equal(await host.$eval(joinButton, (b) => b.textContent.trim()), 'Join');
    await host.click(joinButton);
    await host.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'waiting', { timeout: 10_000 });

    // The guest opens the link: the same room, their own preview, then "Join call".
    const guest = await openPage(browsers.firefox, link);
    t.after(() => guest.close());
    await watchCsp(guest);
    await guest.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'previewing', { timeout: 10_000 });
    assert.equal(await guest.$eval('#room', (el) => (el as HTMLInputElement).value), room);
    // The invited one has nobody to send the link to: no invite section, a lead for them.
    assert.equal(await guest.$eval('#invite', (el) => getComputedStyle(el).display), 'none');
    assert.match(await guest.$eval('#lead', (el) => el.textContent), /You were invited/);
    await guest.evaluate(() =>
      document.querySelector('p2p-video-call')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="start-button"]')!.click(),
    );
    for (const page of [host, guest]) {
      await page.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'connected', { timeout: 20_000 });
    }

    // In the call, the element fills the page below the invite bar.
    for (const page of [host, guest]) {
      const { element, viewport } = await page.evaluate(() => ({
        element: document.querySelector('p2p-video-call')!.getBoundingClientRect().height,
        viewport: innerHeight,
      }));
      assert.ok(element > viewport * 0.7, `the call is ${element} px of a ${viewport} px page`);
      assert.deepEqual(await cspViolations(page), []);
    }
  });
});

describe('the demo page with a link that was tampered with (issue 23)', () => {
  for (const [what, room] of [
    ['spaces', 'my room'],
    ['emoji', 'party🎉'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['200 characters', 'a'.repeat(200)],
    ['nothing', ''],
  ] as const) {
    it(`?room= with ${what}: says the rule, suggests a usable room, and goes on with it`, async (t) => {
      const page = await openPage(browsers.chromium, `${relay.url}/?room=${encodeURIComponent(room)}&lang=de`);
      t.after(() => page.close());
      const notFound: string[] = [];
      page.on('response', (response) => void (response.status() === 404 && notFound.push(response.url())));
      await page.reload();
      await page.waitForFunction(() => !document.querySelector<HTMLElement>('#room-error')!.hidden, { timeout: 10_000 });
      const error = await page.$eval('#room-error', (el) => el.textContent);
      assert.match(error, room ? /1 to 64 letters, digits, dots, dashes or underscores/ : /names no room/);
      assert.equal(await page.$$eval('#room-error img', (images) => images.length), 0, 'markup shown as text');
      assert.equal(
        await page.evaluate(() => document.querySelector('p2p-video-call')!.state),
        'idle',
        'no preview of a room that cannot be used',
      );
      const suggestion = await page.$eval('#room', (el) => (el as HTMLInputElement).value);
      assert.match(suggestion, /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/);
      if (what === 'spaces') assert.equal(suggestion, 'my-room');
      assert.ok(error.includes(`“${suggestion}”`), 'the suggestion is named');
      // Continue takes the suggestion to the preview; the invite link keeps the language.
      await page.click('#submit');
      await page.waitForFunction(() => document.querySelector('p2p-video-call')!.state === 'previewing', { timeout: 10_000 });
      assert.equal(await page.$eval('#invite-link', (el) => (el as HTMLInputElement).value), `${relay.url}/?room=${suggestion}&lang=de`);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
      // The title wraps instead of running off the page.
      assert.ok(await page.$eval('#room-title', (el) => el.scrollWidth <= el.clientWidth + 1));
      assert.deepEqual(notFound, [], 'no 404 (a favicon is inline)');
      await page.evaluate(() => document.querySelector('p2p-video-call')!.hangUp());
    });
  }
});

describe('a site loads the drop-in script from the relay with Subresource Integrity', () => {
  const integrity = readFileSync(new URL('../../dist/p2p-video-call.js.integrity', import.meta.url), 'utf8').trim();
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let site: Server;
  let siteUrl: string;
  before(async () => {
    // Another origin than the relay's, as a site embedding the element is.
    site = createServer((request, response) => {
      const hash = new URL(request.url ?? '/', 'http://x').searchParams.get('integrity') ?? '';
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><script type="module" src="${relay.url}/p2p-video-call@${version}.js" integrity="${hash}" crossorigin="anonymous" ` +
          `onload="document.title='loaded'" onerror="document.title='refused'"></script>`,
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  });
  after(() => {
    site.closeAllConnections();
    return new Promise((resolve) => site.close(resolve));
  });

  for (const kind of ['chromium', 'firefox'] as const) {
    it(`${kind}: runs the script with the build's integrity, and refuses it with another`, async () => {
      assert.match(integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
      const outcome = async (hash: string) => {
        const page = await openPage(browsers[kind], `${siteUrl}?integrity=${encodeURIComponent(hash)}`);
        try {
          await waitFor(async () => ['loaded', 'refused'].includes(await page.title()), {
            timeout: 10_000,
            message: 'the script to load or be refused',
          });
          return [await page.title(), await page.evaluate(() => customElements.get('p2p-video-call') !== undefined)];
        } finally {
          await page.close();
        }
      };
      assert.deepEqual(await outcome(integrity), ['loaded', true]);
      const wrong = `sha384-${Buffer.alloc(48).toString('base64')}`;
      assert.deepEqual(await outcome(wrong), ['refused', false]);
    });
  }
});

/** Polls the relay's metrics until it counts `n` participants (bounded). */
async function waitForParticipants(n: number, timeout = 20_000) {
  let last: unknown;
  await waitFor(
    async () => {
      // An unreachable relay fails at once, as before: only the count is waited for.
      last = (
        await relay.metrics().catch((error: Error) => Promise.reject(new GiveUp(`GET /metrics: ${error.message}`, { cause: error })))
      ).get('p2p_video_call_participants');
      return last === n;
    },
    { timeout, interval: 100, message: `the relay to count ${n} participants` },
  ).catch((error: Error) => {
    if (error instanceof GiveUp) throw error;
    throw new Error(`the relay never counted ${n} participants: ${JSON.stringify(last)}`, { cause: error });
  });
}
