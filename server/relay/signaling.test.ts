// The relay protocol: join (also in the handshake), signal, leaving.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { PEER_ID_PATTERN, type SignalMessage } from '../../src/protocol.js';
import { createAccessToken } from '../auth/access-token.js';
import {
  codeOf,
  flush,
  iceServers,
  join,
  joined,
  once,
  pair,
  record,
  request,
  signal,
  stats,
  relaysClosedAfterEach,
  type RawClient,
} from '../test-support/relay-clients.js';

const relay = relaysClosedAfterEach();

const OFFER = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 };

describe('join', () => {
  it('acks with a peer id, the peers, the polite role and ICE servers', async () => {
    const t = await relay({ iceServers: [{ urls: 'stun:stun.example.com:3478' }] });
    const a = await t.connect();
    const ack = await join(a, { room: 'room-1', name: '  Ann  ' });
    assert.equal(ack.ok, true);
    assert.ok(ack.ok);
    assert.match(ack.data.peerId, PEER_ID_PATTERN);
    assert.deepEqual(
      { ...ack.data, peerId: 'x' },
      {
        peerId: 'x',
        peers: [],
        polite: false,
        resumed: false,
        iceServers: [{ urls: 'stun:stun.example.com:3478' }],
        expiresAt: null,
      },
    );
  });

  it('tells the earlier joiner (impolite) about the later one (polite)', async () => {
    const t = await relay();
    const { joinedA, joinedB, peerJoined } = await pair(t);
    assert.equal(joinedB.polite, true);
    assert.deepEqual(joinedB.peers, [{ peerId: joinedA.peerId, name: 'Ann' }]);
    assert.deepEqual(peerJoined, { peerId: joinedB.peerId, name: 'Bob', polite: false });
    assert.notEqual(joinedA.peerId, joinedB.peerId);
  });

  it('refuses a second join on the same socket', async () => {
    const t = await relay();
    const a = await t.connect();
    await joined(a, { room: 'room-1' });
    assert.equal(codeOf(await join(a, { room: 'room-2' })), 'already-joined');
  });

  it('refuses a join while another join of the same socket is pending', async () => {
    const secret = 's'.repeat(32);
    const t = await relay({ tokenSecret: secret });
    const a = await t.connect();
    const token = await createAccessToken({ secret, room: 'room-1' });
    // Token verification is asynchronous: the second join arrives while the first is pending.
    const [first, second] = await Promise.all([join(a, { room: 'room-1', token }), join(a, { room: 'room-1', token })]);
    assert.deepEqual([codeOf(first), codeOf(second)], ['ok', 'already-joined']);
  });

  it('puts a newcomer to a full room in no room at all', async () => {
    const t = await relay();
    const { a, b, joinedA, joinedB } = await pair(t);
    const c = await t.connect();
    const inboxC = record(c);
    const full = await join(c, { room: 'room-1', name: 'Cy' });
    assert.equal(codeOf(full), 'room-full');
    assert.ok(!full.ok && full.error.message.length > 0);
    // Traffic in the room, and a departure, reach nobody outside it.
    const got = once<SignalMessage>(b, 'signal');
    assert.equal(codeOf(await signal(a, { to: joinedB.peerId, description: OFFER })), 'ok');
    await got;
    const left = once(a, 'peer-left');
    assert.equal(codeOf(await request(b, 'leave')), 'ok');
    await left;
    assert.equal(codeOf(await signal(c, { to: joinedA.peerId, media: { audio: true, video: true } })), 'not-joined');
    assert.equal(codeOf(await iceServers(c)), 'not-joined');
    await flush(c);
    assert.deepEqual(inboxC, []);
    // After the departure there is room again.
    assert.equal(codeOf(await join(c, { room: 'room-1' })), 'ok');
  });

  it('lets a socket join again after leaving', async () => {
    const t = await relay();
    const a = await t.connect();
    await joined(a, { room: 'room-1' });
    assert.equal(codeOf(await request(a, 'leave')), 'ok');
    assert.equal(codeOf(await request(a, 'leave')), 'not-joined');
    assert.equal(codeOf(await join(a, { room: 'room-2' })), 'ok');
  });

  it('answers not-joined to signal, leave and ice-servers before a join', async () => {
    const t = await relay();
    const a = await t.connect();
    const codes = [
      await signal(a, { to: 'abcdefghijkl', media: { audio: true, video: true } }),
      await request(a, 'leave'),
      await iceServers(a),
    ].map(codeOf);
    assert.deepEqual(codes, ['not-joined', 'not-joined', 'not-joined']);
  });

  it('deletes empty rooms', async () => {
    const t = await relay();
    const { a, b } = await pair(t);
    assert.deepEqual(await stats(t), { rooms: 1, participants: 2, connections: 2 });
    await request(a, 'leave');
    await request(b, 'leave');
    assert.deepEqual(await stats(t), { rooms: 0, participants: 0, connections: 2 });
  });
});

describe('join in the handshake', () => {
  it('joins as the connection comes up, answers with joined, and answers the same join sent as an event alike', async () => {
    const t = await relay();
    const a = await t.connect();
    const joinedA = await joined(a, { room: 'room-1', name: 'Ann' });
    const heard = once(a, 'peer-joined');
    const request = { room: 'room-1', name: 'Bob', key: 'key-of-bob-0123456789' };
    const { client: b, joined: answer } = await t.connectWith({ join: request });
    const ack = await answer;
    assert.ok(ack.ok);
    assert.deepEqual(ack.data.peers, [{ peerId: joinedA.peerId, name: 'Ann' }]);
    assert.equal(ack.data.polite, true);
    assert.deepEqual(await heard, { peerId: ack.data.peerId, name: 'Bob', polite: false });
    // The same request (same key) as an event: the same answer, not a second participant.
    assert.deepEqual(await join(b, request), ack);
    assert.equal(codeOf(await join(b, { ...request, key: 'another-key-0123456789' })), 'already-joined');
    assert.deepEqual(await stats(t), { rooms: 1, participants: 2, connections: 2 });
    // And it is a member like any other: it can signal.
    assert.equal(codeOf(await signal(b, { to: joinedA.peerId, media: { audio: true, video: true } })), 'ok');
    // Counted as joins made: Ann's, and Bob's once (the event got the handshake's answer), then
    // the refusal; over every node (with Redis, the clients are spread over two).
    const joins = new Map<string, number>();
    for (const node of t.nodes) {
      const answers = await node.metrics.registry.getSingleMetric('p2p_video_call_answers_total')!.get();
      for (const v of answers.values) {
        if (v.labels.event === 'join') joins.set(String(v.labels.result), (joins.get(String(v.labels.result)) ?? 0) + v.value);
      }
    }
    assert.deepEqual(Object.fromEntries(joins), { ok: 2, 'already-joined': 1 });
  });

  it('answers no stale join: after leave, the same key joins for real, here or in another room (defect 6)', async () => {
    const t = await relay();
    const bob = { room: 'room-1', name: 'Bob', key: 'key-of-bob-0123456789' };
    const { client: b, joined: answer } = await t.connectWith({ join: bob });
    const first = await answer;
    assert.ok(first.ok);
    assert.equal(codeOf(await request(b, 'leave')), 'ok');
    assert.deepEqual(await stats(t), { rooms: 0, participants: 0, connections: 1 });
    const elsewhere = await join(b, { ...bob, room: 'room-2' });
    assert.ok(elsewhere.ok, JSON.stringify(elsewhere));
    assert.deepEqual(await stats(t), { rooms: 1, participants: 1, connections: 1 });
    assert.equal(codeOf(await request(b, 'leave')), 'ok');
    const again = await join(b, bob);
    assert.ok(again.ok);
    assert.deepEqual(await stats(t), { rooms: 1, participants: 1, connections: 1 });
    // The handshake's answer is used once: the same join once more is a second join.
    assert.equal(codeOf(await join(b, bob)), 'already-joined');
  });

  it('validates a handshake join like any join, and answers joined with the error', async () => {
    const t = await relay();
    const codes: string[] = [];
    for (const join of [{ room: 'no spaces' }, { room: 5 }, 'room-1', null]) {
      const { joined: answer } = await t.connectWith({ join });
      codes.push(codeOf(await answer));
    }
    assert.deepEqual(codes, ['invalid-room', 'invalid-payload', 'invalid-payload', 'invalid-payload']);
    assert.deepEqual(await stats(t), { rooms: 0, participants: 0, connections: 4 });
  });

  it('connects without joining when the handshake has no join', async () => {
    const t = await relay();
    const { client, joined: answer } = await t.connectWith({ something: 'else' });
    const outcome = await Promise.race([answer.then(() => 'joined'), flush(client).then(() => 'nothing')]);
    assert.equal(outcome, 'nothing');
    assert.deepEqual(await stats(t), { rooms: 0, participants: 0, connections: 1 });
  });
});

describe('signal', () => {
  it('reaches exactly the addressed peer, with from set by the relay', async () => {
    const t = await relay({ roomCapacity: 3 });
    const { a, b, joinedA, joinedB } = await pair(t);
    const c = await t.connect();
    await joined(c, { room: 'room-1' });
    const inboxC = record(c);
    const messages: SignalMessage[] = [];
    b.on('signal', (message) => messages.push(message));
    const forged = { to: joinedB.peerId, from: 'forged-peer-id', description: OFFER };
    assert.deepEqual(await request(a, 'signal', forged), { ok: true, data: null });
    assert.equal(codeOf(await signal(a, { to: joinedB.peerId, candidate: CANDIDATE })), 'ok');
    assert.equal(codeOf(await signal(a, { to: joinedB.peerId, candidate: { candidate: '' } })), 'ok');
    assert.equal(codeOf(await signal(a, { to: joinedB.peerId, media: { audio: false, video: true } })), 'ok');
    assert.equal(codeOf(await signal(a, { to: joinedB.peerId, restart: true })), 'ok');
    await flush(b);
    assert.deepEqual(messages, [
      { from: joinedA.peerId, description: OFFER },
      { from: joinedA.peerId, candidate: CANDIDATE },
      { from: joinedA.peerId, candidate: { candidate: '' } },
      { from: joinedA.peerId, media: { audio: false, video: true } },
      { from: joinedA.peerId, restart: true },
    ]);
    await flush(c);
    assert.deepEqual(inboxC, [], 'the third member of the room receives nothing');
  });

  it('forwards a signal sent without an ack, and drops an invalid one with a debug log line', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const t = await relay({ logger });
    const { a, b, joinedA, joinedB } = await pair(t);
    const inboxB = record(b);
    const got = once<SignalMessage>(b, 'signal');
    a.emit('signal', { to: joinedB.peerId, candidate: CANDIDATE }); // fire and forget
    assert.deepEqual(await got, { from: joinedA.peerId, candidate: CANDIDATE });
    (a as unknown as RawClient).emit('signal', { to: joinedB.peerId, candidate: { candidate: 42 } });
    (a as unknown as RawClient).emit('signal', { to: 'no-such-peer-id', candidate: CANDIDATE });
    await flush(a);
    await flush(b);
    assert.equal(inboxB.length, 1, 'only the valid one arrived');
    const refused = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; code?: string })
      .filter((l) => ['rejected a payload', 'refused an event sent without ack'].includes(l.msg));
    assert.deepEqual(
      refused.map(({ level, code }) => ({ level, code })),
      [
        { level: 20, code: 'invalid-payload' },
        { level: 20, code: 'unknown-peer' },
      ],
    );
  });

  it('answers unknown-peer for self, strangers and peers of other rooms', async () => {
    const t = await relay();
    const { a, joinedA } = await pair(t, 'room-a');
    const x = await t.connect();
    const joinedX = await joined(x, { room: 'room-b' });
    const media = { audio: true, video: true };
    const codes = [
      await signal(a, { to: joinedA.peerId, media }),
      await signal(a, { to: 'no-such-peer-id', media }),
      await signal(a, { to: joinedX.peerId, media }),
      await signal(x, { to: joinedA.peerId, media }),
    ].map(codeOf);
    assert.deepEqual(codes, ['unknown-peer', 'unknown-peer', 'unknown-peer', 'unknown-peer']);
  });

  it('keeps rooms apart: a client in another room receives nothing', async () => {
    const t = await relay();
    const { a, b, joinedB } = await pair(t, 'room-a');
    const x = await t.connect();
    const y = await t.connect();
    const inboxX = record(x);
    await joined(x, { room: 'room-b' });
    const inboxY = record(y);
    const heard = once(x, 'peer-joined');
    await joined(y, { room: 'room-b' });
    await heard; // (from another node it may arrive after Y's ack)
    inboxX.length = 0; // X legitimately heard of Y
    const got = once(b, 'signal');
    await signal(a, { to: joinedB.peerId, description: OFFER });
    await got;
    const c = await t.connect();
    await joined(c, { room: 'room-a' }).catch(() => undefined); // room-a is full: room-full
    const left = once(a, 'peer-left');
    b.disconnect();
    await left;
    await flush(x);
    await flush(y);
    assert.deepEqual(inboxX, []);
    assert.deepEqual(inboxY, []);
  });
});

describe('leaving', () => {
  it('sends peer-left when a peer leaves', async () => {
    const t = await relay();
    const { a, b, joinedB } = await pair(t);
    const left = once(a, 'peer-left');
    assert.equal(codeOf(await request(b, 'leave')), 'ok');
    assert.deepEqual(await left, { peerId: joinedB.peerId });
  });

  it('sends peer-left at once when a peer disconnects on purpose, despite the grace period', async () => {
    const t = await relay({ rejoinGraceMs: 60_000 });
    const { a, b, joinedB } = await pair(t);
    const left = once(a, 'peer-left');
    b.disconnect();
    assert.deepEqual(await left, { peerId: joinedB.peerId });
    assert.equal((await t.relay.stats()).participants, 1);
  });
});
