// The relay protocol: an offer left by a waiting member for the next one to join.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '../../src/protocol.js';
import {
  codeOf,
  dropConnection,
  joined,
  once,
  request,
  relayNoticesDisconnect,
  relaysClosedAfterEach,
} from '../test-support/relay-clients.js';

const relay = relaysClosedAfterEach();

const OFFER = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' };

describe('offers left while waiting', () => {
  const OFFER_2 = { type: 'offer' as const, sdp: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\n' };

  it('hands the waiting member’s offer to the next joiner, once, and tells the member', async () => {
    const t = await relay();
    const a = await t.connect();
    const joinedA = await joined(a, { room: 'room-1', name: 'Ann' });
    assert.equal(codeOf(await request(a, 'offer', { description: OFFER })), 'ok');
    const b = await t.connect();
    const heard = once(a, 'peer-joined');
    const joinedB = await joined(b, { room: 'room-1', name: 'Bob' });
    assert.deepEqual(joinedB.offer, OFFER);
    assert.deepEqual(joinedB.peers, [{ peerId: joinedA.peerId, name: 'Ann' }]);
    assert.deepEqual(await heard, { peerId: joinedB.peerId, name: 'Bob', polite: false, offerTaken: true });

    // Taken once: the next joiner after Bob gets none.
    const left = once(a, 'peer-left');
    await request(b, 'leave');
    await left;
    const c = await t.connect();
    const heardAgain = once(a, 'peer-joined');
    const joinedC = await joined(c, { room: 'room-1', name: 'Cy' });
    assert.equal(joinedC.offer, undefined);
    assert.deepEqual(await heardAgain, { peerId: joinedC.peerId, name: 'Cy', polite: false });
  });

  it('keeps only the newest offer, and refuses one before a join', async () => {
    const t = await relay();
    const a = await t.connect();
    assert.equal(codeOf(await request(a, 'offer', { description: OFFER })), 'not-joined');
    await joined(a, { room: 'room-1' });
    assert.equal(codeOf(await request(a, 'offer', { description: OFFER })), 'ok');
    assert.equal(codeOf(await request(a, 'offer', { description: OFFER_2 })), 'ok');
    const b = await t.connect();
    assert.deepEqual((await joined(b, { room: 'room-1' })).offer, OFFER_2);
  });

  it('refuses an offer that is not an offer with an SDP', async () => {
    const t = await relay();
    const a = await t.connect();
    await joined(a, { room: 'room-1' });
    const codes = [
      await request(a, 'offer', { description: { type: 'answer', sdp: OFFER.sdp } }),
      await request(a, 'offer', { description: { type: 'offer' } }),
      await request(a, 'offer', { description: { type: 'offer', sdp: '' } }),
      await request(a, 'offer', { description: { type: 'offer', sdp: 'x'.repeat(LIMITS.sdpLength + 1) } }),
      await request(a, 'offer', OFFER),
    ].map(codeOf);
    assert.deepEqual(codes, Array(5).fill('invalid-payload'));
    const b = await t.connect();
    assert.equal((await joined(b, { room: 'room-1' })).offer, undefined, 'nothing was kept');
  });

  it('forgets the offer when its member’s connection drops, so a resumed member leaves a new one', async () => {
    const t = await relay();
    const a = await t.connect();
    const key = 'key-of-ann-0123456789';
    const joinedA = await joined(a, { room: 'room-1', key });
    assert.equal(codeOf(await request(a, 'offer', { description: OFFER })), 'ok');
    const noticed = relayNoticesDisconnect(t, a);
    dropConnection(a);
    await noticed;
    const again = await t.connect();
    assert.equal((await joined(again, { room: 'room-1', key, peerId: joinedA.peerId })).resumed, true);
    const b = await t.connect();
    const heard = once(again, 'peer-joined');
    const joinedB = await joined(b, { room: 'room-1' });
    assert.equal(joinedB.offer, undefined, 'the old connection’s offer is gone');
    assert.equal(((await heard) as { offerTaken?: true }).offerTaken, undefined);
  });
});
