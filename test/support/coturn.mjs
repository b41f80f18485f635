// A real coturn TURN server on loopback, for tests: the command line from
// /work/shared/BROWSER-TESTING.md ("coturn on loopback"), a free port, a random shared secret
// (coturn's TURN REST API, `--use-auth-secret`), its own relay port range.

import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRestartable } from './processes.mjs';

const HOST = '127.0.0.1';

/**
 * Starts coturn and resolves once it answers a STUN Binding request on its UDP port.
 *
 * @example
 *   const turn = await startCoturn();
 *   const { username, credential } = turnCredentials(turn.secret);
 *   new RTCPeerConnection({ iceServers: [{ urls: turn.urls, username, credential }], iceTransportPolicy: 'relay' });
 *   await turn.stop();
 *
 * @param {import('./coturn.d.mts').CoturnOptions} [options]
 * @returns {Promise<import('./coturn.d.mts').Coturn>}
 */
export async function startCoturn(options = {}) {
  const port = options.port ?? (await freePort({ host: HOST, udp: true }));
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const minPort = options.minPort ?? randomInt(20_000, 59_000);
  const maxPort = minPort + 200;
  const command = options.command ?? process.env.TURNSERVER_PATH ?? 'turnserver';
  const startTimeout = options.startTimeout ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'p2p-coturn-'));
  const args = [
    '-n', // skip /etc/turnserver.conf
    `--listening-ip=${HOST}`,
    `--relay-ip=${HOST}`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${maxPort}`,
    '--no-tls',
    '--no-dtls',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=test',
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-cli',
    '--fingerprint',
    '--no-software-attribute',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    // its own (empty) SQLite user DB instead of the shared /var/lib/turn/turndb, which may not
    // be writable for non-root users and would be shared by concurrent instances
    `--userdb=${join(dir, 'turndb')}`,
  ];

  const server = await spawnRestartable(dir, command, args, {
    name: `turnserver :${port}`,
    ready: () => stunBinding(port, 200),
    timeout: startTimeout,
    what: `coturn to answer STUN on ${HOST}:${port}`,
  });

  return {
    port,
    secret,
    urls: [`turn:${HOST}:${port}?transport=udp`],
    get pid() {
      return server.current().pid;
    },
    output: () => server.current().output(),
    isRunning: () => server.current().isRunning(),
    stop: server.stop,
    kill: server.kill,
    // kill -9, then the same port, secret and relay range: allocations are lost, which is what
    // an ICE-restart test needs.
    restart: server.restart,
  };
}

/**
 * TURN REST API credentials as coturn checks them with `--use-auth-secret`:
 * username `"<unix expiry seconds>:<user>"`, credential `base64(HMAC-SHA1(secret, username))`.
 *
 * @param {string} secret
 * @param {{ user?: string, ttl?: number, now?: number }} [options] ttl in seconds (default 3600)
 * @returns {{ username: string, credential: string }}
 */
export function turnCredentials(secret, { user = 'test', ttl = 3600, now = Date.now() } = {}) {
  const username = `${Math.floor(now / 1000) + ttl}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/**
 * Sends one STUN Binding request (RFC 8489 §6) over UDP and resolves true when a Binding
 * success response with the same transaction id comes back within `timeout` ms.
 *
 * @param {number} port
 * @param {number} timeout
 * @returns {Promise<boolean>}
 */
export function stunBinding(port, timeout) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transactionId = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2); // no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    transactionId.copy(request, 8);
    const done = (/** @type {boolean} */ ok) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeout);
    socket.on('error', () => done(false));
    socket.on('message', (message) => {
      if (message.length >= 20 && message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transactionId)) {
        done(true);
      }
    });
    socket.send(request, port, HOST);
  });
}
