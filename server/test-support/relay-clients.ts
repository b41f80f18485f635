/**
 * Helpers for the relay's node tests: a real relay on port 0, real Socket.IO clients, and
 * bounded waits. (Left out of `lib/` by tsconfig.json's exclude of `server/test-support/`.)
 */
import type { EventEmitter } from 'node:events';
import { after, afterEach } from 'node:test';
import type { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  IceServersData,
  JoinData,
  JoinRequest,
  ServerToClientEvents,
  SignalRequest,
} from '../../src/protocol.js';
import { createSignalingServer, type SignalingServer } from '../relay/create-signaling-server.js';
import type { SignalingServerOptions } from '../config/options.js';
import { startRedis, type RedisServer } from '../../test/support/redis.mjs';
import { startRelayNodes } from '../../test/support/relay.mjs';
import { waitFor } from '../../test/support/wait.mjs';

/** A client as the browser side types it. */
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The same client, untyped, for sending what a well-behaved client never would. */
export interface RawClient {
  emit(event: string, ...args: unknown[]): unknown;
}

/** Default bound for every wait in the tests. */
export const TIMEOUT_MS = 5000;

/**
 * A relay on free loopback ports, silent, with clients that are all closed by `close()`.
 * With `RELAY_STORE=redis` it is two relay nodes sharing a real redis-server (started once per
 * test process), and `connect()` alternates between them: every protocol test then has its
 * first client on node 1 and its second on node 2.
 */
export interface TestRelay {
  /** The (first) relay node. */
  relay: SignalingServer;
  /** Every node: one, or two with `RELAY_STORE=redis`. */
  nodes: SignalingServer[];
  url: string;
  /** Connect a websocket-only client (no reconnection), to the next node in turn. */
  connect(): Promise<Client>;
  /**
   * Connect with `auth` in the handshake (`{ join }`: join as the connection comes up); `joined`
   * is the relay's `joined` answer (listened for before connecting).
   */
  connectWith(auth: Record<string, unknown>): Promise<{ client: Client; joined: Promise<Ack<JoinData>> }>;
  /** Disconnect the clients and close the relay. */
  close(): Promise<void>;
}

/** Which room store the protocol tests run against (`npm run test:node` runs both). */
export const STORE = process.env.RELAY_STORE === 'redis' ? 'redis' : 'memory';

let redisServer: Promise<RedisServer> | undefined;
/** The test process's redis-server, started on first use, stopped when the file's tests end. */
export function sharedRedis(): Promise<RedisServer> {
  redisServer ??= startRedis();
  return redisServer;
}
// At the top level (a hook registered inside another hook would run at once).
after(async () => {
  await (await redisServer?.catch(() => undefined))?.stop();
});

let prefixes = 0;
/** Nodes that flush() sends its markers from, by client. */
const nodesOf = new WeakMap<Client, SignalingServer[]>();

/** Start a relay for one test. */
export async function startRelay(options: SignalingServerOptions = {}): Promise<TestRelay> {
  // The per-address limits lifted (test/support/relay.mjs): every test client comes from 127.0.0.1.
  const placement =
    STORE === 'redis' && options.redis === undefined
      ? { redis: (await sharedRedis()).url, redisPrefix: `test-${process.pid}-${++prefixes}:` }
      : {};
  const { nodes, urls } = await startRelayNodes(createSignalingServer, { staticFiles: false, ...options }, placement);
  const clients: Client[] = [];
  let next = 0;
  return {
    relay: nodes[0],
    nodes,
    url: urls[0],
    async connect() {
      const client = await connectTo(urls[next++ % urls.length]);
      clients.push(client);
      nodesOf.set(client, nodes);
      return client;
    },
    async connectWith(auth) {
      let joined!: Promise<Ack<JoinData>>;
      const client = await connectTo(urls[next++ % urls.length], undefined, auth, (c) => {
        joined = once(c, 'joined');
      });
      clients.push(client);
      nodesOf.set(client, nodes);
      return { client, joined };
    },
    async close() {
      for (const client of clients) client.disconnect();
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}

/**
 * For a test file: a `relay(options)` that starts a relay and closes it after the test,
 * whatever the test's outcome.
 */
export function relaysClosedAfterEach(): (options?: SignalingServerOptions) => Promise<TestRelay> {
  const relays: TestRelay[] = [];
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((started) => started.close()));
  });
  return async (options = {}) => {
    const started = await startRelay(options);
    relays.push(started);
    return started;
  };
}

/** The relay's counts, with the connections of all its nodes. */
export async function stats(t: TestRelay): Promise<{ rooms: number; participants: number; connections: number }> {
  const all = await Promise.all(t.nodes.map((node) => node.stats()));
  return { ...all[0], connections: all.reduce((sum, s) => sum + s.connections, 0) };
}

/** Connect a websocket-only client to `url` (with `auth` in its handshake) and wait until it is connected. */
export function connectTo(
  url: string,
  extraHeaders?: Record<string, string>,
  auth?: Record<string, unknown>,
  beforeConnect?: (client: Client) => void,
): Promise<Client> {
  const client: Client = connectClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(extraHeaders === undefined ? {} : { extraHeaders }),
    ...(auth === undefined ? {} : { auth }),
  });
  beforeConnect?.(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.disconnect();
      reject(new Error('connect timed out'));
    }, TIMEOUT_MS);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.once('connect_error', (error) => {
      clearTimeout(timer);
      client.disconnect();
      reject(error);
    });
  });
}

interface Untyped<T> {
  once(event: string, listener: (value: T) => void): unknown;
  off(event: string, listener: (value: T) => void): unknown;
}

/** Wait for one `event` on `emitter`, or reject after `timeoutMs`. Set it up before the action. */
export function once<T = unknown>(emitter: Client | EventEmitter, event: string, timeoutMs = TIMEOUT_MS): Promise<T> {
  const target = emitter as unknown as Untyped<T>;
  return new Promise((resolve, reject) => {
    const listener = (value: T): void => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      target.off(event, listener);
      reject(new Error(`timed out waiting for "${event}"`));
    }, timeoutMs);
    target.once(event, listener);
  });
}

/** Emit with an ack and wait for it (bounded). */
export function request(client: Client | RawClient, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return (client as unknown as Client).timeout(TIMEOUT_MS).emitWithAck(event as 'leave', ...(args as [])) as Promise<Ack<unknown>>;
}

/** `join`, typed. */
export function join(client: Client, payload: JoinRequest): Promise<Ack<JoinData>> {
  return request(client, 'join', payload) as Promise<Ack<JoinData>>;
}

/** `join` that must succeed; returns the ack data. */
export async function joined(client: Client, payload: JoinRequest): Promise<JoinData> {
  const ack = await join(client, payload);
  if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** `signal`, typed. */
export function signal(client: Client, payload: SignalRequest): Promise<Ack<null>> {
  return request(client, 'signal', payload) as Promise<Ack<null>>;
}

/** `ice-servers`, typed. */
export function iceServers(client: Client): Promise<Ack<IceServersData>> {
  return request(client, 'ice-servers') as Promise<Ack<IceServersData>>;
}

/** The error code of an ack, or `'ok'`. */
export function codeOf(ack: Ack<unknown>): string {
  return ack.ok ? 'ok' : ack.error.code;
}

/** Everything a client receives from the server (events, not acks), in order. */
export function record(client: Client): Array<{ event: string; args: unknown[] }> {
  const received: Array<{ event: string; args: unknown[] }> = [];
  client.onAny((event: string, ...args: unknown[]) => {
    if (event !== FLUSH_MARKER) received.push({ event, args });
  });
  return received;
}

/**
 * Whatever any relay node sent `client` before this was called has arrived once this resolves:
 * a round trip to its own node (one connection keeps its order), and with several nodes a
 * marker from each node through the adapter (one publisher per node keeps its order). Used to
 * assert that something was *not* received, without sleeping.
 */
export async function flush(client: Client): Promise<void> {
  await request(client, 'ice-servers');
  const nodes = nodesOf.get(client) ?? [];
  if (nodes.length < 2 || client.id === undefined) return;
  for (const node of nodes) {
    const marked = once(client, FLUSH_MARKER);
    // Not a protocol event: the untyped server, for the test only.
    (node.io as unknown as Server).to(client.id).emit(FLUSH_MARKER);
    await marked;
  }
}

/** The event flush() sends through the nodes; record() leaves it out. */
const FLUSH_MARKER = 'test-flush-marker';

/** Close the client's transport without a goodbye, as a dropped network would. */
export function dropConnection(client: Client): void {
  client.io.engine.close();
}

/**
 * Resolve once the relay has handled the loss of `client`'s connection (its `disconnect`
 * handlers have run). Set it up before dropping the connection.
 */
export async function relayNoticesDisconnect(t: TestRelay, client: Client): Promise<string> {
  const id = client.id;
  const node = t.nodes.find((n) => id !== undefined && n.io.sockets.sockets.has(id));
  const socket = id === undefined ? undefined : node?.io.sockets.sockets.get(id);
  if (node === undefined || socket === undefined || id === undefined) throw new Error('the relay does not know this client');
  const reason = await once<string>(socket, 'disconnect');
  // The store records it asynchronously (in Redis: a round trip).
  await waitFor(() => node.rooms.participantOf(id) === undefined, {
    timeout: TIMEOUT_MS,
    interval: 1,
    message: 'the relay to record the disconnect',
  });
  return reason;
}

/** Two clients joined to one room; `a` joined first. */
export async function pair(t: TestRelay, room = 'room-1') {
  const a = await t.connect();
  const b = await t.connect();
  const joinedA = await joined(a, { room, name: 'Ann' });
  const peerJoined = once(a, 'peer-joined');
  const joinedB = await joined(b, { room, name: 'Bob' });
  return { a, b, joinedA, joinedB, peerJoined: await peerJoined };
}
