import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpHandler, defaultStaticPaths } from './http-handler.js';
import { createSignalingServer } from '../relay/create-signaling-server.js';
import { findPackageRoot } from './package-root.js';
import { connectTo, joined, startRelay } from '../test-support/relay-clients.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes out exactly as given (fetch would normalise `..`). */
function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('createHttpHandler', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const BUNDLE = 'export const answer = 42;\n';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-video-call-http-'));
    await writeFile(join(dir, 'bundle.js'), BUNDLE);
    await writeFile(join(dir, 'bundle.js.map'), '{"version":3}');
    await writeFile(join(dir, 'bundle.js.integrity'), 'sha384-abc\n');
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(dir, 'demo.js'), '/* /demo.js */');
    await writeFile(join(dir, 'demo.css'), '/* /demo.css */');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
    server = createServer(
      createHttpHandler({
        bundlePath: join(dir, 'bundle.js'),
        demoPath: join(dir, 'index.html'),
        bundleVersion: '1.2.3',
        health: () => ({ ok: true, rooms: 3 }),
      }),
    );
    port = await listen(server);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers /healthz with JSON', async () => {
    const reply = await get(port, '/healthz');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(reply.body), { ok: true }, 'only the verdict, whatever the health function adds');
  });

  it('answers 503 when the health check throws or rejects, and keeps serving', async () => {
    for (const health of [
      () => {
        throw new Error('health check bug');
      },
      () => Promise.reject(new Error('store gone')),
    ]) {
      const failing = createServer(createHttpHandler({ health }));
      const failingPort = await listen(failing);
      try {
        const reply = await get(failingPort, '/healthz');
        assert.deepEqual([reply.status, JSON.parse(reply.body)], [503, { ok: false }]);
        assert.equal((await get(failingPort, '/healthz')).status, 503, 'still answering');
      } finally {
        failing.closeAllConnections();
        await new Promise((resolve) => failing.close(resolve));
      }
    }
  });

  it('serves the bundle as JavaScript that any site may load, with an ETag', async () => {
    const reply = await get(port, '/p2p-video-call.js?v=1');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, BUNDLE);
    assert.equal(reply.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(reply.headers['access-control-allow-origin'], '*');
    assert.equal(reply.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(reply.headers['cache-control']), /max-age=\d+/);
    const etag = String(reply.headers.etag);
    assert.match(etag, /^".+"$/);
    const again = await get(port, '/p2p-video-call.js', { headers: { 'If-None-Match': etag } });
    assert.deepEqual([again.status, again.body], [304, '']);
    assert.equal(again.headers['x-content-type-options'], 'nosniff');
    const map = await get(port, '/p2p-video-call.js.map');
    assert.deepEqual([map.status, map.body], [200, '{"version":3}']);
  });

  it('serves the bundle at its version for a year, immutable, and its integrity', async () => {
    const reply = await get(port, '/p2p-video-call@1.2.3.js');
    assert.deepEqual([reply.status, reply.body], [200, BUNDLE]);
    assert.equal(reply.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(reply.headers['access-control-allow-origin'], '*');
    assert.equal(reply.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal((await get(port, '/p2p-video-call@1.2.4.js')).status, 404, 'only its own version');
    const integrity = await get(port, '/p2p-video-call.js.integrity');
    assert.deepEqual([integrity.status, integrity.body], [200, 'sha384-abc\n']);
  });

  it('writes the built bundle’s integrity next to it, and serves it at the package’s version', async () => {
    const root = findPackageRoot()!;
    const { bundlePath } = defaultStaticPaths();
    const built = await readFile(bundlePath!).catch(() => null);
    if (built === null) return assert.fail('dist/p2p-video-call.js is missing: run `npm run build` first');
    const expected = `sha384-${createHash('sha384').update(built).digest('base64')}`;
    assert.equal((await readFile(`${bundlePath}.integrity`, 'utf8')).trim(), expected);
    // The README's pinned script tag is this build's (update it with the value `npm run build` prints).
    assert.ok(
      (await readFile(join(root, 'README.md'), 'utf8')).includes(`integrity="${expected}"`),
      'README.md gives this build’s integrity',
    );
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const own = createServer(createHttpHandler());
    const ownPort = await listen(own);
    try {
      const reply = await get(ownPort, `/p2p-video-call@${version}.js`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body, built.toString('utf8'));
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });

  it('serves the built-in languages’ tables from next to the bundle, loadable from any site, and no other', async () => {
    await mkdir(join(dir, 'lang'), { recursive: true });
    await writeFile(join(dir, 'lang', 'de.json'), '{"hangUp":"Auflegen"}');
    const reply = await get(port, '/lang/de.json');
    assert.deepEqual([reply.status, reply.body], [200, '{"hangUp":"Auflegen"}']);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['access-control-allow-origin'], '*');
    assert.equal(reply.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal((await get(port, '/lang/fr.json')).status, 404, 'a built-in language whose file is missing');
    for (const path of ['/lang/sv.json', '/lang/../bundle.js', '/lang/de.json/', '/lang/']) {
      assert.equal((await get(port, path)).status, 404, path);
    }
  });

  it('serves the demo at /', async () => {
    const reply = await get(port, '/');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(reply.body, /<title>demo<\/title>/);
    const csp = String(reply.headers['content-security-policy']);
    for (const directive of ["script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    for (const [path, type] of [
      ['/demo.js', 'text/javascript'],
      ['/demo.css', 'text/css'],
    ] as const) {
      const file = await get(port, path);
      assert.deepEqual([file.status, file.body], [200, `/* ${path} */`]);
      assert.match(String(file.headers['content-type']), new RegExp(`^${type}`));
    }
  });

  it('has no inline script or style in the packaged demo page, which the CSP would block', async () => {
    const html = await readFile(defaultStaticPaths().demoPath!, 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'an inline <script>');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/, 'inline style or an event handler attribute');
  });

  it('answers HEAD without a body', async () => {
    const reply = await get(port, '/p2p-video-call.js', { method: 'HEAD' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(BUNDLE)));
    assert.equal(reply.body, '');
  });

  it('refuses other methods', async () => {
    const reply = await get(port, '/p2p-video-call.js', { method: 'POST' });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'GET, HEAD');
  });

  it('serves nothing else, whatever the path', async () => {
    for (const path of [
      '/secret.txt',
      '/index.html',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/p2p-video-call.js/../secret.txt',
      '//p2p-video-call.js',
      '/P2P-VIDEO-CALL.JS',
      '/healthz/x',
      '/package.json',
    ]) {
      const reply = await get(port, path);
      assert.equal(reply.status, 404, path);
      assert.ok(!reply.body.includes('do not serve'), path);
    }
  });

  it('says how to build the bundle when it is missing', async () => {
    const missing = createServer(createHttpHandler({ bundlePath: join(dir, 'nope.js'), demoPath: null }));
    const missingPort = await listen(missing);
    try {
      const reply = await get(missingPort, '/p2p-video-call.js');
      assert.equal(reply.status, 404);
      assert.match(reply.body, /npm run build/);
      assert.equal((await get(missingPort, '/')).status, 404);
    } finally {
      await new Promise((resolve) => missing.close(resolve));
    }
  });

  it('finds the package root from source and points at dist/ and demo/', () => {
    const root = findPackageRoot();
    assert.ok(root !== null);
    assert.deepEqual(defaultStaticPaths(), {
      bundlePath: join(root, 'dist', 'p2p-video-call.js'),
      demoPath: join(root, 'demo', 'index.html'),
    });
    assert.equal(findPackageRoot('/'), null);
  });
});

describe('the relay’s own http server', () => {
  it('answers every path, its own and Socket.IO’s, with X-Content-Type-Options: nosniff', async () => {
    const relay = createSignalingServer({ logger: false });
    const { port: relayPort } = await relay.listen(0, '127.0.0.1');
    try {
      for (const path of [
        '/',
        '/p2p-video-call.js',
        '/healthz',
        '/nowhere',
        '/socket.io/?EIO=4&transport=polling',
        '/socket.io/?EIO=9&transport=polling',
      ]) {
        const reply = await get(relayPort, path);
        assert.equal(reply.headers['x-content-type-options'], 'nosniff', `${path} (${reply.status})`);
      }
    } finally {
      await relay.close();
    }
  });

  it('defect 7: /healthz next to Socket.IO says ok and nothing more', async () => {
    const t = await startRelay();
    try {
      const client = await t.connect();
      await joined(client, { room: 'room-1' });
      const reply = await get(Number(new URL(t.url).port), '/healthz');
      assert.equal(reply.body, '{"ok":true}', 'no counts, no internals');
    } finally {
      await t.close();
    }
  });

  it('leaves a server it was given running, without the relay, after close()', async () => {
    const host = createServer((_req, res) => res.end('host app'));
    const relay = createSignalingServer({ httpServer: host, logger: false });
    const hostPort = await listen(host);
    try {
      await relay.close();
      const reply = await get(hostPort, '/anything');
      assert.deepEqual([reply.status, reply.body], [200, 'host app']);
      assert.equal(host.listening, true);
      await assert.rejects(connectTo(`http://127.0.0.1:${hostPort}`), 'no new relay connections');
    } finally {
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });
});
