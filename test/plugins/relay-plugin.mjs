// A @web/test-runner plugin that gives browser tests real servers to talk to, through
// `executeServerCommand` from '@web/test-runner-commands':
//
//   relay-start     options for createSignalingServer        → { id, url, port }
//   relay-kill      { id }  (every connection cut, as a crash) → true
//   relay-revive    { id }  (same port and options, empty memory) → { id, url, port }
//   relay-restart   { id, abrupt = true }  (kill + revive)    → { id, url, port }
//   relay-stats     { id }                                    → { rooms, participants, connections }
//   relay-stop      { id, abrupt = false }                    → true (false: was not running)
//   coturn-start    { port?, secret? } (optional)             → { id, port, urls, secret }
//   coturn-restart  { id }  (kill -9, same port and secret)   → { id, port, urls, secret }
//   coturn-stop     { id }                                    → true (false: was not running)
//   turn-credentials { secret, user?, ttl? }                  → { username, credential }
//
// The relay is the real one, compiled by tsc to lib/server/index.js (`npm test` builds first),
// listening on 127.0.0.1 port 0. Everything still running is stopped when wtr stops.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startCoturn, turnCredentials } from '../support/coturn.mjs';
import { loopbackRelayOptions } from '../support/relay.mjs';

const RELAY_MODULE = fileURLToPath(new URL('../../lib/server/index.js', import.meta.url));
const HOST = '127.0.0.1';

/**
 * @typedef {{ close(): Promise<void>, httpServer: import('node:http').Server,
 *   io: { engine: { clientsCount: number } }, stats?: () => object,
 *   listen(port?: number, host?: string): Promise<{ port: number, url: string }> }} SignalingServer
 * @typedef {{ server: SignalingServer, url: string, sockets: Set<import('node:net').Socket>,
 *   dying: boolean }} Running
 * @typedef {{ options: object, port: number, url: string, running: Running | undefined }} Relay
 *   `running` is undefined while killed.
 */

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function relayPlugin() {
  /** @type {Map<string, Relay>} */
  const relays = new Map();
  /** @type {Map<string, import('../support/coturn.d.mts').Coturn>} */
  const coturns = new Map();
  /** @type {Promise<(options: object) => SignalingServer> | undefined} */
  let factory;

  const loadFactory = () => {
    factory ??= (async () => {
      if (!existsSync(RELAY_MODULE)) {
        throw new Error(`${RELAY_MODULE} does not exist: build first (npm run build, or npm run build:tsc)`);
      }
      const module = await import(pathToFileURL(RELAY_MODULE).href);
      if (typeof module.createSignalingServer !== 'function') {
        throw new Error(`${RELAY_MODULE} does not export createSignalingServer`);
      }
      return module.createSignalingServer;
    })();
    factory.catch(() => {
      factory = undefined; // try again next time (the build may have finished meanwhile)
    });
    return factory;
  };

  /** @param {object} options @param {number} port @returns {Promise<Running & { port: number }>} */
  const listenRelay = async (options, port) => {
    const createSignalingServer = await loadFactory();
    // Every test client comes from 127.0.0.1: no per-address limits unless a test sets them.
    const server = createSignalingServer({ ...loopbackRelayOptions(options), logger: false });
    /** @type {Running} */
    const running = { server, url: '', sockets: new Set(), dying: false };
    // Every TCP connection is tracked so that a kill can cut them all, as a crash would:
    // clients then see a transport close and reconnect (after Socket.IO's own "io server
    // disconnect" they would not). Connections arriving while it dies are cut too.
    server.httpServer.on('connection', (socket) => {
      if (running.dying) {
        socket.destroy();
        return;
      }
      running.sockets.add(socket);
      socket.once('close', () => running.sockets.delete(socket));
    });
    const { url, port: actualPort } = await server.listen(port, HOST);
    running.url = url;
    return { ...running, port: actualPort };
  };

  /** @param {Running} running @param {boolean} abrupt */
  const closeRunning = async (running, abrupt) => {
    if (abrupt) {
      running.dying = true;
      for (const socket of running.sockets) socket.destroy();
    }
    await running.server.close();
  };

  /** @param {Relay} relay @param {boolean} abrupt */
  const kill = async (relay, abrupt) => {
    const { running } = relay;
    relay.running = undefined;
    if (running) await closeRunning(running, abrupt);
  };

  /** @param {string} id @param {Relay} relay */
  const revive = async (id, relay) => {
    if (relay.running) throw new Error(`relay ${id} is running: relay-kill it first, or use relay-restart`);
    const started = await listenRelay(relay.options, relay.port);
    relay.running = started;
    relay.url = started.url;
    return { id, url: started.url, port: relay.port };
  };

  /** @param {unknown} payload */
  const idOf = (payload) => {
    const id = /** @type {{ id?: unknown } | undefined} */ (payload)?.id;
    if (typeof id !== 'string') throw new Error('payload.id (a string) is required');
    return id;
  };

  /** @param {unknown} payload @returns {[string, Relay]} */
  const relayOf = (payload) => {
    const id = idOf(payload);
    const relay = relays.get(id);
    if (!relay) throw new Error(`no relay with id ${id}`);
    return [id, relay];
  };

  /** @param {unknown} payload @returns {[string, import('../support/coturn.d.mts').Coturn]} */
  const coturnOf = (payload) => {
    const id = idOf(payload);
    const turn = coturns.get(id);
    if (!turn) throw new Error(`no coturn with id ${id}`);
    return [id, turn];
  };

  /** @param {unknown} payload @param {boolean} fallback */
  const abruptOf = (payload, fallback) => /** @type {{ abrupt?: boolean }} */ (payload).abrupt ?? fallback;

  return {
    name: 'p2p-relay',

    async executeCommand({ command, payload }) {
      switch (command) {
        case 'relay-start': {
          const options = /** @type {object} */ (payload ?? {});
          const started = await listenRelay(options, 0);
          const id = randomUUID();
          relays.set(id, { options, port: started.port, url: started.url, running: started });
          return { id, url: started.url, port: started.port };
        }
        case 'relay-kill': {
          const [, relay] = relayOf(payload);
          if (!relay.running) throw new Error('the relay is not running');
          await kill(relay, true);
          return true;
        }
        case 'relay-revive': {
          const [id, relay] = relayOf(payload);
          return revive(id, relay);
        }
        case 'relay-restart': {
          const [id, relay] = relayOf(payload);
          await kill(relay, abruptOf(payload, true));
          return revive(id, relay);
        }
        case 'relay-stats': {
          const [, relay] = relayOf(payload);
          if (!relay.running) throw new Error('the relay is not running');
          const { server } = relay.running;
          return typeof server.stats === 'function' ? server.stats() : { connections: server.io.engine.clientsCount };
        }
        case 'relay-stop': {
          // idempotent, for after() hooks: false when it was not running
          const id = idOf(payload);
          const relay = relays.get(id);
          if (!relay) return false;
          relays.delete(id);
          const wasRunning = relay.running !== undefined;
          await kill(relay, abruptOf(payload, false));
          return wasRunning;
        }
        case 'coturn-start': {
          const { port, secret } = /** @type {{ port?: number, secret?: string }} */ (payload ?? {});
          const turn = await startCoturn({ port, secret });
          const id = randomUUID();
          coturns.set(id, turn);
          return { id, port: turn.port, urls: turn.urls, secret: turn.secret };
        }
        case 'coturn-restart': {
          const [id, turn] = coturnOf(payload);
          await turn.restart();
          return { id, port: turn.port, urls: turn.urls, secret: turn.secret };
        }
        case 'coturn-stop': {
          const id = idOf(payload);
          const turn = coturns.get(id);
          if (!turn) return false;
          coturns.delete(id);
          await turn.stop();
          return true;
        }
        case 'turn-credentials': {
          const { secret, user, ttl } = /** @type {{ secret?: unknown, user?: string, ttl?: number }} */ (payload ?? {});
          if (typeof secret !== 'string') throw new Error('payload.secret (a string) is required');
          return turnCredentials(secret, { user, ttl });
        }
        default:
          return undefined; // not ours
      }
    },

    async serverStop() {
      const closing = [...[...relays.values()].map((relay) => kill(relay, true)), ...[...coturns.values()].map((turn) => turn.stop())];
      relays.clear();
      coturns.clear();
      const results = await Promise.allSettled(closing);
      for (const result of results) {
        if (result.status === 'rejected') console.error('[relay-plugin] cleanup failed:', result.reason);
      }
    },
  };
}
