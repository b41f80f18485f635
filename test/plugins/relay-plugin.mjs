// A @web/test-runner plugin that gives browser tests real servers to talk to, through
// `executeServerCommand` from '@web/test-runner-commands':
//
//   relay-start     options for createSignalingServer        → { id, url, port }
//   relay-restart   { id, abrupt = true }                     → { id, url, port }  (same port)
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

const RELAY_MODULE = fileURLToPath(new URL('../../lib/server/index.js', import.meta.url));
const HOST = '127.0.0.1';

/**
 * @typedef {{ close(): Promise<void>, httpServer: import('node:http').Server,
 *   listen(port?: number, host?: string): Promise<{ port: number, url: string }> }} SignalingServer
 * @typedef {{ server: SignalingServer, options: object, port: number, url: string,
 *   sockets: Set<import('node:net').Socket> }} Relay
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
        throw new Error(`${RELAY_MODULE} does not exist: build first (npm run build, or npx tsc -p tsconfig.json)`);
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

  /** @param {object} options @param {number} port */
  const listenRelay = async (options, port) => {
    const createSignalingServer = await loadFactory();
    const server = createSignalingServer({ ...options, logger: false });
    // Tracked so that `abrupt` can cut every connection, as a crash would: clients then see a
    // transport close and reconnect, instead of Socket.IO's "io server disconnect".
    /** @type {Set<import('node:net').Socket>} */
    const sockets = new Set();
    server.httpServer.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const { url, port: actualPort } = await server.listen(port, HOST);
    return { server, options, port: actualPort, url, sockets };
  };

  /** @param {Relay} relay @param {boolean} abrupt */
  const closeRelay = async (relay, abrupt) => {
    if (abrupt) for (const socket of relay.sockets) socket.destroy();
    await relay.server.close();
  };

  /** @param {unknown} payload */
  const idOf = (payload) => {
    const id = /** @type {{ id?: unknown } | undefined} */ (payload)?.id;
    if (typeof id !== 'string') throw new Error('payload.id (a string) is required');
    return id;
  };

  /** @param {Map<string, unknown>} map @param {string} id @param {string} what */
  const lookup = (map, id, what) => {
    if (!map.has(id)) throw new Error(`no running ${what} with id ${id}`);
    return map.get(id);
  };

  return {
    name: 'p2p-relay',

    async executeCommand({ command, payload }) {
      switch (command) {
        case 'relay-start': {
          const relay = await listenRelay(/** @type {object} */ (payload ?? {}), 0);
          const id = randomUUID();
          relays.set(id, relay);
          return { id, url: relay.url, port: relay.port };
        }
        case 'relay-restart': {
          const id = idOf(payload);
          const relay = /** @type {Relay} */ (lookup(relays, id, 'relay'));
          const abrupt = /** @type {{ abrupt?: boolean }} */ (payload).abrupt ?? true;
          relays.delete(id);
          await closeRelay(relay, abrupt);
          const restarted = await listenRelay(relay.options, relay.port);
          relays.set(id, restarted);
          return { id, url: restarted.url, port: restarted.port };
        }
        case 'relay-stop': {
          // idempotent, for after() hooks: false when it was not running
          const id = idOf(payload);
          const relay = relays.get(id);
          if (!relay) return false;
          relays.delete(id);
          await closeRelay(relay, /** @type {{ abrupt?: boolean }} */ (payload).abrupt ?? false);
          return true;
        }
        case 'coturn-start': {
          const { port, secret } = /** @type {{ port?: number, secret?: string }} */ (payload ?? {});
          const turn = await startCoturn({ port, secret });
          const id = randomUUID();
          coturns.set(id, turn);
          return { id, port: turn.port, urls: turn.urls, secret: turn.secret };
        }
        case 'coturn-restart': {
          const id = idOf(payload);
          const turn = /** @type {import('../support/coturn.d.mts').Coturn} */ (lookup(coturns, id, 'coturn'));
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
      const closing = [
        ...[...relays.values()].map((relay) => closeRelay(relay, true)),
        ...[...coturns.values()].map((turn) => turn.stop()),
      ];
      relays.clear();
      coturns.clear();
      const results = await Promise.allSettled(closing);
      for (const result of results) {
        if (result.status === 'rejected') console.error('[relay-plugin] cleanup failed:', result.reason);
      }
    },
  };
}
