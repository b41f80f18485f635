// The relay's options at work: TURN credentials, access tokens, rate limit, errors, origins, and unusable options.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { type IceServersData, type SignalMessage } from '../../src/protocol.js';
import { createAccessToken } from '../auth/access-token.js';
import { createSignalingServer } from './create-signaling-server.js';
import { codeOf, connectTo, flush, iceServers, join, joined, pair, signal, relaysClosedAfterEach } from '../test-support/relay-clients.js';
import type { SignalingServerOptions } from '../config/options.js';

const relay = relaysClosedAfterEach();

describe('TURN credentials', () => {
  const turn = {
    urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
    secret: 'coturn-secret',
    ttlSeconds: 600,
  };

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

  it('defect 10: warns at start that TURN credentials go to anyone who joins, unless tokens are required', async () => {
    const turn = { urls: ['turn:127.0.0.1:3478'], secret: 'coturn-secret' };
    const warnings = async (options: SignalingServerOptions) => {
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      const t = await relay({ logger, ...options });
      await t.close();
      return lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level === 40);
    };
    const open = await warnings({ turn });
    assert.ok(open.length >= 1, 'one per node');
    for (const entry of open) assert.match(entry.msg, /TURN credentials go to anyone.*TOKEN_SECRET/);
    assert.deepEqual(await warnings({ turn, tokenSecret: 'a-long-random-token-secret' }), []);
    assert.deepEqual(await warnings({}), []);
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
