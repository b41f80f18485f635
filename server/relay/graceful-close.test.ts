// Defect 1 of issue 22: a graceful close() of a relay attached to the app's own http server, on
// Redis with another node. Before the fix it sent every client `io server disconnect` (which a
// Socket.IO client never reconnects after) and, through the Redis adapter, did so on every node.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignalingServer, type SignalingServer } from './create-signaling-server.js';
import { codeOf, connectTo, flush, join, joined, once, record, sharedRedis, signal } from '../test-support/relay-clients.js';

const MEDIA = { audio: true, video: true };

/** A library-mode node attached to a server of "the app" (which has a route of its own). */
async function appNode(redis: string, prefix: string): Promise<{ relay: SignalingServer; app: Server; url: string }> {
  const app = createServer((request, response) => {
    if (request.url === '/app') response.end('still here');
  });
  const relay = createSignalingServer({ httpServer: app, redis, redisPrefix: prefix, logger: false, rejoinGraceMs: 60_000 });
  await relay.ready;
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  return { relay, app, url: `http://127.0.0.1:${(app.address() as AddressInfo).port}` };
}

describe('a graceful close() of a relay attached to the app’s server (defect 1)', () => {
  it('tells its own clients to reconnect, touches no client of another node, and hands its members over without peer-left', async (t) => {
    const redis = (await sharedRedis()).url;
    const prefix = `graceful-${process.pid}:`;
    const one = await appNode(redis, prefix);
    const two = await appNode(redis, prefix);
    after(async () => {
      await Promise.all([one.relay.close(), two.relay.close()]);
      one.app.close();
      two.app.close();
    });

    // Ann on node one, Bob and a second call (Cy and Dee) on node two.
    const ann = await connectTo(one.url);
    const bob = await connectTo(two.url);
    const cy = await connectTo(two.url);
    const dee = await connectTo(two.url);
    t.after(() => [ann, bob, cy, dee].forEach((c) => c.disconnect()));
    const annJoined = await joined(ann, { room: 'handover', name: 'Ann', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room: 'handover', name: 'Bob', key: 'key-of-bob-0123456789' });
    await heard;
    await joined(cy, { room: 'other-call', key: 'key-of-cy-01234567890' });
    const deeHeard = once(cy, 'peer-joined');
    const deeJoined = await joined(dee, { room: 'other-call', key: 'key-of-dee-0123456789' });
    await deeHeard;
    const onTwo = [bob, cy, dee].map((client) => record(client));
    const annLost = once<string>(ann, 'disconnect');

    await one.relay.close();

    assert.equal(await annLost, 'transport close', 'a reason a Socket.IO client reconnects after (not io server disconnect)');
    assert.equal(await (await fetch(`${one.url}/app`)).text(), 'still here', 'the app’s own server keeps serving');
    // Ann comes back through node two as the same participant: nobody was told anything.
    const ann2 = await connectTo(two.url);
    t.after(() => ann2.disconnect());
    const back = await join(ann2, { room: 'handover', name: 'Ann', peerId: annJoined.peerId, key: 'key-of-ann-0123456789' });
    assert.ok(back.ok, JSON.stringify(back));
    assert.equal(back.data.resumed, true);
    assert.equal(back.data.peerId, annJoined.peerId);
    const got = once<{ from: string }>(bob, 'signal');
    assert.equal(codeOf(await signal(ann2, { to: bobJoined.peerId, media: MEDIA })), 'ok');
    assert.equal((await got).from, annJoined.peerId);
    // Node two's clients were never disconnected and still signal each other.
    assert.deepEqual([bob.connected, cy.connected, dee.connected], [true, true, true]);
    const toDee = once<{ from: string }>(dee, 'signal');
    assert.equal(codeOf(await signal(cy, { to: deeJoined.peerId, media: MEDIA })), 'ok');
    await toDee;
    for (const client of [bob, cy, dee]) await flush(client);
    for (const inbox of onTwo) {
      assert.deepEqual(
        inbox.filter((e) => e.event !== 'signal'),
        [],
        'no disconnect, no peer-left, no peer-joined on node two',
      );
    }
  });
});
