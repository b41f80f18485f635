import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once as onceEvent } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT } from '../config/config.js';

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

/** Resolve with the URL from the `listening` log line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('no "listening" line')), TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (!line.includes('"listening"')) continue;
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
      assert.deepEqual(await reply.json(), { ok: true, rooms: 0, participants: 0, connections: 0 });
      const exited = onceEvent(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
    } finally {
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
