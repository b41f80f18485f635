/**
 * Property-based fuzzing of the relay with fast-check: random sequences of events and payloads
 * (valid, near-valid and garbage: wrong types, huge and deep values, binary, prototype keys,
 * unknown events, missing or extra acks, raw frames, reconnects and abrupt disconnects) from
 * several clients over a few rooms, against a real relay: one node, or two sharing Redis.
 *
 * Properties:
 * - a client never receives a signal from a peer it never shared a room with, or with a `from`
 *   the relay did not issue (a forged one);
 * - everything forwarded matches the protocol (the fields a signal may carry, each valid);
 * - no ack is `ok` for a request the relay's own schema refuses;
 * - the relay stays up: after each sequence two fresh clients can still meet and signal;
 * - when everyone has gone, the relay holds nothing: no room, no participant, no connection.
 *
 * Used by server/fuzz/fuzz.test.ts (a short run in `npm test`) and `npm run fuzz -- --minutes N`.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as v from 'valibot';
import { io as connectClient } from 'socket.io-client';
import type { Ack, JoinData, SignalMessage } from '../../src/protocol.js';
import { createSignalingServer, type SignalingServer } from '../relay/create-signaling-server.js';
import { joinSchema, offerSchema, signalSchema } from '../relay/schemas.js';
import { startRelayNodes } from '../../test/support/relay.mjs';
import { waitFor } from '../../test/support/wait.mjs';
import { action, CLIENTS, SETUP, type Action } from './actions.js';

const ACK_TIMEOUT_MS = 2000;

type AnyClient = ReturnType<typeof connectClient>;
/** An answer to the untyped client (it sends garbage too): socket.io types it `any`. */
const ask = (client: AnyClient, event: string, ...args: unknown[]): Promise<unknown> =>
  client.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args);

/** What a fuzz run is given. */
export interface FuzzOptions {
  /** A Redis URL: two relay nodes share it. Without: one node, rooms in memory. */
  redis?: string;
  seed: number;
  numRuns: number;
  /** Stop starting new runs after this long (ms). */
  timeLimitMs?: number;
  /** Called with each finished run's figures (for the long run's report). */
  onRun?: (figures: { actions: number; received: number; acksOk: number }) => void;
}

// -------------------------------------------------------------------------------------------
// A run

/** What the relay's schema says of a request (the property: never an ok ack for an invalid one). */
function validRequest(event: string, args: unknown[]): boolean {
  const [payload, ...rest] = args;
  if (rest.length > 0) return false;
  if (event === 'join') return v.safeParse(joinSchema, payload).success;
  if (event === 'signal') return v.safeParse(signalSchema, payload).success;
  if (event === 'offer') return v.safeParse(offerSchema, payload).success;
  if (event === 'leave' || event === 'away' || event === 'ice-servers') return args.length === 0;
  return false;
}

/** Checks a forwarded signal: only the protocol's fields, exactly one of them, each valid. */
function checkForwarded(message: SignalMessage): void {
  const { from, ...body } = message as SignalMessage & Record<string, unknown>;
  assert.equal(typeof from, 'string', 'from');
  const fields = Object.keys(body);
  assert.equal(fields.length, 1, `one payload field, got ${fields.join(', ')}`);
  assert.ok(['description', 'candidate', 'media', 'restart'].includes(fields[0]), fields[0]);
  assert.ok(
    v.safeParse(signalSchema, { to: 'abcdefghijkl', ...body }).success,
    `forwarded a payload the schema refuses: ${JSON.stringify(body).slice(0, 200)}`,
  );
}

/** Fresh relay nodes, the per-address limits lifted (every fuzz client comes from 127.0.0.1). */
function startNodes(redis: string | undefined, prefix: string): Promise<{ nodes: SignalingServer[]; urls: string[] }> {
  const options = {
    staticFiles: false as const,
    rejoinGraceMs: 300,
    // A budget the fuzzer can exhaust now and then, so rate-limited paths run too.
    rateLimit: { points: 60, durationSeconds: 1 },
  };
  return startRelayNodes(createSignalingServer, options, redis === undefined ? {} : { redis, redisPrefix: prefix });
}

function open(url: string, auth: unknown): AnyClient {
  return connectClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth === undefined ? {} : { auth: auth as Record<string, unknown> }),
  });
}

/** Waits for `client` to connect or fail (bounded). */
function settled(client: AnyClient): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
    client.once('connect', () => (clearTimeout(timer), resolve(true)));
    client.once('connect_error', () => (clearTimeout(timer), resolve(false)));
  });
}

/** Runs one sequence against fresh relay nodes and checks the properties. */
async function runSequence(actions: Action[], redis: string | undefined, run: number): Promise<{ received: number; acksOk: number }> {
  const { nodes, urls } = await startNodes(redis, `fuzz-${process.pid}-${run}-${Date.now()}:`);
  const clients: Array<AnyClient | null> = Array.from({ length: CLIENTS }, () => null);
  const issued: string[] = []; // peer ids the relay handed out, in order
  // Peer id → who got it, in which room. (A key's own peer id can be two participants, in two
  // rooms of a Redis relay, where ids are per room.)
  const owners = new Map<string, Array<{ client: number; room: string }>>();
  const roomsOf = Array.from({ length: CLIENTS }, () => new Set<string>());
  const received: Array<{ to: number; message: SignalMessage }> = [];
  let acksOk = 0;
  const current: Array<string | null> = Array.from({ length: CLIENTS }, () => null); // room now, as far as we know
  const resolveRef = (ref: unknown, sender: number): unknown => {
    if (ref && typeof ref === 'object' && 'roommate' in ref) {
      // A peer that is in the sender's room now: the routes the relay must take.
      const mates = [...owners]
        .filter(([, got]) => got.some(({ client: i, room }) => i !== sender && current[i] === room && room === current[sender]))
        .map(([id]) => id);
      if (mates.length > 0) return mates[(ref as { roommate: number }).roommate % mates.length];
    }
    if (ref && typeof ref === 'object' && ('issued' in ref || 'roommate' in ref)) {
      const i = (ref as { issued?: number; roommate?: number }).issued ?? (ref as { roommate: number }).roommate;
      return issued[i % Math.max(issued.length, 1)] ?? 'abcdefghijkl';
    }
    if (ref && typeof ref === 'object' && 'literal' in ref) return (ref as { literal: string }).literal;
    return ref;
  };
  const resolvePayload = (payload: unknown, sender: number): unknown => {
    if (payload && typeof payload === 'object' && !Buffer.isBuffer(payload) && !Array.isArray(payload)) {
      const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
      if ('to' in out) out.to = resolveRef(out.to, sender);
      if ('peerId' in out) out.peerId = resolveRef(out.peerId, sender);
      return out;
    }
    return payload;
  };
  // Peer id → the key of its first join (null: none). The property: no peer id is ever handed
  // to a client that did not hold its key.
  const keyOf = new Map<string, unknown>();
  const recordJoin = (index: number, join: unknown, answer: unknown) => {
    const { room, key } = (join ?? {}) as { room?: unknown; key?: unknown };
    const ack = answer as { ok?: boolean; data?: { peerId?: string } } | null;
    if (ack?.ok === true && typeof ack.data?.peerId === 'string' && typeof room === 'string') {
      const id = ack.data.peerId;
      if (keyOf.has(id)) assert.ok(key !== undefined && keyOf.get(id) === key, `peer id ${id} handed to a join without its key`);
      else keyOf.set(id, key ?? null);
      if (!owners.has(ack.data.peerId)) issued.push(ack.data.peerId);
      owners.set(ack.data.peerId, [...(owners.get(ack.data.peerId) ?? []), { client: index, room }]);
      roomsOf[index].add(room);
      current[index] = room;
    }
  };
  try {
    for (const act of actions) {
      const index = act.client;
      let socket = clients[index];
      const connect = async (auth: unknown) => {
        socket?.disconnect();
        const opened = (socket = clients[index] = open(urls[index % urls.length], auth));
        const up = settled(opened);
        opened.on('signal', (message: SignalMessage) => received.push({ to: index, message }));
        opened.on('joined', (answer: unknown) => {
          const join = (auth as { join?: { room?: unknown } }).join;
          if ((answer as { ok?: boolean }).ok)
            assert.ok(validRequest('join', [join]), `handshake join ok for an invalid request: ${JSON.stringify(join)}`);
          recordJoin(index, join, answer);
        });
        return up;
      };
      if (act.kind === 'connect') {
        if (socket?.connected) continue;
        const auth =
          act.auth && typeof act.auth === 'object' && 'join' in act.auth ? { join: resolvePayload(act.auth.join, index) } : act.auth;
        await connect(auth);
        continue;
      }
      // A client that is not connected (never was, or was cut off) connects first.
      if (!socket?.connected && !(await connect(undefined))) continue;
      socket = clients[index]!;
      if (act.kind === 'disconnect') {
        current[index] = null;
        if (act.abrupt) socket.io.engine.close();
        else socket.disconnect();
        continue;
      }
      if (act.kind === 'raw') {
        socket.io.engine.send(act.frame);
        continue;
      }
      const args = act.args.map((arg) => resolvePayload(arg, index));
      // A join the fuzzer could not see the answer of would leave a participant it knows
      // nothing about: without an ack, a join gets a last argument that is no callback instead
      // (which the relay must refuse: it is not the protocol).
      if (!act.ack && act.event === 'join') args.push('not-a-callback');
      if (!act.ack) {
        socket.emit(act.event, ...args);
        continue;
      }
      const answer = await ask(socket, act.event, ...args).catch(() => null);
      if ((answer as { ok?: boolean } | null)?.ok === true) {
        acksOk++;
        assert.ok(validRequest(act.event, args), `ok ack for an invalid ${act.event}: ${JSON.stringify(args).slice(0, 300)}`);
        if (act.event === 'join') recordJoin(index, args[0], answer);
        if (act.event === 'leave' || act.event === 'away') current[index] = null;
      }
    }
    // Everything sent has been handled once each connected client had one more answer.
    await Promise.all(
      clients.map(async (c) => {
        if (c?.connected) await ask(c, 'ice-servers').catch(() => null); // an answer or none: either way it was handled
      }),
    );
    for (const { to, message } of received) {
      checkForwarded(message);
      const senders = owners.get(message.from);
      assert.ok(senders !== undefined, `a signal with a from the relay never issued: ${message.from}`);
      const roommate = senders.some(({ client, room }) => client !== to && roomsOf[to].has(room));
      assert.ok(
        roommate,
        `client ${to} got a signal from ${message.from}, given to ${JSON.stringify(senders)}, never in its rooms ${[...roomsOf[to]].join(',')}`,
      );
    }
    // Still up: two newcomers meet and signal.
    const [a, b] = [open(urls[0], undefined), open(urls[urls.length - 1], undefined)];
    try {
      const up = await Promise.all([settled(a), settled(b)]); // listening from the start: no missed connect
      assert.deepEqual(up, [true, true], 'the relay still takes connections');
      const meet = `fz-meet-${run}`;
      // Well-formed requests: their answers are the protocol's.
      assert.equal(((await ask(a, 'join', { room: meet })) as Ack<JoinData>).ok, true);
      const joinedB = (await ask(b, 'join', { room: meet })) as Ack<JoinData>;
      assert.ok(joinedB.ok);
      const got = new Promise<SignalMessage>((resolve) => a.once('signal', resolve));
      assert.equal(
        ((await ask(b, 'signal', { to: joinedB.data.peers[0].peerId, media: { audio: true, video: false } })) as Ack<null>).ok,
        true,
      );
      assert.deepEqual((await got).media, { audio: true, video: false });
    } finally {
      a.disconnect();
      b.disconnect();
    }
    // Everyone gone: nothing left (offline seats expire after the 300 ms grace).
    for (const c of clients) c?.disconnect();
    const counts = async () => {
      const all = await Promise.all(nodes.map((n) => n.stats()));
      return { rooms: all[0].rooms, participants: all[0].participants, connections: all.reduce((sum, s) => sum + s.connections, 0) };
    };
    let left = await counts();
    await waitFor(async () => ((left = await counts()), !left.rooms && !left.participants && !left.connections), { timeout: 5000 }).catch(
      () => {
        // Timed out: the assertion just below reports what the relay still holds.
      },
    );
    assert.deepEqual(left, { rooms: 0, participants: 0, connections: 0 }, 'the relay holds nothing once everyone has gone');
    return { received: received.length, acksOk };
  } finally {
    for (const c of clients) c?.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
  }
}

/** Runs one sequence (after the setup), as printed in a failure report: for debugging. */
export function replaySequence(actions: Action[], redis?: string): Promise<{ received: number; acksOk: number }> {
  return runSequence([...SETUP, ...actions], redis, 0);
}

/** Runs the fuzzer; throws fast-check's report (seed, path and the shrunk sequence) on failure. */
export async function fuzzRelay(options: FuzzOptions): Promise<void> {
  let run = 0;
  await assertWithCause(
    fc.asyncProperty(fc.array(action, { minLength: 20, maxLength: 80 }), async (actions) => {
      const figures = await runSequence([...SETUP, ...actions], options.redis, ++run);
      options.onRun?.({ actions: actions.length, ...figures });
    }),
    {
      seed: options.seed,
      numRuns: options.numRuns,
      ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
      endOnFailure: false,
    },
  );
}

/** fast-check's report, with the property's own failure in it (it keeps it as `cause`). */
async function assertWithCause(property: fc.IAsyncProperty<[Action[]]>, parameters: fc.Parameters<[Action[]]>): Promise<void> {
  try {
    await fc.assert(property, parameters);
  } catch (error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause === undefined) throw error;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever the property threw, as String() shows it
    throw new Error(`${(error as Error).message}\n\nThe property failed with: ${cause instanceof Error ? cause.stack : String(cause)}`, {
      cause: error,
    });
  }
}
