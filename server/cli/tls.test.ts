// TLS_CERT / TLS_KEY: the CLI serves HTTPS and WSS on its one port, and takes a new certificate
// on SIGHUP without dropping a connection (issue 22). Certificates are made here (openssl).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { io as connectClient } from 'socket.io-client';
import { ENVIRONMENT } from '../config/config.js';
import { createSignalingServer } from '../relay/create-signaling-server.js';
import { codeOf, joined, once, signal, type Client } from '../test-support/relay-clients.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** A self-signed certificate for 127.0.0.1 named `name`: its files and PEM text. */
async function certificate(dir: string, name: string): Promise<{ certFile: string; keyFile: string; cert: string }> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile, cert: await readFile(certFile, 'utf8') };
}

/** The certificate a new TLS connection to `port` is shown. */
function presented(port: number, ca: string[]): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('TLS_CERT / TLS_KEY', () => {
  it('serves HTTPS and WSS on one port, and takes a renewed certificate on SIGHUP without dropping a call', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'relay-tls-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const first = await certificate(dir, 'first');
    const renewed = await certificate(dir, 'renewed');
    // The files the relay is configured with; the renewal is copied over them, as certbot does.
    const live = { certFile: join(dir, 'live.pem'), keyFile: join(dir, 'live.key') };
    await copyFile(first.certFile, live.certFile);
    await copyFile(first.keyFile, live.keyFile);

    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', TLS_CERT: live.certFile, TLS_KEY: live.keyFile };
    for (const [name] of ENVIRONMENT) if (!['LOG_LEVEL', 'TLS_CERT', 'TLS_KEY'].includes(name)) delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    const logged = (msg: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${msg}" line in: ${output}`)), 20_000);
        const look = () => {
          for (const line of output.split('\n')) {
            if (line.includes(`"msg":"${msg}"`)) {
              clearTimeout(timer);
              child.stdout.off('data', look);
              return resolve(JSON.parse(line) as Record<string, unknown>);
            }
          }
        };
        child.stdout.on('data', look);
        look();
      });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = String((await logged('listening')).url);
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(url).port);

    // HTTPS: /healthz, with the certificate trusted as a CA.
    const health = await new Promise<string>((resolve, reject) => {
      get(`${url}/healthz`, { ca: [first.cert] }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      }).once('error', reject);
    });
    assert.equal(health, '{"ok":true}');
    // WSS: a call of two.
    const open = () =>
      new Promise<Client>((resolve, reject) => {
        const client: Client = connectClient(url, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          ca: [first.cert, renewed.cert],
        });
        client.once('connect', () => resolve(client));
        client.once('connect_error', reject);
      });
    const a = await open();
    const b = await open();
    t.after(() => [a, b].forEach((c) => c.disconnect()));
    await joined(a, { room: 'over-tls' });
    const heard = once(a, 'peer-joined');
    const bobJoined = await joined(b, { room: 'over-tls' });
    await heard;
    assert.equal((await presented(port, [first.cert])).subject.CN, 'first');

    // Renewed: new files, SIGHUP.
    await writeFile(live.certFile, await readFile(renewed.certFile));
    await writeFile(live.keyFile, await readFile(renewed.keyFile));
    const reloaded = logged('tls reloaded');
    child.kill('SIGHUP');
    await reloaded;
    assert.equal((await presented(port, [renewed.cert])).subject.CN, 'renewed', 'a new connection gets the renewed certificate');
    // The call's connections were never dropped, and still carry signals.
    assert.deepEqual([a.connected, b.connected], [true, true]);
    const got = once<{ from: string }>(b, 'signal');
    assert.equal(codeOf(await signal(a, { to: bobJoined.peerId, media: { audio: true, video: true } })), 'ok');
    await got;

    // A broken renewal (a key that is not the certificate's) keeps the one in use.
    await writeFile(live.keyFile, await readFile(first.keyFile));
    const failed = logged('tls reload failed; the certificate in use stays');
    child.kill('SIGHUP');
    await failed;
    assert.equal((await presented(port, [renewed.cert])).subject.CN, 'renewed');
    assert.equal(child.exitCode, null, 'still running');
  });
});

describe('TLS handshake', () => {
  it('closes a connection that never starts its handshake within 10 s (not after Node’s 120 s)', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-video-call-tls-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { cert, keyFile } = await certificate(dir, 'silent');
    const relay = createSignalingServer({ logger: false, staticFiles: false, tls: { cert, key: await readFile(keyFile, 'utf8') } });
    t.after(() => relay.close());
    const { port } = new URL((await relay.listen(0, '127.0.0.1')).url);
    const opened = Date.now();
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    // Silent: connected, and nothing sent. Bounded: fails if the relay keeps it past 15 s.
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('still open after 15 s')), 15_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - opened);
      });
      socket.once('error', () => undefined);
    });
    assert.ok(closedAfter >= 9_000 && closedAfter < 12_000, `closed after ${closedAfter} ms`);
  });
});
