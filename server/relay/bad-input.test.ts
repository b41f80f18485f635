import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, type SignalMessage } from '../../src/protocol.js';
import {
  codeOf,
  flush,
  joined,
  once,
  record,
  request,
  signal,
  startRelay,
  TIMEOUT_MS,
  type Client,
  type RawClient,
  type TestRelay,
} from '../test-support/relay-clients.js';

/**
 * What must happen to a bad message:
 * - an error code: the sender's ack carries it;
 * - `dropped`: no ack was asked for (or none can be given): nothing happens at all;
 * - `disconnected`: the relay closes the sender's connection (oversized or unparsable frames).
 * In every case nothing is forwarded, to the peer or to another room, and the sender stays
 * where it was (each case checks this itself).
 */
type Outcome = 'invalid-payload' | 'invalid-room' | 'dropped' | 'disconnected';

interface Case {
  name: string;
  event: string;
  /** Arguments after the event name; a trailing ack is added unless `ack` is false. */
  args: (to: string) => unknown[];
  ack?: boolean;
  /** Send from a fresh, unjoined connection (needed when the connection is expected to close). */
  fresh?: boolean;
  /** Send a raw Engine.IO frame instead of an event. */
  raw?: string;
  expect: Outcome;
}

const MEDIA = { audio: true, video: true };
const OFFER = { type: 'offer', sdp: 'v=0\r\n' };
const KEY = 'k'.repeat(LIMITS.keyMinLength);

// A table, one case a line.
// prettier-ignore
const cases: Case[] = [
  // join
  { name: 'join without payload', event: 'join', args: () => [], expect: 'invalid-payload' },
  { name: 'join null', event: 'join', args: () => [null], expect: 'invalid-payload' },
  { name: 'join a string', event: 'join', args: () => ['room-1'], expect: 'invalid-payload' },
  { name: 'join a number', event: 'join', args: () => [42], expect: 'invalid-payload' },
  { name: 'join an array', event: 'join', args: () => [[{ room: 'room-1' }]], expect: 'invalid-payload' },
  { name: 'join {}', event: 'join', args: () => [{}], expect: 'invalid-payload' },
  { name: 'join room as number', event: 'join', args: () => [{ room: 5 }], expect: 'invalid-payload' },
  { name: 'join room null', event: 'join', args: () => [{ room: null }], expect: 'invalid-payload' },
  { name: 'join empty room', event: 'join', args: () => [{ room: '' }], expect: 'invalid-room' },
  { name: 'join room starting with a dot', event: 'join', args: () => [{ room: '.hidden' }], expect: 'invalid-room' },
  { name: 'join room with a slash', event: 'join', args: () => [{ room: '../etc/passwd' }], expect: 'invalid-room' },
  { name: 'join room with a space', event: 'join', args: () => [{ room: 'a b' }], expect: 'invalid-room' },
  { name: 'join room too long', event: 'join', args: () => [{ room: 'r'.repeat(65) }], expect: 'invalid-room' },
  { name: 'join name too long', event: 'join', args: () => [{ room: 'room-1', name: 'n'.repeat(65) }], expect: 'invalid-payload' },
  { name: 'join name null', event: 'join', args: () => [{ room: 'room-1', name: null }], expect: 'invalid-payload' },
  { name: 'join name an object', event: 'join', args: () => [{ room: 'room-1', name: { toString: 'x' } }], expect: 'invalid-payload' },
  { name: 'join token too long', event: 'join', args: () => [{ room: 'room-1', token: 't'.repeat(4097) }], expect: 'invalid-payload' },
  { name: 'join empty token', event: 'join', args: () => [{ room: 'room-1', token: '' }], expect: 'invalid-payload' },
  { name: 'join peerId without key', event: 'join', args: () => [{ room: 'room-1', peerId: 'abcdefghijkl' }], expect: 'invalid-payload' },
  { name: 'join malformed peerId', event: 'join', args: () => [{ room: 'room-1', peerId: 'bad id!', key: KEY }], expect: 'invalid-payload' },
  { name: 'join key too short', event: 'join', args: () => [{ room: 'room-1', key: 'short' }], expect: 'invalid-payload' },
  { name: 'join key too long', event: 'join', args: () => [{ room: 'room-1', key: 'k'.repeat(129) }], expect: 'invalid-payload' },
  { name: 'join room only via __proto__', event: 'join', args: () => [JSON.parse('{"__proto__":{"room":"room-1"}}') as unknown], expect: 'invalid-payload' },
  { name: 'join with an extra argument', event: 'join', args: () => [{ room: 'room-1' }, 'extra'], expect: 'invalid-payload' },
  { name: 'join a binary Buffer', event: 'join', args: () => [Buffer.from('{"room":"room-1"}')], expect: 'invalid-payload' },
  { name: 'join room as Buffer', event: 'join', args: () => [{ room: Buffer.from('room-1') }], expect: 'invalid-payload' },
  // signal
  { name: 'signal without payload', event: 'signal', args: () => [], expect: 'invalid-payload' },
  { name: 'signal null', event: 'signal', args: () => [null], expect: 'invalid-payload' },
  { name: 'signal an array', event: 'signal', args: (to) => [[{ to, media: MEDIA }]], expect: 'invalid-payload' },
  { name: 'signal without to', event: 'signal', args: () => [{ media: MEDIA }], expect: 'invalid-payload' },
  { name: 'signal to a number', event: 'signal', args: () => [{ to: 123456789, media: MEDIA }], expect: 'invalid-payload' },
  { name: 'signal to a path', event: 'signal', args: () => [{ to: '../../peer', media: MEDIA }], expect: 'invalid-payload' },
  { name: 'signal with nothing to send', event: 'signal', args: (to) => [{ to }], expect: 'invalid-payload' },
  { name: 'signal with description and media', event: 'signal', args: (to) => [{ to, description: OFFER, media: MEDIA }], expect: 'invalid-payload' },
  { name: 'signal with all three', event: 'signal', args: (to) => [{ to, description: OFFER, candidate: { candidate: '' }, media: MEDIA }], expect: 'invalid-payload' },
  { name: "description type 'bogus'", event: 'signal', args: (to) => [{ to, description: { type: 'bogus', sdp: 'v=0' } }], expect: 'invalid-payload' },
  { name: 'description a string', event: 'signal', args: (to) => [{ to, description: 'v=0' }], expect: 'invalid-payload' },
  { name: 'description sdp a number', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: 0 } }], expect: 'invalid-payload' },
  { name: 'sdp over the limit', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: 's'.repeat(LIMITS.sdpLength + 1) } }], expect: 'invalid-payload' },
  // Defect 5: any text used to pass as "SDP"
  { name: 'defect 5: sdp that is not an SDP', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: 'hello, this is not an SDP\r\n' } }], expect: 'invalid-payload' },
  { name: 'defect 5: sdp with a line that is not <letter>=<value>', event: 'signal', args: (to) => [{ to, description: { type: 'answer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n<script>\r\n' } }], expect: 'invalid-payload' },
  { name: 'defect 5: an answer without sdp', event: 'signal', args: (to) => [{ to, description: { type: 'answer' } }], expect: 'invalid-payload' },
  { name: 'defect 5: a rollback with an sdp', event: 'signal', args: (to) => [{ to, description: { type: 'rollback', sdp: 'v=0\r\n' } }], expect: 'invalid-payload' },
  { name: 'defect 5: sdp of 34 KiB with a good shape', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: `v=0\r\n${'a=x\r\n'.repeat(7000)}` } }], expect: 'invalid-payload' },
  { name: 'defect 5: offer left of 34 KiB with a good shape', event: 'offer', args: () => [{ description: { type: 'offer', sdp: `v=0\r\n${'a=x\r\n'.repeat(7000)}` } }], expect: 'invalid-payload' },
  { name: 'sdp as binary', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: Buffer.from('v=0') } }], expect: 'invalid-payload' },
  { name: 'candidate too long', event: 'signal', args: (to) => [{ to, candidate: { candidate: 'c'.repeat(LIMITS.candidateLength + 1) } }], expect: 'invalid-payload' },
  { name: 'candidate missing', event: 'signal', args: (to) => [{ to, candidate: { sdpMid: '0' } }], expect: 'invalid-payload' },
  { name: 'candidate negative sdpMLineIndex', event: 'signal', args: (to) => [{ to, candidate: { candidate: '', sdpMLineIndex: -1 } }], expect: 'invalid-payload' },
  { name: 'candidate fractional sdpMLineIndex', event: 'signal', args: (to) => [{ to, candidate: { candidate: '', sdpMLineIndex: 0.5 } }], expect: 'invalid-payload' },
  { name: 'candidate sdpMid too long', event: 'signal', args: (to) => [{ to, candidate: { candidate: '', sdpMid: 'm'.repeat(65) } }], expect: 'invalid-payload' },
  { name: 'media as strings', event: 'signal', args: (to) => [{ to, media: { audio: 'yes', video: true } }], expect: 'invalid-payload' },
  { name: 'media missing video', event: 'signal', args: (to) => [{ to, media: { audio: true } }], expect: 'invalid-payload' },
  { name: 'restart false', event: 'signal', args: (to) => [{ to, restart: false }], expect: 'invalid-payload' },
  { name: 'restart with media', event: 'signal', args: (to) => [{ to, restart: true, media: { audio: true, video: true } }], expect: 'invalid-payload' },
  { name: 'media screen as a string', event: 'signal', args: (to) => [{ to, media: { audio: true, video: true, screen: 'yes' } }], expect: 'invalid-payload' },
  { name: 'media an array', event: 'signal', args: (to) => [{ to, media: [true, true] }], expect: 'invalid-payload' },
  { name: 'signal with an extra argument', event: 'signal', args: (to) => [{ to, media: MEDIA }, { to, media: MEDIA }], expect: 'invalid-payload' },
  // offer
  { name: 'offer without payload', event: 'offer', args: () => [], expect: 'invalid-payload' },
  { name: 'offer a bare description', event: 'offer', args: () => [OFFER], expect: 'invalid-payload' },
  { name: 'offer of an answer', event: 'offer', args: () => [{ description: { type: 'answer', sdp: 'v=0' } }], expect: 'invalid-payload' },
  { name: 'offer without sdp', event: 'offer', args: () => [{ description: { type: 'offer' } }], expect: 'invalid-payload' },
  { name: 'offer sdp over the limit', event: 'offer', args: () => [{ description: { type: 'offer', sdp: 's'.repeat(LIMITS.sdpLength + 1) } }], expect: 'invalid-payload' },
  { name: 'offer via __proto__', event: 'offer', args: () => [JSON.parse('{"__proto__":{"description":{"type":"offer","sdp":"v=0"}}}') as unknown], expect: 'invalid-payload' },
  // leave and ice-servers take no payload
  { name: 'leave with a payload', event: 'leave', args: () => [{ room: 'room-1' }], expect: 'invalid-payload' },
  { name: 'ice-servers with a payload', event: 'ice-servers', args: () => [{}], expect: 'invalid-payload' },
  // no ack: refused silently (a valid signal without ack is forwarded: signaling.test.ts)
  { name: 'valid signal with a non-function ack', event: 'signal', args: (to) => [{ to, media: MEDIA }, 'callback'], ack: false, expect: 'dropped' },
  { name: 'invalid signal without ack', event: 'signal', args: (to) => [{ to, media: { audio: 'yes' } }], ack: false, expect: 'dropped' },
  { name: 'leave without ack before joining', event: 'leave', args: () => [], ack: false, fresh: true, expect: 'dropped' },
  { name: 'join without ack', event: 'join', args: () => [{ room: 'room-2' }], ack: false, fresh: true, expect: 'dropped' },
  // unknown events are ignored
  { name: 'unknown event', event: 'hello', args: () => [{ room: 'room-1' }], ack: false, expect: 'dropped' },
  { name: 'event named __proto__', event: '__proto__', args: () => [{}], ack: false, expect: 'dropped' },
  { name: 'event named constructor', event: 'constructor', args: () => [], ack: false, expect: 'dropped' },
  { name: 'event named like a server event', event: 'peer-left', args: (to) => [{ peerId: to }], ack: false, expect: 'dropped' },
  // frames the relay refuses outright: the sender is cut off, nobody else notices
  { name: '1 MB SDP', event: 'signal', args: (to) => [{ to, description: { type: 'offer', sdp: 's'.repeat(1024 * 1024) } }], fresh: true, expect: 'disconnected' },
  { name: '1 MB binary', event: 'join', args: () => [Buffer.alloc(1024 * 1024)], fresh: true, expect: 'disconnected' },
  { name: 'unparsable packet', event: '', args: () => [], raw: '2["broken', fresh: true, expect: 'disconnected' },
  { name: 'reserved event name', event: '', args: () => [], raw: '2["disconnect"]', fresh: true, expect: 'disconnected' },
];

describe('bad input', () => {
  let t: TestRelay;
  let a: Client;
  let b: Client;
  let bystander: Client;
  let toB: string;
  let inboxB: Array<{ event: string; args: unknown[] }>;
  let inboxBystander: Array<{ event: string; args: unknown[] }>;

  before(async () => {
    t = await startRelay({ rejoinGraceMs: 60_000 });
    a = await t.connect();
    b = await t.connect();
    bystander = await t.connect();
    await joined(a, { room: 'room-1', name: 'Ann' });
    const peerJoined = once(a, 'peer-joined');
    toB = (await joined(b, { room: 'room-1', name: 'Bob' })).peerId;
    await peerJoined;
    await joined(bystander, { room: 'other-room' });
    inboxB = record(b);
    inboxBystander = record(bystander);
  });
  after(() => t.close());

  /**
   * What every case must leave behind: nothing reached the peer or the other room, and the
   * relay still has the same rooms and participants (the sender stayed where it was).
   */
  async function assertNothingForwarded() {
    await flush(b);
    await flush(bystander);
    assert.deepEqual(inboxB, [], 'forwarded to the peer');
    assert.deepEqual(inboxBystander, [], 'forwarded to another room');
    const { rooms, participants } = await t.relay.stats();
    assert.deepEqual({ rooms, participants }, { rooms: 2, participants: 3 });
  }

  for (const c of cases) {
    it(`${c.expect}: ${c.name}`, async () => {
      const sender = c.fresh ? await t.connect() : a;
      const raw = sender as unknown as RawClient;
      if (c.expect === 'disconnected') {
        const closed = once<string>(sender, 'disconnect', TIMEOUT_MS);
        if (c.raw !== undefined) sender.io.engine.send(c.raw);
        else raw.emit(c.event, ...c.args(toB));
        assert.match(await closed, /transport (close|error)|io server disconnect/);
      } else if (c.expect === 'dropped') {
        raw.emit(c.event, ...c.args(toB));
        await flush(sender); // handled after the message above, on the same connection
        // A fresh sender is still not in any room; the joined one still is, in its own.
        assert.equal(codeOf(await request(raw, 'ice-servers')), c.fresh ? 'not-joined' : 'ok');
      } else {
        const ack = await request(raw, c.event, ...c.args(toB));
        assert.equal(codeOf(ack), c.expect, JSON.stringify(ack));
        assert.ok(!ack.ok && ack.error.message.length > 0 && ack.error.message.length <= 160);
      }
      await assertNothingForwarded();
    });
  }

  it('still forwards a valid signal from the same sender, and lets newcomers meet', async () => {
    const got = once<SignalMessage>(b, 'signal');
    assert.equal(codeOf(await signal(a, { to: toB, description: { type: 'offer', sdp: 'v=0\r\n' } })), 'ok');
    assert.deepEqual((await got).description, { type: 'offer', sdp: 'v=0\r\n' });
    // And two newcomers can still meet.
    const c = await t.connect();
    const d = await t.connect();
    await joined(c, { room: 'room-3' });
    const toD = (await joined(d, { room: 'room-3' })).peerId;
    const gotD = once<SignalMessage>(d, 'signal');
    assert.equal(codeOf(await signal(c, { to: toD, media: MEDIA })), 'ok');
    assert.deepEqual((await gotD).media, MEDIA);
  });

  it('forwards the screen-sharing flag of a media state', async () => {
    const got = once<SignalMessage>(b, 'signal');
    const media = { audio: true, video: true, screen: true };
    assert.equal(codeOf(await signal(a, { to: toB, media })), 'ok');
    assert.deepEqual((await got).media, media);
    inboxB.length = 0;
  });

  it('strips unknown fields and __proto__ keys from what it forwards', async () => {
    const got = once<SignalMessage>(b, 'signal');
    const payload: unknown = JSON.parse(
      `{"to":"${toB}","from":"forged","extra":1,"__proto__":{"polluted":true},` +
        `"media":{"audio":true,"video":false,"__proto__":{"polluted":true},"x":2}}`,
    );
    assert.equal(codeOf(await request(a as unknown as RawClient, 'signal', payload)), 'ok');
    const message = await got;
    assert.deepEqual(Object.keys(message).sort(), ['from', 'media']);
    assert.deepEqual(Object.keys(message.media!).sort(), ['audio', 'video']);
    assert.notEqual(message.from, 'forged');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    inboxB.length = 0;
  });
});
