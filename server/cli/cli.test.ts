import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once as onceEvent } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT } from '../config/config.js';
import { codeOf, connectTo, join, joined, once, signal, type Client } from '../test-support/relay-clients.js';
import { readMetrics } from '../../test/support/metrics.mjs';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 20_000;

/** The environment without any of the relay's variables, plus `env`. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const [name] of ENVIRONMENT) delete clean[name];
  return { ...clean, ...env };
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: environment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run to completion (bounded): exit code and output. */
async function run(args: string[], env: Record<string, string> = {}) {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const [code] = (await onceEvent(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Resolve with the URL from the `listening` log line (or another one: `metrics listening`). */
function listeningUrl(child: ChildProcess, msg = 'listening'): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no "${msg}" line`)), TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (!line.includes(`"msg":"${msg}"`)) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
  });
}

describe('p2p-video-call-server', { concurrency: true }, () => {
  it('listens, answers /healthz, and exits 0 on SIGTERM', async () => {
    const child = start(['--port', '0'], { LOG_LEVEL: 'info' });
    try {
      const url = await listeningUrl(child);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const reply = await fetch(`${url}/healthz`);
      assert.equal(reply.status, 200);
      assert.deepEqual(await reply.json(), { ok: true });
      const exited = onceEvent(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serves Prometheus metrics on METRICS_PORT only: a call moves the join and signal counters', async () => {
    const child = start(['--port', '0'], { LOG_LEVEL: 'info', METRICS_PORT: '0' });
    const clients: Client[] = [];
    try {
      const [metricsUrl, url] = await Promise.all([listeningUrl(child, 'metrics listening'), listeningUrl(child)]);
      assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      for (let i = 0; i < 2; i++) clients.push(await connectTo(url));
      const [a, b] = clients;
      await joined(a, { room: 'metered' });
      const heard = once(a, 'peer-joined');
      const bobJoined = await joined(b, { room: 'metered' });
      await heard;
      assert.equal(codeOf(await signal(a, { to: bobJoined.peerId, media: { audio: true, video: true } })), 'ok');
      assert.equal(codeOf(await join(b, { room: 'another' })), 'already-joined');
      const samples = await readMetrics(metricsUrl);
      const expected: Array<[string, number]> = [
        ['p2p_video_call_answers_total{event="join",result="ok"}', 2],
        ['p2p_video_call_answers_total{event="join",result="already-joined"}', 1],
        ['p2p_video_call_answers_total{event="signal",result="ok"}', 1],
        ['p2p_video_call_signals_relayed_total', 1],
        ['p2p_video_call_connections', 2],
        ['p2p_video_call_rooms', 1],
        ['p2p_video_call_participants', 2],
        ['p2p_video_call_handler_seconds_count{event="join"}', 3],
      ];
      for (const [name, value] of expected) assert.equal(samples.get(name), value, name);
      assert.ok((samples.get('nodejs_eventloop_lag_seconds') ?? -1) >= 0, 'the process metrics are there');
      // Never on the public port.
      const publicAnswer = await fetch(`${url}/metrics`);
      assert.equal(publicAnswer.status, 404);
      assert.ok(!(await publicAnswer.text()).includes('p2p_video_call_'));
    } finally {
      for (const client of clients) client.disconnect();
      child.kill('SIGKILL');
    }
  });

  it('lists every option with --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    for (const [name] of ENVIRONMENT) assert.ok(stdout.includes(name), name);
    for (const flag of ['--port', '--host', '--help']) assert.ok(stdout.includes(flag), flag);
  });

  it('exits non-zero with one clear line on a bad flag', async () => {
    const { code, stdout, stderr } = await run(['--port', 'abc']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'p2p-video-call-server: --port must be an integer from 0 to 65535, got "abc" (see --help)\n');
  });

  it('exits non-zero with one clear line on a bad variable', async () => {
    const { code, stderr } = await run([], { ROOM_CAPACITY: '0' });
    assert.equal(code, 2);
    assert.match(stderr, /^p2p-video-call-server: ROOM_CAPACITY must be an integer from 2 to 1000, got "0" \(see --help\)\n$/);
  });

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const { code, stderr } = await run(['--port', String(port)]);
      assert.equal(code, 1);
      assert.match(stderr, /^p2p-video-call-server: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('npm start on a built tree', () => {
  it('skips the build, starts in under 3 s and says in one plain line where the demo is', async () => {
    const startedAt = Date.now();
    // In a process group of its own: npm runs the CLI as its child, and both must end.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: environment({ PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = onceEvent(child, 'exit');
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        const timer = setTimeout(() => reject(new Error(`no plain line in: ${stderr}`)), TIMEOUT_MS);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = /^p2p-video-call-server: demo on .*$/m.exec(stderr);
          if (found) {
            clearTimeout(timer);
            resolve(found[0]);
          }
        });
      });
      const tookMs = Date.now() - startedAt;
      assert.match(
        line,
        /^p2p-video-call-server: demo on http:\/\/127\.0\.0\.1:\d+\/ \(open it in two windows to try a call; Ctrl\+C stops it\)$/,
      );
      assert.ok(tookMs < 3000, `started in ${tookMs} ms`);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
