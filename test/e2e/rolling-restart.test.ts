// Graceful deploys (issue 22): three relay processes on one Redis behind a TCP load balancer; a
// Chromium and a Firefox visitor in a call; every node SIGTERMed and started again in turn, as a
// rolling restart does. Nobody sees peer-left or call-ended, the video keeps playing, and a
// hang-up at the end reaches the other side across nodes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, countFrames, launchBrowser, startRelayProcess, type BrowserKind, type RelayProcess } from './harness.js';
import { call, stateOf, type Visitor } from './visitors.js';
import { startRedis, type RedisServer } from '../support/redis.mjs';
import { startTcpBalancer, type TcpBalancer } from '../support/tcp-balancer.mjs';
import { waitFor } from '../support/wait.mjs';

const REMOTE_VIDEO = 'p2p-video-call >>> [part="remote-video"]';
const browsers = {} as Record<BrowserKind, Browser>;
let redis: RedisServer;
let nodes: RelayProcess[] = [];
let balancer: TcpBalancer;

before(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, REJOIN_GRACE: '10' };
  nodes = await Promise.all([0, 1, 2].map(() => startRelayProcess({ env })));
  balancer = await startTcpBalancer(nodes.map((node) => node.port));
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});

after(async () => {
  await Promise.all(Object.values(browsers).map((b) => closeBrowser(b)));
  await balancer?.close();
  await Promise.all(nodes.map((node) => node.stop()));
  await redis?.stop();
});

async function assertVideoPlays(visitor: Visitor, what: string) {
  const { frames, width } = await countFrames(visitor.page, REMOTE_VIDEO, 1500);
  assert.ok(frames >= 3 && width > 0, `${what}: ${frames} frames of width ${width} in 1.5 s`);
}

describe('a rolling restart of three relay nodes behind a load balancer', () => {
  it('keeps a Chromium ↔ Firefox call: no peer-left, video never stops, a hang-up crosses nodes at the end', async (t) => {
    const { first: a, second: b } = await call(t, balancer.url, [browsers.chromium, browsers.firefox], ['Chromium', 'Firefox']);
    const marks = { a: await a.log.count(), b: await b.log.count() };
    const counts = () => Promise.all(nodes.map(async (node) => (await node.metrics()).get('p2p_video_call_connections') ?? 0));

    for (const [i, node] of nodes.entries()) {
      const before = await counts();
      const startedAt = Date.now();
      await node.restart(); // SIGTERM (graceful), then the same port again once it exited
      t.diagnostic(`node ${i + 1} (${before[i]} of the 2 visitors on it) restarted in ${Date.now() - startedAt} ms`);
      // Media is peer to peer: it plays all along; and both are back on some node.
      await assertVideoPlays(a, `Chromium after node ${i + 1} restarted`);
      await assertVideoPlays(b, `Firefox after node ${i + 1} restarted`);
      assert.deepEqual([await stateOf(a.page), await stateOf(b.page)], ['connected', 'connected']);
    }
    // Both visitors are connected to the relay again (on whichever nodes), still as one call.
    await waitFor(async () => (await counts()).reduce((sum, n) => sum + n, 0) === 2, {
      timeout: 10_000,
      interval: 100,
      message: 'both visitors reconnected to some node',
    });
    assert.equal((await nodes[0].metrics()).get('p2p_video_call_participants'), 2, 'one room of two, in Redis');
    const after = await counts();
    t.diagnostic(`connections per node after the restarts: ${after.join(', ')}`);
    for (const [visitor, mark] of [
      [a, marks.a],
      [b, marks.b],
    ] as const) {
      const events = (await visitor.log.all()).slice(mark).map((e) => e.type);
      assert.ok(!events.includes('peer-left') && !events.includes('call-ended'), `no teardown: ${events.join(', ')}`);
    }
    const markB = await b.log.count();
    await a.page.evaluate(() => document.querySelector('p2p-video-call')!.hangUp());
    await b.log.waitFor('peer-left', { since: markB, timeout: 5000 });
    assert.equal(await stateOf(b.page), 'waiting');
  });
});
