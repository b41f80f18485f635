/**
 * Helpers for the relay's node tests: a real relay on port 0, real Socket.IO clients, and
 * bounded waits. (Named `*.test.ts` only so that `tsc` leaves it out of `lib/`; it holds no
 * tests and lives outside the `server/*.test.ts` glob.)
 */
import type { EventEmitter } from 'node:events';
import { afterEach } from 'node:test';
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
import { createSignalingServer, type SignalingServer } from '../create-signaling-server.js';
import type { SignalingServerOptions } from '../signaling-server-options.js';

/** A client as the browser side types it. */
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The same client, untyped, for sending what a well-behaved client never would. */
export interface RawClient {
  emit(event: string, ...args: unknown[]): unknown;
}

/** Default bound for every wait in the tests. */
export const TIMEOUT_MS = 5000;

/** A relay on a free loopback port, silent, with clients that are all closed by `close()`. */
export interface TestRelay {
  relay: SignalingServer;
  url: string;
  /** Connect a websocket-only client (no reconnection). */
  connect(): Promise<Client>;
  /** Disconnect the clients and close the relay. */
  close(): Promise<void>;
}

/** Start a relay for one test. */
export async function startRelay(options: SignalingServerOptions = {}): Promise<TestRelay> {
  const relay = createSignalingServer({ logger: false, staticFiles: false, ...options });
  const { url } = await relay.listen(0, '127.0.0.1');
  const clients: Client[] = [];
  return {
    relay,
    url,
    async connect() {
      const client = await connectTo(url);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.disconnect();
      await relay.close();
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

/** Connect a websocket-only client to `url` and wait until it is connected. */
export function connectTo(url: string, extraHeaders?: Record<string, string>): Promise<Client> {
  const client: Client = connectClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(extraHeaders === undefined ? {} : { extraHeaders }),
  });
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
  return (client as unknown as Client)
    .timeout(TIMEOUT_MS)
    .emitWithAck(event as 'leave', ...(args as [])) as Promise<Ack<unknown>>;
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
  client.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
  return received;
}

/**
 * A round trip from `client` to the relay: whatever the relay sent this client before handling
 * it has arrived once this resolves (one connection keeps its order). Used to assert that
 * something was *not* received, without sleeping.
 */
export async function flush(client: Client): Promise<void> {
  await request(client, 'ice-servers');
}

/** Close the client's transport without a goodbye, as a dropped network would. */
export function dropConnection(client: Client): void {
  client.io.engine.close();
}

/**
 * Resolve once the relay has handled the loss of `client`'s connection (its `disconnect`
 * handlers have run). Set it up before dropping the connection.
 */
export function relayNoticesDisconnect(t: TestRelay, client: Client): Promise<string> {
  const socket = client.id === undefined ? undefined : t.relay.io.sockets.sockets.get(client.id);
  if (socket === undefined) throw new Error('the relay does not know this client');
  return once<string>(socket, 'disconnect');
}
