// The relays the benchmarks run against, each in its own process with the memory probe
// (bench/support/memory-probe.cjs): the bare Socket.IO relay, the product on one node, or on two
// nodes sharing a Redis started for them. Their clients all come from 127.0.0.1, so the
// per-address limits are lifted (LOOPBACK_CLIENTS_ENV).
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../test/support/redis.mjs';
import { freePort, LOOPBACK_CLIENTS_ENV } from '../../test/support/processes.mjs';
import { waitFor } from '../../test/support/wait.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = join(ROOT, 'bench/support/memory-probe.cjs');

/** Starts one relay process with the memory probe; resolves once it answers /healthz. */
export async function startProcess(script, scriptArgs, env = {}) {
  const port = await freePort();
  const child = fork(join(ROOT, script), [...scriptArgs, '--port', String(port)], {
    execArgv: ['--expose-gc', '--require', PROBE],
    env: { ...process.env, LOG_LEVEL: 'warn', ...LOOPBACK_CLIENTS_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, {
    timeout: 15_000,
    interval: 50,
    message: `${script} on ${port}`,
  });
  const ask = (what) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(what);
    });
  const memory = () => ask('memory');
  const cpuMicros = async () => (await ask('cpu')).cpuMicros;
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));
  return { url, memory, cpuMicros, stop };
}

export async function startTarget(name, extraEnv = {}) {
  if (name === 'bare') {
    const relay = await startProcess('bench/bare-relay.mjs', [], extraEnv);
    return { urls: [relay.url], nodes: [relay], stop: () => relay.stop() };
  }
  const cli = ['lib/server/cli/cli.js', ['--host', '127.0.0.1']];
  // With its metrics on, as an operator runs it (the listener on a port of its own).
  const metrics = async () => ({ METRICS_PORT: String(await freePort()) });
  if (name === 'one') {
    const relay = await startProcess(...cli, { ...extraEnv, ...(await metrics()) });
    return { urls: [relay.url], nodes: [relay], stop: () => relay.stop() };
  }
  const redis = await startRedis();
  const env = { ...extraEnv, REDIS_URL: redis.url };
  const nodes = await Promise.all([
    startProcess(...cli, { ...env, ...(await metrics()) }),
    startProcess(...cli, { ...env, ...(await metrics()) }),
  ]);
  return {
    urls: nodes.map((n) => n.url),
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
    },
  };
}

/** CPU time used so far by all the target's processes, in µs. */
export async function cpuOf(target) {
  const all = await Promise.all(target.nodes.map((n) => n.cpuMicros()));
  return all.reduce((s, c) => s + c, 0);
}

export async function memoryOf(target) {
  const all = await Promise.all(target.nodes.map((n) => n.memory()));
  return {
    rss: all.reduce((s, m) => s + m.rss, 0),
    heapUsed: all.reduce((s, m) => s + m.heapUsed, 0),
    eventLoopDelays: all.map((m) => m.eventLoopDelay),
  };
}
