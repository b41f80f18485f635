// Real network faults in a call between two visitors, each in a browser of its own: nftables
// rules in the loopback-only namespace (test/support/network-faults.mjs) drop all UDP (media,
// STUN, TURN), the relay's TCP port, or a share of packets, or cap the rate, and a real coturn is
// killed. What a person would notice is asserted: the call says it lost the connection (within
// 1.5 s, in both browsers), the other person's picture is dimmed meanwhile, and video plays again
// soon after the network is back, without the call ending or being rebuilt.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import {
  closeBrowser,
  countFrames,
  firstFrameAfter,
  launchBrowser,
  recordFrameTimes,
  startCoturn,
  startRelayProcess,
  waitFor,
  type BrowserKind,
  type RecordedEvent,
  type RelayProcess,
} from './harness.js';
import { networkFaults, type NetworkFaults } from '../support/network-faults.mjs';
import { call, PEER_CONNECTION_LOG, stateOf, type Visitor, type VisitOptions } from './visitors.js';

const REMOTE_VIDEO = 'p2p-video-call >>> [part="remote-video"]';
let relay: RelayProcess;
const browsers = {} as Record<BrowserKind, Browser>;

before(async () => {
  relay = await startRelayProcess();
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});

after(async () => {
  await Promise.all(Object.values(browsers).map((b) => closeBrowser(b)));
  await relay?.stop();
});

declare global {
  interface Window {
    __pcs?: RTCPeerConnection[];
  }
}

interface Side extends Visitor {
  name: string;
  /** `performance.timeOrigin` of the page: its event times as epoch ms. */
  origin: number;
}

/** Two visitors connected, their remote video playing and its frames timed, peer connections recorded. */
async function connectedPair(
  t: { after(fn: () => unknown): void },
  kinds: [BrowserKind, BrowserKind],
  relayUrl = relay.url,
  options: VisitOptions = {},
) {
  const names: [string, string] = [`${kinds[0]} 1`, `${kinds[1]} 2`];
  const { first, second } = await call(t, relayUrl, [browsers[kinds[0]], browsers[kinds[1]]], names, {
    beforeLoad: PEER_CONNECTION_LOG,
    ...options,
  });
  const sides: Side[] = [];
  for (const [i, visitor] of [first, second].entries()) {
    await recordFrameTimes(visitor.page, REMOTE_VIDEO);
    await firstFrameAfter(visitor.page, Date.now(), { frames: 10 });
    sides.push({ ...visitor, name: names[i], origin: await visitor.page.evaluate(() => performance.timeOrigin) });
  }
  return sides;
}

/** Waits `ms` with the network cut: the outage's length, not a wait for something to happen. */
const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Events since `mark` with their time after `from` (epoch ms), for a failure message. */
async function timeline(side: Side, mark: number, from: number): Promise<string> {
  return (await side.log.all())
    .slice(mark)
    .map((e) => `${Math.round(side.origin + e.time - from)} ms ${e.type} ${e.type === 'quality-change' ? '' : JSON.stringify(e.detail)}`)
    .join('; ');
}

/** Event types (with the reason of call-reconnecting) since `mark`. */
async function eventsSince(side: Side, mark: number): Promise<string[]> {
  return (await side.log.all())
    .slice(mark)
    .map((e) => (e.type === 'call-reconnecting' ? `${e.type} ${(e.detail as { reason: string }).reason}` : e.type));
}

/** The page's peer connections still open: which ones (by their index among all it made) and their media sections (mids). */
const connections = (page: Page) =>
  page.evaluate(() =>
    (window.__pcs ?? [])
      .map((pc, i) =>
        pc.connectionState === 'closed'
          ? ''
          : `#${i}: ${pc
              .getTransceivers()
              .map((x) => x.mid)
              .join(',')}`,
      )
      .filter(Boolean),
  );

const mediaLost = (side: Side, since: number, timeout: number) =>
  side.log.waitFor('call-reconnecting', {
    since,
    timeout,
    where: (e: RecordedEvent) => (e.detail as { reason: string }).reason === 'media-lost',
  });

/** The local port of the page's connection's selected candidate pair. */
const localPort = (page: Page) =>
  page.evaluate(async () => {
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState !== 'connected') continue;
      const report = await pc.getStats();
      let pair: { localCandidateId?: string } | undefined;
      report.forEach((s: { type: string; selectedCandidatePairId?: string; selected?: boolean; localCandidateId?: string }) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) as typeof pair;
        if (s.type === 'candidate-pair' && s.selected) pair ??= s;
      });
      const port = (report.get(pair?.localCandidateId ?? '') as { port?: number } | undefined)?.port;
      if (port) return port;
    }
    throw new Error('no connected peer connection with a selected candidate pair');
  });

/** Whether the element shows the other person's picture dimmed (CSS filter on the remote video). */
const dimmed = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector('p2p-video-call')!.shadowRoot!.querySelector('[part="remote-video"]')!;
    return getComputedStyle(video).filter !== 'none';
  });

/**
 * One outage of `ms` made by `cut`, asserted: both sides say `media-lost` within 1.5 s of the
 * cut, show the picture dimmed (outages of 3 s and more, while it lasts), and present video
 * again within `backWithinMs` of the heal; no call-ended or peer-left, the same peer connection
 * with the same media sections. Returns how long after the heal video came back on each side.
 */
async function outage(sides: Side[], net: NetworkFaults, ms: number, cut: () => Promise<void>, backWithinMs: number): Promise<number[]> {
  const marks = await Promise.all(sides.map((s) => s.log.count()));
  const before = await Promise.all(sides.map((s) => connections(s.page)));
  const cutAt = Date.now();
  await cut();
  const lost = Promise.all(sides.map((s, i) => mediaLost(s, marks[i], 1500 + 1000)));
  if (ms >= 3000) {
    const seen = await lost;
    for (const [i, event] of seen.entries()) {
      const after = sides[i].origin + event.time - cutAt;
      assert.ok(
        after < 1500,
        `${sides[i].name}: media-lost ${Math.round(after)} ms after the cut: ${await timeline(sides[i], marks[i], cutAt)}`,
      );
      assert.equal(await dimmed(sides[i].page), true, `${sides[i].name}: the remote picture is dimmed while media is lost`);
    }
  }
  await hold(Math.max(0, cutAt + ms - Date.now()));
  await net.heal();
  const healed = Date.now();
  const seen = await lost.catch((error: Error) => assert.fail(`${ms} ms cut: ${error.message}`));
  for (const [i, event] of seen.entries()) {
    assert.ok(sides[i].origin + event.time - cutAt < 1500, `${sides[i].name}: media-lost within 1.5 s of the ${ms} ms cut`);
  }
  const back = await Promise.all(sides.map((s) => firstFrameAfter(s.page, healed, { timeout: Math.max(10_000, backWithinMs + 5000) })));
  const delays = back.map((at) => Math.round(at - healed));
  for (const [i, side] of sides.entries()) {
    assert.ok(
      delays[i] <= backWithinMs,
      `${side.name}: video back ${delays[i]} ms after a ${ms} ms cut healed (at most ${backWithinMs}); since the heal: ${await timeline(side, marks[i], healed)}`,
    );
    await waitFor(async () => (await stateOf(side.page)) === 'connected', { timeout: 5000, message: `${side.name} connected again` }).catch(
      async (error: Error) =>
        assert.fail(`${error.message}: ${await stateOf(side.page)} after ${(await eventsSince(side, marks[i])).join(', ')}`),
    );
    const events = await eventsSince(side, marks[i]);
    assert.ok(!events.includes('call-ended') && !events.includes('peer-left'), `${side.name}: no teardown: ${events.join(', ')}`);
    assert.deepEqual(await connections(side.page), before[i], `${side.name}: the same peer connection, media sections unchanged`);
  }
  return delays;
}

/**
 * The pairs, and how soon video must be back after the network. Where Firefox sends or receives,
 * video sometimes takes 1–2.5 s after the network is back, though the call says `connected` at
 * once (its audio is back): seen in about one cut in six, with no ICE restart involved, even with
 * none of our key frames (see README "What happens when the network fails"). Between Chromiums,
 * and mostly with Firefox, it is back within 0.3 s.
 */
const PAIRS: Array<[BrowserKind, BrowserKind, number]> = [
  ['chromium', 'chromium', 1000],
  ['firefox', 'firefox', 2500],
  ['chromium', 'firefox', 2500],
];

for (const [first, second, backWithinMs] of PAIRS) {
  const kinds: [BrowserKind, BrowserKind] = [first, second];
  describe(`${first} ↔ ${second}: all UDP dropped`, () => {
    it(`for 1, 3 and 10 s: both say media-lost within 1.5 s, and video is back on both sides within ${backWithinMs / 1000} s of the network`, async (t) => {
      const net = await networkFaults();
      t.after(() => net.close());
      const sides = await connectedPair(t, kinds);
      for (const seconds of [1, 3, 10]) {
        const back = await outage(sides, net, seconds * 1000, () => net.dropUdp(), backWithinMs);
        t.diagnostic(`[figure] ${kinds.join(' ↔ ')}: ${seconds} s UDP cut, video back ${back.join(' / ')} ms after the network`);
      }
    });
  });
}

describe('chromium ↔ firefox: longer and wider outages', () => {
  // Back within 2.5 s and the same connection in 7 of 8 runs here; in the other, Firefox's
  // restarts had not connected when its 35 s of trying ran out (5.7 s after the network came
  // back), and the call rebuilt itself: that is allowed, and said, but nothing worse.
  it('UDP dropped for 30 s (Chromium’s ICE fails meanwhile): back within 2.5 s without a rebuild, or rebuilt at the end of its restarts', async (t) => {
    const net = await networkFaults();
    t.after(() => net.close());
    const sides = await connectedPair(t, ['chromium', 'firefox']);
    const marks = await Promise.all(sides.map((s) => s.log.count()));
    try {
      const back = await outage(sides, net, 30_000, () => net.dropUdp(), 2500);
      t.diagnostic(`[figure] 30 s UDP cut: video back ${back.join(' / ')} ms after the network`);
    } catch (error) {
      // Only the rebuild at the end of the restarts (peer-left, then connected again) is let through.
      await net.heal();
      for (const [i, side] of sides.entries()) {
        const connected = await side.log.waitFor('call-connected', { since: marks[i], timeout: 12_000 });
        const events = await eventsSince(side, marks[i]);
        if (!events.includes('peer-left') && !events.includes('call-reconnecting rebuild')) throw error;
        assert.ok(!events.includes('call-error'), `${side.name}: ${events.join(', ')}`);
        t.diagnostic(
          `[figure] 30 s UDP cut: ${side.name} rebuilt, connected again (${(error as Error).message.slice(0, 80)}…; event #${connected.seq})`,
        );
      }
      await Promise.all(sides.map((s) => firstFrameAfter(s.page, Date.now(), { timeout: 10_000 })));
    }
  });

  it('UDP and the relay’s TCP port dropped for 6 s: back within 1.5 s (2.5 s with Firefox)', async (t) => {
    const net = await networkFaults();
    t.after(() => net.close());
    const sides = await connectedPair(t, ['chromium', 'firefox']);
    const back = await outage(
      sides,
      net,
      6000,
      async () => {
        await net.dropUdp();
        await net.dropTcpPort(relay.port);
      },
      2500,
    );
    t.diagnostic(`[figure] 6 s UDP + relay cut: video back ${back.join(' / ')} ms after the network`);
  });
});

describe('chromium ↔ firefox relayed through coturn', () => {
  it('coturn SIGKILLed and back after 2 s: video back within the outage + 2 s', async (t) => {
    const turn = await startCoturn();
    t.after(() => turn.stop());
    const turnRelay = await startRelayProcess({ env: { TURN_URLS: turn.urls.join(','), TURN_SECRET: turn.secret } });
    t.after(() => turnRelay.stop());
    const sides = await connectedPair(t, ['chromium', 'firefox'], turnRelay.url, { attributes: { 'ice-transport-policy': 'relay' } });
    const marks = await Promise.all(sides.map((s) => s.log.count()));
    const killedAt = Date.now();
    await turn.kill();
    await hold(2000);
    await turn.restart();
    const back = await Promise.all(sides.map((s) => firstFrameAfter(s.page, killedAt + 2000, { timeout: 15_000 })));
    const delays = back.map((at) => Math.round(at - killedAt));
    t.diagnostic(`[figure] coturn killed for 2 s: video back ${delays.join(' / ')} ms after the kill`);
    for (const [i, side] of sides.entries()) {
      assert.ok(delays[i] <= 4000, `${side.name}: video back ${delays[i]} ms after the kill (at most 2 s + 2 s)`);
      const events = await eventsSince(side, marks[i]);
      assert.ok(events.includes('call-reconnecting media-lost'), `${side.name}: said so: ${events.join(', ')}`);
      assert.ok(!events.includes('call-ended'), `${side.name}: no teardown: ${events.join(', ')}`);
    }
  });
});

describe('chromium ↔ firefox on a bad network', () => {
  it('8 % UDP loss for 10 s: stays connected, quality says packet-loss, video keeps moving', async (t) => {
    const net = await networkFaults();
    t.after(() => net.close());
    const sides = await connectedPair(t, ['chromium', 'firefox']);
    const marks = await Promise.all(sides.map((s) => s.log.count()));
    await net.loss(8);
    const started = Date.now();
    const reasons = await Promise.all(
      sides.map((s, i) =>
        s.log.waitFor('quality-change', {
          since: marks[i],
          timeout: 10_000,
          where: (e) => (e.detail as { level: string }).level !== 'good',
        }),
      ),
    );
    for (const [i, side] of sides.entries()) {
      const { frames } = await countFrames(side.page, REMOTE_VIDEO, 1500);
      assert.ok(frames >= 5, `${side.name}: video moving during the loss (${frames} frames in 1.5 s)`);
      const { reason, level } = reasons[i].detail as { reason: string; level: string };
      assert.deepEqual(
        { reason, good: level === 'good' },
        { reason: 'packet-loss', good: false },
        `${side.name}: ${JSON.stringify(reasons[i].detail)}`,
      );
    }
    await hold(Math.max(0, started + 10_000 - Date.now()));
    await net.heal();
    for (const [i, side] of sides.entries()) {
      const events = await eventsSince(side, marks[i]);
      assert.ok(
        !events.some((e) => e.startsWith('call-reconnecting') || e === 'call-ended'),
        `${side.name}: stayed connected: ${events.join(', ')}`,
      );
    }
  });

  // Only Chromium's uplink: Firefox ESR 153 as a sender does not adapt to this cap (its retransmissions
  // climbed to 10 Mbit/s into the 300 kbit/s link, in 20 s); see the README.
  it('a 300 kbit/s cap on Chromium’s uplink: what it sends adapts below it, and audio keeps flowing both ways', async (t) => {
    const net = await networkFaults();
    t.after(() => net.close());
    const sides = await connectedPair(t, ['chromium', 'firefox']);
    // The uplink is capped (what it sends from its candidate pair's port), as a slow upstream
    // is; what comes back, the receiver's feedback included, is not.
    await net.rateCap(300, { fromPort: await localPort(sides[0].page) });
    const audioPackets = (page: Page) =>
      page.evaluate(async () => {
        let packets = 0;
        for (const pc of window.__pcs ?? []) {
          (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
            if (s.type === 'inbound-rtp' && s.kind === 'audio') packets += s.packetsReceived ?? 0;
          });
        }
        return packets;
      });
    const [chromium] = sides;
    {
      const side = chromium;
      const seen: unknown[] = [];
      await waitFor(
        async () => {
          const kbps = await side.page.evaluate(() => document.querySelector('p2p-video-call')!.quality?.sendKbps);
          if (seen.at(-1) !== kbps) seen.push(kbps);
          return (kbps ?? Infinity) < 300;
        },
        { timeout: 20_000, interval: 250, message: `${side.name} sending below 300 kbit/s` },
      ).catch((error: Error) => assert.fail(`${error.message}: sendKbps ${seen.join(', ')}`));
    }
    for (const side of sides) {
      const before = await audioPackets(side.page);
      await hold(1000);
      const during = (await audioPackets(side.page)) - before;
      assert.ok(during >= 25, `${side.name}: audio arriving under the cap (${during} packets in 1 s)`);
    }
  });
});
