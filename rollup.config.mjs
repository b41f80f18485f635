// The drop-in bundle: one self-contained ES module (Lit and socket.io-client inside) that a
// page loads with <script type="module">. Built from tsc's output in lib/ (npm run build:tsc).
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { fileURLToPath } from 'node:url';

/**
 * engine.io-client registers a WebTransport transport that is only used when asked for by
 * name; we ask for `websocket`, then `polling`. Replacing it with an empty class saves every
 * visitor ~0.7 KB gzip.
 */
const withoutWebTransport = {
  name: 'without-webtransport',
  resolveId(source, importer) {
    if (source === './webtransport.js' && importer?.includes('engine.io-client')) return '\0webtransport-stub';
    return null;
  },
  load(id) {
    return id === '\0webtransport-stub' ? 'export class WT {}' : null;
  },
};

/**
 * engine.io-client's long-polling transport is imported by its transport table whether used or
 * not, and its XMLHttpRequest implementation runs a probe at module load, which defeats
 * tree-shaking. We connect over WebSocket only (see src/signaling-client.ts): replace it with
 * an empty class. Saves every visitor ~1.2 KB gzip.
 */
const withoutPolling = {
  name: 'without-polling',
  resolveId(source, importer) {
    const polling = /^\.\/(transports\/)?polling-(xhr|fetch)(\.node)?\.js$/.test(source);
    return polling && importer?.includes('engine.io-client') ? '\0polling-stub' : null;
  },
  load(id) {
    return id === '\0polling-stub' ? 'export class XHR {} export class Fetch {}' : null;
  },
};

/**
 * Our protocol is JSON only (see src/protocol.ts), and our client hands socket.io-client a
 * parser for Socket.IO's packet format without binary support (src/socket-io-parser.ts).
 * socket.io-client still imports socket.io-parser for its default and its packet types: give
 * it ours, so the default (with its binary attachments) is not bundled. Saves ~0.8 KB gzip.
 */
const jsonOnlyParser = {
  name: 'json-only-parser',
  resolveId(source, importer) {
    return source === 'socket.io-parser' && importer?.includes('socket.io-client')
      ? fileURLToPath(new URL('lib/src/socket-io-parser.js', import.meta.url))
      : null;
  },
};

/**
 * engine.io-parser decodes base64-encoded binary packets ("b…"), which only long-polling sends
 * (a WebSocket carries binary frames as they are), and we send no binary at all: its base64
 * decoder is dead weight. Replaced by one that says so. Saves ~0.2 KB gzip.
 */
const withoutBase64Binary = {
  name: 'without-base64-binary',
  resolveId(source, importer) {
    return source === './contrib/base64-arraybuffer.js' && importer?.includes('engine.io-parser') ? '\0base64-stub' : null;
  },
  load(id) {
    return id === '\0base64-stub' ? 'export const decode = () => { throw new Error("binary over polling is not supported"); };' : null;
  },
};

/**
 * engine.io-client parses URLs with its own regular expression (for old browsers without
 * `URL`); every browser we support has `URL`. Replaced by a `URL`-based parse giving the same
 * fields its two users read (socket.io-client's `url()` and engine.io-client's `Socket`):
 * protocol without the colon, host without IPv6 brackets, port, path, query and its keys.
 * Saves ~0.4 KB gzip.
 */
const urlParse = {
  name: 'url-parse',
  resolveId(source, importer) {
    return source === './contrib/parseuri.js' && importer?.includes('engine.io-client') ? '\0url-parse' : null;
  },
  load(id) {
    if (id !== '\0url-parse') return null;
    return `export function parse(source) {
  const url = new URL(source.includes('://') ? source : 'https://' + source);
  return {
    source,
    protocol: url.protocol.slice(0, -1),
    host: url.hostname.replace(/^\\[|\\]$/g, ''),
    port: url.port,
    path: url.pathname,
    query: url.search.slice(1),
    queryKey: Object.fromEntries(url.searchParams),
  };
}`;
  },
};

/**
 * Methods of engine.io-client and socket.io-client that never run in our client, emptied (each
 * body up to the next doc comment is replaced by `{}`); the build fails if one is not where this
 * expects it (a new version: look again). Saves every visitor ~0.6 KB gzip.
 * - engine.io-client's upgrade prober (`_probe`): we connect over WebSocket from the start
 *   (`transports: ['websocket']`), so the relay offers no upgrade and nothing is probed.
 * - socket.io-client's retry queue (`_addToQueue`, `_drainQueue`): only used with the `retries`
 *   option, which we don't set (our acks time out and the call recovers by itself).
 * - socket.io-client's catch-all listeners (`onAny`, `prependAny`, `offAny`, `listenersAny` and
 *   their `Outgoing` twins): nothing outside our code ever gets the socket, and we use none.
 */
const EMPTIED = [
  [/engine\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/, ['_probe']],
  [
    /socket\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/,
    ['_addToQueue', '_drainQueue', 'onAny', 'prependAny', 'offAny', 'listenersAny', 'onAnyOutgoing', 'prependAnyOutgoing', 'offAnyOutgoing', 'listenersAnyOutgoing'],
  ],
];
const withoutUnusedMethods = {
  name: 'without-unused-methods',
  transform(code, id) {
    const names = EMPTIED.find(([file]) => file.test(id))?.[1];
    if (!names) return null;
    let out = code;
    for (const name of names) {
      const start = out.search(new RegExp(`^    ${name}\\(.*\\) \\{$`, 'm'));
      const end = start < 0 ? -1 : out.indexOf('\n    /**\n', start);
      if (start < 0 || end < 0) this.error(`without-unused-methods: ${name}() not found as expected in ${id}`);
      out = `${out.slice(0, start)}    ${name}() {}${out.slice(end)}`;
    }
    return { code: out, map: null };
  },
};

/**
 * Property names terser shortens, bundle-wide (every reader and writer of them is in this file):
 * - names starting with `_`, the rule socket.io-client's own minified build
 *   (dist/socket.io.esm.min.js) uses, except Lit's `_$…` names, which Lit keeps stable across
 *   its copies and versions on purpose;
 * - engine.io-client's and socket.io-client's internal method and field names
 *   (never part of the wire format, the options we pass, or a DOM API; terser never renames DOM
 *   names anyway), each checked not to be read by a string anywhere in those packages.
 * Saves every visitor ~0.4 KB gzip. The packet fields and handshake keys (`sid`, `pid`,
 * `upgrades`, `pingInterval`, …) are not in it: they come from the relay as JSON.
 */
const SOCKET_IO_INTERNALS = [
  'emitReserved', 'setTimeoutFn', 'clearTimeoutFn', 'skipReconnect', 'sendBuffer', 'receiveBuffer',
  'writeBuffer', 'backoff', 'notifyOutgoingListeners', 'priorWebsocketSuccess', 'subs',
  'maybeReconnectOnOpen', 'emitEvent', 'emitBuffered', 'onreconnect', 'createTransport', 'setTransport',
  'onHandshake', 'subEvents',
];
const mangledProperties = {
  regex: new RegExp(`^(_(?!\\$).*|${SOCKET_IO_INTERNALS.join('|')})$`),
  reserved: ['__proto__'],
};

export default {
  input: 'lib/src/index.js',
  output: { file: 'dist/p2p-video-call.js', format: 'es', sourcemap: true },
  plugins: [
    withoutWebTransport,
    withoutPolling,
    jsonOnlyParser,
    withoutBase64Binary,
    withoutUnusedMethods,
    urlParse,
    // Lit's html`` and css`` templates keep their indentation and line breaks through terser.
    minifyHTML({ include: ['lib/src/**'], failOnError: true }),
    // The browser builds of socket.io-client/engine.io-client (no `ws`, no `debug`).
    nodeResolve({ browser: true, exportConditions: ['browser'] }),
    terser({ module: true, ecma: 2022, compress: { passes: 3 }, mangle: { properties: mangledProperties }, format: { comments: false } }),
  ],
};
