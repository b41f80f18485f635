// A real redis-server on loopback, for tests: a free port, no persistence (no RDB, no AOF, its
// own temp dir), started and stopped by the test. Debian package redis-server.

import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRestartable } from './processes.mjs';

const HOST = '127.0.0.1';

/**
 * Starts redis-server and resolves once it answers PING.
 *
 * @example
 *   const redis = await startRedis();
 *   createSignalingServer({ redis: redis.url });
 *   await redis.stop();
 *
 * @param {import('./redis.d.mts').RedisOptions} [options]
 * @returns {Promise<import('./redis.d.mts').RedisServer>}
 */
export async function startRedis(options = {}) {
  const port = options.port ?? (await freePort({ host: HOST }));
  const command = options.command ?? process.env.REDIS_SERVER_PATH ?? 'redis-server';
  const dir = await mkdtemp(join(tmpdir(), 'p2p-redis-'));
  const args = [
    '--bind',
    HOST,
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    ...(options.persistent ? ['--appendfsync', 'always'] : []),
    '--dir',
    dir,
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
  ];
  const server = await spawnRestartable(dir, command, args, {
    name: `redis-server :${port}`,
    ready: async () => (await redisCommand(port, ['PING']).catch(() => '')) === '+PONG',
    timeout: options.startTimeout ?? 10_000,
    what: `redis-server to answer on ${HOST}:${port}`,
  });
  return {
    port,
    url: `redis://${HOST}:${port}`,
    isRunning: () => server.current().isRunning(),
    command: (args) => redisCommand(port, args),
    async keys(pattern = '*') {
      const reply = await redisCommand(port, ['KEYS', pattern]);
      return [...reply.matchAll(/^\$\d+\r\n(.*)$/gm)].map((m) => m[1]);
    },
    stop: server.stop,
    kill: server.kill,
    restart: server.restart,
  };
}

/**
 * Sends one command in RESP and resolves with the raw reply (enough for PING and KEYS).
 *
 * @param {number} port
 * @param {string[]} args
 * @returns {Promise<string>}
 */
function redisCommand(port, args) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    let reply = '';
    const timer = setTimeout(() => socket.destroy(new Error('redis did not answer')), 2000);
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (complete(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply.trimEnd());
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** Whether a RESP reply is complete (simple string, error, integer, or an array of bulk strings). @param {string} reply */
function complete(reply) {
  if (!reply.endsWith('\r\n')) return false;
  if (reply[0] !== '*') return true;
  const count = Number(reply.slice(1, reply.indexOf('\r\n')));
  return count <= 0 || reply.split('\r\n').length - 2 >= count * 2;
}
