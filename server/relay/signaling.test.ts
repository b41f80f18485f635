import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { LIMITS, PEER_ID_PATTERN, type IceServersData, type SignalMessage } from '../../src/protocol.js';
import { createAccessToken } from '../auth/access-token.js';
import { createSignalingServer } from './create-signaling-server.js';
import {
  codeOf,
  connectTo,
  dropConnection,
  flush,
  iceServers,
  join,
  joined,
  once,
  record,
  request,
  signal,
  stats,
  relayNoticesDisconnect,
  relaysClosedAfterEach,
  type RawClient,
  type TestRelay,
} from '../test-support/relay-clients.js';
import type { SignalingServerOptions } from '../config/options.js';

const relay = relaysClosedAfterEach();

const OFFER = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 };

/** Two clients joined to one room; `a` joined first. */
async function pair(t: TestRelay, room = 'room-1') {
  const a = await t.connect();
  const b = await t.connect();
  const joinedA = await joined(a, { room, name: 'Ann' });
  const peerJoined = once(a, 'peer-joined');
  const joinedB = await joined(b, { room, name: 'Bob' });
  return { a, b, joinedA, joinedB, peerJoined: await peerJoined };
}

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
    assert.equal((await heard as { offerTaken?: true }).offerTaken, undefined);
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
    const refused = lines.map((line) => JSON.parse(line) as { level: number; msg: string; code?: string }).filter((l) => ['rejected a payload', 'refused an event sent without ack'].includes(l.msg));
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

describe('TURN credentials', () => {
  const turn = { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'], secret: 'coturn-secret', ttlSeconds: 600 };

  function checkTurn(data: IceServersData, peerId: string, before: number): void {
    const server = data.iceServers.find((entry) => entry.username !== undefined);
    assert.ok(server, 'a TURN entry with credentials');
    assert.deepEqual(server.urls, turn.urls);
    const [expiry, user] = server.username!.split(':');
    assert.equal(user, peerId);
    assert.equal(server.credential, createHmac('sha1', turn.secret).update(server.username!).digest('base64'));
    assert.equal(Number(expiry) * 1000, data.expiresAt);
    const expected = before + turn.ttlSeconds * 1000;
    assert.ok(Math.abs(data.expiresAt! - expected) <= 2000, `expiresAt ${data.expiresAt} ≈ ${expected}`);
    assert.ok(!JSON.stringify(data).includes(turn.secret), 'the secret never leaves the relay');
  }

  it('hands each joiner coturn REST credentials, and fresh ones on ice-servers', async () => {
    const t = await relay({ turn, iceServers: [{ urls: 'stun:stun.example.com' }] });
    const a = await t.connect();
    const before = Date.now();
    const data = await joined(a, { room: 'room-1' });
    assert.deepEqual(data.iceServers[0], { urls: 'stun:stun.example.com' });
    checkTurn(data, data.peerId, before);
    const again = await iceServers(a);
    assert.ok(again.ok);
    checkTurn(again.data, data.peerId, Date.now());
    assert.ok(again.data.expiresAt! >= data.expiresAt!);
  });

  it('hands out only the configured ICE servers and expiresAt null without TURN', async () => {
    const t = await relay();
    const a = await t.connect();
    const data = await joined(a, { room: 'room-1' });
    assert.deepEqual([data.iceServers, data.expiresAt], [[], null]);
    assert.deepEqual(await iceServers(a), { ok: true, data: { iceServers: [], expiresAt: null } });
  });
});

describe('access tokens', () => {
  const secret = 'token-secret-0123456789';
  const sign = (claims: Record<string, unknown>, key: string, exp: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(key));

  it('admits a valid token for the room and refuses every other', async () => {
    const t = await relay({ tokenSecret: secret });
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string | undefined, string]> = [
      ['valid', await createAccessToken({ secret, room: 'room-1', ttlSeconds: 60 }), 'ok'],
      ['missing', undefined, 'unauthorized'],
      ['bad signature', await sign({ room: 'room-1' }, 'another-secret-0123456789', now + 60), 'unauthorized'],
      ['expired', await sign({ room: 'room-1' }, secret, now - 120), 'unauthorized'],
      ['wrong room', await createAccessToken({ secret, room: 'room-2' }), 'unauthorized'],
      ['no room claim', await sign({}, secret, now + 60), 'unauthorized'],
      ['not a JWT', 'not-a-token', 'unauthorized'],
    ];
    for (const [label, token, expected] of cases) {
      const client = await t.connect();
      const ack = await join(client, token === undefined ? { room: 'room-1' } : { room: 'room-1', token });
      assert.equal(codeOf(ack), expected, label);
      client.disconnect();
    }
  });
});

describe('protection', () => {
  it('answers rate-limited past the budget and forwards nothing then', async () => {
    const t = await relay({ rateLimit: { points: 6, durationSeconds: 60 } });
    const { a, b, joinedB } = await pair(t); // a: join = 1 point
    const received: SignalMessage[] = [];
    b.on('signal', (message) => received.push(message));
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      codes.push(codeOf(await signal(a, { to: joinedB.peerId, media: { audio: i % 2 === 0, video: true } })));
    }
    assert.deepEqual(codes, ['ok', 'ok', 'ok', 'ok', 'ok', 'rate-limited', 'rate-limited']);
    await flush(b);
    assert.equal(received.length, 5);
  });

  it('answers internal without details when a handler throws', async () => {
    const logger = pino(
      { level: 'info' },
      {
        write(line: string) {
          if (line.includes('"msg":"joined"')) throw new Error('secret internal detail');
        },
      },
    );
    const t = await relay({ logger });
    const a = await t.connect();
    const ack = await join(a, { room: 'room-1' });
    assert.deepEqual(ack, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
  });

  it('refuses origins outside allowedOrigins, for WebSocket too', async () => {
    const t = await relay({ allowedOrigins: ['https://shop.example.com'] });
    await assert.rejects(connectTo(t.url, { origin: 'https://evil.example.com' }));
    const allowed = await connectTo(t.url, { origin: 'https://shop.example.com' });
    assert.equal(codeOf(await join(allowed, { room: 'room-1' })), 'ok');
    allowed.disconnect();
  });

  it('rejects unusable options at once', () => {
    const bad: SignalingServerOptions[] = [
      { roomCapacity: 1 },
      { roomCapacity: 2.5 },
      { maxPayloadBytes: 10 },
      { rejoinGraceMs: -1 },
      { allowedOrigins: ['https://shop.example.com/'] },
      { tokenSecret: 'short' },
      { turn: { urls: [], secret: 'x' } },
      { turn: { urls: ['http://turn.example.com'], secret: 'x' } },
      { turn: { urls: ['turn:turn.example.com'], secret: '' } },
      { iceServers: [{ urls: 'https://stun.example.com' }] },
    ];
    for (const options of bad) {
      assert.throws(
        () => void createSignalingServer({ logger: false, ...options }).close(),
        /^(TypeError|RangeError): createSignalingServer: /,
        JSON.stringify(options),
      );
    }
  });
});
