/**
 * The relay's plain HTTP routes, next to Socket.IO on the same server:
 *
 * | path | serves |
 * |---|---|
 * | `GET /healthz` | `200 { "ok": true }`, or `503 { "ok": false }` while the relay cannot take calls (closing, or its Redis unreachable or read-only); nothing more: why goes to the log, counts to the metrics listener |
 * | `GET /p2p-video-call.js` | the drop-in bundle, loadable from any site (`Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy: cross-origin`) |
 * | `GET /p2p-video-call@<version>.js` | the same, at the package's version, cached for a year (`immutable`): for a script tag with `integrity` |
 * | `GET /p2p-video-call.js.integrity` | its Subresource Integrity value (`sha384-…`, written by the build) |
 * | `GET /p2p-video-call.js.map` | its source map, when there is one |
 * | `GET /lang/<code>.json` | the element's texts in a built-in language (`de`, `fr`, …), fetched next to the bundle when a page uses that language; loadable from any site |
 * | `GET /` | the demo page, with a strict Content-Security-Policy (no inline script or style) |
 * | `GET /demo.js`, `GET /demo.css` | its script and style, next to it |
 *
 * Only these fixed files are ever read (no path from the URL reaches the file system), only
 * GET and HEAD are accepted, and everything else is 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INTEGRITY } from '../../src/i18n/lang/integrity.js';
import { findPackageRoot, packageVersion } from './package-root.js';

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /**
   * The drop-in bundle served at `/p2p-video-call.js` (its `.map` next to it is served too).
   * Default: `dist/p2p-video-call.js` in the package. `null`: not served.
   */
  bundlePath?: string | null;
  /** The page served at `/`. Default: `demo/index.html` in the package. `null`: not served. */
  demoPath?: string | null;
  /**
   * The version in the bundle's immutable path, `/p2p-video-call@<version>.js`. Default: the
   * package's. `null`: no versioned path.
   */
  bundleVersion?: string | null;
  /**
   * Whether the relay can take calls (the signaling server passes its state): `ok: false`
   * answers 503. Only `ok` is ever sent. Default `{ ok: true }`.
   */
  health?: () => HealthReport | Promise<HealthReport>;
}

/** What `/healthz` says: whether the relay can take calls. */
export interface HealthReport {
  ok: boolean;
}

/** A Node `request` listener. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

interface StaticRoute {
  file: string | null;
  contentType: string;
  cacheControl: string;
  crossOrigin: boolean;
  missing: string;
  headers?: Record<string, string>;
}

/**
 * The demo page's policy: everything from the relay's own origin (its script, style, the
 * bundle, the language tables, the WebSocket), nothing inline, nothing framed. The element
 * works under it: Lit adopts its styles as constructed stylesheets, which CSP does not block.
 */
export const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; media-src 'self' blob:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Default locations of the served files, resolved from the package root. */
export function defaultStaticPaths(): { bundlePath: string | null; demoPath: string | null } {
  const root = findPackageRoot();
  return {
    bundlePath: root === null ? null : join(root, 'dist', 'p2p-video-call.js'),
    demoPath: root === null ? null : join(root, 'demo', 'index.html'),
  };
}

/**
 * Create the request listener for the relay's HTTP routes.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createHttpHandler, createSignalingServer } from 'p2p-video-call/server';
 * const httpServer = createServer(createHttpHandler());
 * createSignalingServer({ httpServer });
 * httpServer.listen(8080);
 * ```
 */
export function createHttpHandler(options: HttpHandlerOptions = {}): HttpHandler {
  const defaults = options.bundlePath === undefined || options.demoPath === undefined ? defaultStaticPaths() : null;
  const bundlePath = options.bundlePath === undefined ? defaults!.bundlePath : options.bundlePath;
  const demoPath = options.demoPath === undefined ? defaults!.demoPath : options.demoPath;
  const bundleMissing = 'p2p-video-call.js is not built yet: run `npm run build`.\n';
  const bundleVersion = options.bundleVersion === undefined ? packageVersion() : options.bundleVersion;
  const bundle = (cacheControl: string): StaticRoute => ({
    file: bundlePath,
    contentType: 'text/javascript; charset=utf-8',
    cacheControl,
    crossOrigin: true,
    missing: bundleMissing,
  });
  const routes = new Map<string, StaticRoute>([
    // A year, never revalidated: a version's bytes never change (and its integrity with them).
    ...(bundleVersion === null ? [] : [[`/p2p-video-call@${bundleVersion}.js`, bundle('public, max-age=31536000, immutable')] as const]),
    [
      '/p2p-video-call.js.integrity',
      {
        file: bundlePath === null ? null : `${bundlePath}.integrity`,
        contentType: 'text/plain; charset=utf-8',
        cacheControl: 'public, max-age=300',
        crossOrigin: true,
        missing: bundleMissing,
      },
    ],
    ['/p2p-video-call.js', bundle('public, max-age=300')],
    [
      '/p2p-video-call.js.map',
      {
        file: bundlePath === null ? null : `${bundlePath}.map`,
        contentType: 'application/json; charset=utf-8',
        cacheControl: 'public, max-age=300',
        crossOrigin: true,
        missing: 'Not found.\n',
      },
    ],
    // The built-in languages' tables, next to the bundle (the element checks their hashes).
    ...Object.keys(INTEGRITY).map(
      (code) =>
        [
          `/lang/${code}.json`,
          {
            file: bundlePath === null ? null : join(dirname(bundlePath), 'lang', `${code}.json`),
            contentType: 'application/json; charset=utf-8',
            cacheControl: 'public, max-age=300',
            crossOrigin: true,
            missing: bundleMissing,
          },
        ] as const,
    ),
    [
      '/',
      {
        file: demoPath,
        contentType: 'text/html; charset=utf-8',
        cacheControl: 'no-cache',
        crossOrigin: false,
        missing: 'The demo page is not available.\n',
        headers: { 'Content-Security-Policy': DEMO_CSP },
      },
    ],
    ...(['js', 'css'] as const).map(
      (ext) =>
        [
          `/demo.${ext}`,
          {
            file: demoPath === null ? null : join(dirname(demoPath), `demo.${ext}`),
            contentType: ext === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
            cacheControl: 'no-cache',
            crossOrigin: false,
            missing: 'Not found.\n',
          },
        ] as const,
    ),
  ]);

  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { Allow: 'GET, HEAD' }, 'Method not allowed.\n', false);
      return;
    }
    const head = request.method === 'HEAD';
    if (path === '/healthz') {
      const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
      // In a promise: a health check that throws (not only one that rejects) answers 503, not a crash.
      new Promise<{ ok: boolean }>((resolve) => resolve(options.health?.() ?? { ok: true })).then(
        // Only the verdict: internal details (a Redis address, global counts) are nobody's business here.
        (report) => send(response, report.ok ? 200 : 503, headers, JSON.stringify({ ok: report.ok === true }), head),
        () => send(response, 503, headers, JSON.stringify({ ok: false }), head),
      );
      return;
    }
    const route = path === undefined ? undefined : routes.get(path);
    if (route === undefined) {
      send(response, 404, {}, 'Not found.\n', head);
      return;
    }
    serveFile(request, response, route, head).catch(() => {
      // The file went away or became unreadable between stat and read (a rebuild, say): this one
      // request fails, nothing else depends on it, and a retry finds the new file.
      if (!response.headersSent) send(response, 500, {}, 'Internal error.\n', head);
      else response.destroy();
    });
  };
}

async function serveFile(request: IncomingMessage, response: ServerResponse, route: StaticRoute, head: boolean): Promise<void> {
  // A file that is not there is the normal case of an unbuilt package: answered 404 with `missing`.
  const info = route.file === null ? null : await stat(route.file).catch(() => null);
  if (route.file === null || !info?.isFile()) {
    send(response, 404, {}, route.missing, head);
    return;
  }
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': route.contentType,
    'Cache-Control': route.cacheControl,
    ETag: etag,
    ...route.headers,
  };
  if (route.crossOrigin) {
    headers['Access-Control-Allow-Origin'] = '*';
    // Loadable by pages that require it of what they embed (Cross-Origin-Embedder-Policy).
    headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
  }
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { 'X-Content-Type-Options': 'nosniff', ...headers }).end();
    return;
  }
  const body = await readFile(route.file);
  send(response, 200, headers, body, head);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, head: boolean): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(head ? undefined : body);
}
