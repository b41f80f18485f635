// Child processes for tests (coturn, the relay CLI): spawned with their output kept for error
// messages, stopped with a bounded wait, and SIGKILLed if the test process exits without
// stopping them. Ports are found by binding port 0 on loopback.

import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { LOOPBACK_LIMITS } from './relay.mjs';
import { GiveUp, waitFor, withTimeout } from './wait.mjs';

/** Children still running; killed synchronously if this process exits first. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Environment for a relay process whose clients are all on this machine: the per-address limits
 * lifted, as test/support/relay.mjs lifts them in process (the same numbers).
 */
export const LOOPBACK_CLIENTS_ENV = Object.freeze({
  MAX_CONNECTIONS_PER_ADDRESS: String(LOOPBACK_LIMITS.connectionsPerAddress),
  MAX_JOINS_PER_MINUTE: String(LOOPBACK_LIMITS.joinsPerAddressPerMinute),
});

/**
 * A free TCP port on `host` (and, with `udp: true`, free for UDP too): bind port 0, read it,
 * close. Another process could take it before it is used; on loopback in a namespace of our
 * own that does not happen in practice.
 *
 * @param {{ host?: string, udp?: boolean }} [options]
 * @returns {Promise<number>}
 */
export async function freePort({ host = '127.0.0.1', udp = false } = {}) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (!udp || (await udpPortIsFree(port, host))) return port;
  }
  throw new Error(`freePort: found no port free for both TCP and UDP on ${host}`);
}

/**
 * @param {number} port
 * @param {string} host
 * @returns {Promise<boolean>}
 */
function udpPortIsFree(port, host) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/**
 * Spawns `command` with `args`, keeping the last lines of its stdout+stderr.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, name?: string, keepLines?: number }} [options]
 * @returns {import('./processes.d.mts').ManagedProcess}
 */
export function spawnManaged(command, args, { env, cwd, name = command, keepLines = 200 } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {string[]} */
  const lines = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > keepLines) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  running.add(child);
  /** @type {{ code: number | null, signal: NodeJS.Signals | null, error?: Error } | undefined} */
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      // spawn failed (ENOENT…): there will be no 'exit'
      running.delete(child);
      exitInfo = { code: null, signal: null, error };
      resolve(exitInfo);
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  /** @param {NodeJS.Signals} signal @param {number} timeout */
  const signalAndWait = async (signal, timeout) => {
    if (exitInfo) return exitInfo;
    child.kill(signal);
    return withTimeout(exited, timeout, `${name} (pid ${child.pid}) did not exit after ${signal}`);
  };

  return {
    name,
    child,
    get pid() {
      return child.pid;
    },
    exited,
    get exitInfo() {
      return exitInfo;
    },
    isRunning: () => exitInfo === undefined,
    output: () => lines.join('\n'),
    async stop(timeout = 5000) {
      try {
        return await signalAndWait('SIGTERM', timeout);
      } catch {
        return signalAndWait('SIGKILL', 5000);
      }
    },
    kill: () => signalAndWait('SIGKILL', 5000),
  };
}

/**
 * Describes how a process ended, for error messages.
 *
 * @param {import('./processes.d.mts').ManagedProcess} proc
 */
export function describeExit(proc) {
  const info = proc.exitInfo;
  if (!info) return `${proc.name} is still running`;
  if (info.error) return `${proc.name} could not be started: ${info.error.message}`;
  return `${proc.name} exited with ${info.signal ? `signal ${info.signal}` : `code ${info.code}`}`;
}

/**
 * Spawns `command` and resolves once `ready()` is truthy, polling every 25 ms. If the process
 * exits first, or `timeout` passes, it is killed and the error carries its last output.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ name: string, ready: () => Promise<unknown>, timeout: number, what: string, env?: NodeJS.ProcessEnv, cwd?: string }} options
 * @returns {Promise<import('./processes.d.mts').ManagedProcess>}
 */
export async function spawnReady(command, args, { name, ready, timeout, what, env, cwd }) {
  const proc = spawnManaged(command, args, { name, env, cwd });
  try {
    await waitFor(
      async () => {
        if (!proc.isRunning()) throw new GiveUp(describeExit(proc));
        return ready();
      },
      { timeout, interval: 25, message: what },
    );
    return proc;
  } catch (error) {
    await proc.kill().catch(() => {
      // Gone already: the start failure below is what matters.
    });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- ${name} output ---\n${proc.output()}`, { cause: error });
  }
}

/**
 * A test server that owns the temp directory `dir`: started with {@link spawnReady}, then
 * stopped (the directory removed with it), killed with SIGKILL, or restarted with the same
 * arguments (the same port). If the first start fails, the directory is removed.
 *
 * @param {string} dir
 * @param {string} command
 * @param {string[]} args
 * @param {{ name: string, ready: () => Promise<unknown>, timeout: number, what: string }} options
 * @returns {Promise<import('./processes.d.mts').RestartableServer>}
 */
export async function spawnRestartable(dir, command, args, options) {
  /** @type {import('./processes.d.mts').ManagedProcess} */
  let proc;
  const launch = async () => {
    proc = await spawnReady(command, args, options);
  };
  try {
    await launch();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    current: () => proc,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await proc.kill();
    },
    async restart() {
      await proc.kill();
      await launch();
    },
  };
}
