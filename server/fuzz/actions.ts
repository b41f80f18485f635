/**
 * What the relay fuzzer generates (see relay-fuzz.ts for what must hold): actions of a few
 * clients over a few rooms, with valid, near-valid and garbage payloads (wrong types, huge and
 * deep values, binary, prototype keys, unknown events, missing or extra acks, raw frames,
 * reconnects and abrupt disconnects).
 */
import fc from 'fast-check';

export const ROOMS = ['fz-a', 'fz-b', 'fz-c'];
export const CLIENTS = 4;

/** One thing a client does. */
export type Action =
  | { kind: 'connect'; client: number; auth: unknown }
  | { kind: 'disconnect'; client: number; abrupt: boolean }
  | { kind: 'emit'; client: number; event: string; args: unknown[]; ack: boolean }
  | { kind: 'raw'; client: number; frame: string };

// -------------------------------------------------------------------------------------------
// Payloads

// Mostly one room, so that members meet and signal; the others for cross-room checks.
const room = fc.oneof({ weight: 4, arbitrary: fc.constant(ROOMS[0]) }, fc.constantFrom(...ROOMS.slice(1)));
const key = fc.string({ minLength: 16, maxLength: 40, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789') });
/** A peer id: one the relay issued so far (by index, resolved when sent), or made up. */
const peerRef = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 20 }).map((i) => ({ roommate: i })) },
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((i) => ({ issued: i })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }).map((s) => ({ literal: s })) },
);
const deep = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.anything({ maxDepth: 2 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 3 }),
  ),
})).node;
const protoPoisoned = fc
  .constantFrom(
    '{"__proto__":{"room":"fz-a"}}',
    '{"room":"fz-a","__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}},"to":"x","media":{"audio":true,"video":true}}',
    '{"to":"x","description":{"type":"offer","sdp":"v=0","__proto__":{"sdp":1}}}',
  )
  .map((json) => JSON.parse(json) as unknown);
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: false }),
  deep,
  protoPoisoned,
  fc.string({ maxLength: 3000 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(null),
  fc.constant(undefined),
);
/** A string past a limit now and then (the relay must refuse it, or cut the connection). */
const sdp = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 300 }) },
  // The shape of an SDP, with lines that may break it.
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(fc.stringMatching(/^[a-z]=[ -~]{0,40}$/), fc.string({ maxLength: 20 })), { maxLength: 8 })
      .map((lines) => `v=0\r\n${lines.map((line) => `${line}\r\n`).join('')}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 32_000, max: 70_000 }).map((n) => `v=0\r\n${'a=x\r\n'.repeat(Math.ceil(n / 5))}`) },
);

const joinPayload = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { room, name: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }), key: fc.option(key, { nil: undefined }) },
      { requiredKeys: ['room'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ room, peerId: peerRef, key }) },
  { weight: 1, arbitrary: fc.record({ room: fc.oneof(fc.string({ maxLength: 70 }), garbage) }) },
  { weight: 1, arbitrary: garbage },
);
const signalBody = fc.oneof(
  fc.record({ description: fc.record({ type: fc.constantFrom('offer', 'answer', 'pranswer', 'rollback', 'bogus'), sdp }) }),
  fc.record({
    candidate: fc.record({
      candidate: fc.string({ maxLength: 200 }),
      sdpMid: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }),
      sdpMLineIndex: fc.option(fc.integer({ min: -2, max: 5 }), { nil: undefined }),
    }),
  }),
  fc.record({
    media: fc.record({ audio: fc.boolean(), video: fc.oneof(fc.boolean(), garbage), screen: fc.option(fc.boolean(), { nil: undefined }) }),
  }),
  fc.constant({ restart: true }),
  fc.record({ media: fc.constant({ audio: true, video: true }), description: fc.constant({ type: 'offer', sdp: 'v=0' }) }),
);
const signalPayload = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(peerRef, signalBody, fc.boolean())
      .map(([to, body, forged]) => ({ to, ...body, ...(forged ? { from: 'forged-peer-id' } : {}) })),
  },
  { weight: 1, arbitrary: garbage },
);
const offerPayload = fc.oneof(fc.record({ description: fc.record({ type: fc.constantFrom('offer', 'answer'), sdp }) }), garbage);

const client = fc.nat({ max: CLIENTS - 1 });
export const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('connect' as const),
      client,
      auth: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.record({ join: joinPayload }), garbage),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), client, abrupt: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      client,
      event: fc.constant('join'),
      args: joinPayload.map((p) => [p]),
      ack: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      client,
      event: fc.constant('signal'),
      args: signalPayload.map((p) => [p]),
      ack: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      client,
      event: fc.constant('offer'),
      args: offerPayload.map((p) => [p]),
      ack: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      client,
      event: fc.constantFrom('leave', 'away', 'ice-servers'),
      args: fc.oneof({ weight: 3, arbitrary: fc.constant([] as unknown[]) }, fc.array(garbage, { maxLength: 2 })),
      ack: fc.boolean(),
    }),
  },
  // Unknown events are ignored, acks and all: asked without one (an ack would never come).
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      client,
      event: fc.oneof(
        fc.constantFrom('hello', '__proto__', 'constructor', 'peer-left', 'joined', 'toString'),
        fc.string({ maxLength: 12 }),
      ),
      args: fc.array(garbage, { maxLength: 2 }),
      ack: fc.constant(false),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      client,
      frame: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('2["broken', '2["disconnect"]', '42["signal"', '4', '2[]')),
    }),
  },
);

/** Every sequence starts with two rooms of two: routes to take, and routes to refuse. */
export const SETUP: Action[] = [0, 1, 2, 3].map((client) => ({
  kind: 'emit',
  client,
  event: 'join',
  args: [{ room: client < 2 ? ROOMS[0] : ROOMS[1], key: `fuzz-setup-key-${client}-0123456789` }],
  ack: true,
}));
