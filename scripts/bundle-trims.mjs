// What the drop-in bundle leaves out of socket.io-client and its dependencies, and how its
// property names are shortened: every visitor pays for every byte of it. Used by
// rollup.config.mjs; each piece says what it saves and why it is never needed.
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * engine.io-client registers a WebTransport transport that is only used when asked for by
 * name; we ask for `websocket` only. Replacing it with an empty class saves every visitor
 * ~0.7 KB gzip.
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
 * tree-shaking. We connect over WebSocket only (see src/signaling/signaling-client.ts): replace it with
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
 * parser for Socket.IO's packet format without binary support (src/signaling/socket-io-parser.ts).
 * socket.io-client still imports socket.io-parser for its default and its packet types: give
 * it ours, so the default (with its binary attachments) is not bundled. Saves ~0.8 KB gzip.
 */
const jsonOnlyParser = {
  name: 'json-only-parser',
  resolveId(source, importer) {
    return source === 'socket.io-parser' && importer?.includes('socket.io-client')
      ? fileURLToPath(new URL('../lib/src/signaling/socket-io-parser.js', import.meta.url))
      : null;
  },
};

/**
 * engine.io-parser's packet encoder and decoder also carry binary messages: Blobs and
 * ArrayBuffers as they are, or as base64 over long-polling. Our messages are always text (the
 * Socket.IO packets of src/signaling/socket-io-parser.ts), so the drop-in bundle gets text-only versions:
 * the same `<type digit><data>` strings, and a binary or base64 frame decodes as engine.io's
 * own parser-error packet (the connection closes and reconnects). Saves ~0.5 KB gzip (with the
 * base64 decoder it no longer needs).
 */
const textOnlyEngineParser = {
  name: 'text-only-engine-parser',
  resolveId(source, importer) {
    if (!importer?.includes('engine.io-parser') || !['./encodePacket.js', './decodePacket.js'].includes(source)) return null;
    return `\0text-only-engine-parser:${source.slice(2, 8)}:${fileURLToPath(new URL('commons.js', pathToFileURL(importer)))}`;
  },
  load(id) {
    const [prefix, which, commons] = id.split(/:(encode|decode):/);
    if (prefix !== '\0text-only-engine-parser') return null;
    return which === 'encode'
      ? `import { PACKET_TYPES } from ${JSON.stringify(commons)};
export const encodePacket = ({ type, data }, supportsBinary, callback) => callback(PACKET_TYPES[type] + (data || ""));
export const encodePacketToBinary = () => { throw new Error("binary packets are not supported"); };`
      : `import { ERROR_PACKET, PACKET_TYPES_REVERSE } from ${JSON.stringify(commons)};
export const decodePacket = (encoded) => {
  const type = typeof encoded === "string" && PACKET_TYPES_REVERSE[encoded.charAt(0)];
  if (!type) return ERROR_PACKET;
  return encoded.length > 1 ? { type, data: encoded.substring(1) } : { type };
};`;
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
 * Code of engine.io-client and socket.io-client that never runs in our client, cut out; the
 * build fails if a piece is not where this expects it (a new version: look again). Each entry is
 * a method emptied (its body up to the next doc comment becomes `{}`, or the given body), or an
 * exact text (through the next occurrence of `to`, when given) replaced. Saves every visitor
 * ~1.55 KB gzip.
 */
const CUT = {
  'engine.io-client/build/esm/socket.js': [
    // The upgrade prober and the list it works through: we connect over WebSocket from the start
    // (`transports: ['websocket']`), so the relay offers no upgrade and nothing is probed.
    { method: '_probe' },
    { from: '        if ("open" === this.readyState && this.opts.upgrade) {', to: '            }\n        }\n', with: '' },
    { from: '        this._upgrades = this._filterUpgrades(data.upgrades);\n', with: '' },
    { from: '    _filterUpgrades(upgrades) {', to: '        return filteredUpgrades;\n    }\n', with: '' },
    // Closing waits for a pending upgrade; there is none.
    {
      method: 'close',
      body: `{
        if ("opening" === this.readyState || "open" === this.readyState) {
            this.readyState = "closing";
            const close = () => { this._onClose("forced close"); this.transport.close(); };
            if (this.writeBuffer.length) this.once("drain", close);
            else close();
        }
        return this;
    }`,
    },
    // Transports given as classes, remembering a WebSocket success, trying the next transport:
    // options we don't set (`transports` is `['websocket']`).
    {
      from: '        if (opts.transportImplementations && opts.transports) {',
      to: '            this._transportsByName = DEFAULT_TRANSPORTS;\n        }\n',
      with: '        this.transports = [...opts.transports];\n        this._transportsByName = DEFAULT_TRANSPORTS;\n',
    },
    { from: '        const transportName = this.opts.rememberUpgrade &&', to: ': this.transports[0];\n', with: '        const transportName = this.transports[0];\n' },
    { from: '        Socket.priorWebsocketSuccess = "websocket" === this.transport.name;\n', with: '' },
    { from: '        Socket.priorWebsocketSuccess = false;\n        if (this.opts.tryAllTransports &&', to: '            return this._open();\n        }\n', with: '' },
    // Closing on `beforeunload`: only with `closeOnBeforeunload`, which we don't set (the page
    // hangs up on `pagehide` itself).
    { from: '            if (this.opts.closeOnBeforeunload) {', to: '                addEventListener("beforeunload", this._beforeunloadEventListener, false);\n            }\n', with: '' },
    { from: '                if (this._beforeunloadEventListener) {', to: '                }\n', with: '' },
    // Splitting the write buffer by the server's maxPayload: long-polling only.
    { method: '_getWritablePackets', body: '{\n        return this.writeBuffer;\n    }' },
    // Defaults of options only the cut code, long-polling or Node.js's `ws` read.
    {
      from: '        this.opts = Object.assign({\n            path: "/engine.io",\n            agent: false,',
      to: '            closeOnBeforeunload: false,\n        }, opts);\n',
      with: '        this.opts = Object.assign({\n            path: "/engine.io",\n            timestampParam: "t",\n            addTrailingSlash: true,\n            transportOptions: {},\n        }, opts);\n',
    },
  ],
  'engine.io-client/build/esm/transports/websocket.js': [
    // Node.js's `ws` options, extra headers and subprotocols, and React Native's variant: a
    // browser's WebSocket takes the URL alone, and we give nothing else.
    { from: '// detect ReactNative environment\nconst isReactNative', to: '"reactnative";\n', with: '' },
    {
      from: '        const protocols = this.opts.protocols;\n',
      to: '            this.ws = this.createSocket(uri, protocols, opts);\n',
      with: '        try {\n            this.ws = this.createSocket(uri);\n',
    },
    { from: '        return !isReactNative\n', to: ': new WebSocketCtor(uri, protocols, opts);\n', with: '        return new WebSocketCtor(uri);\n' },
  ],
  'socket.io-client/build/esm/socket.js': [
    // The retry queue: only with the `retries` option, which we don't set (our acks time out
    // and the call recovers by itself).
    { method: '_addToQueue' },
    { method: '_drainQueue' },
    // The catch-all listeners: nothing outside our code ever gets the socket, and we use none.
    ...['onAny', 'prependAny', 'offAny', 'listenersAny', 'onAnyOutgoing', 'prependAnyOutgoing', 'offAnyOutgoing', 'listenersAnyOutgoing'].map((method) => ({ method })),
    // A pointer to the v2 → v3 migration guide for a server that is not Socket.IO 3 or later.
    {
      from: '"It seems you are trying to reach a Socket.IO server in v2.x',
      to: 'migrating-from-2-x-to-3-0/)"',
      with: '"not a Socket.IO 3+ server"',
    },
  ],
};
const withoutUnusedCode = {
  name: 'without-unused-code',
  transform(code, id) {
    const cuts = Object.entries(CUT).find(([file]) => id.replaceAll('\\', '/').endsWith(file))?.[1];
    if (!cuts) return null;
    let out = code;
    const fail = (what) => this.error(`without-unused-code: ${what} not found as expected in ${id}`);
    for (const cut of cuts) {
      if (cut.method) {
        const start = out.search(new RegExp(`^    ${cut.method}\\(.*\\) \\{$`, 'm'));
        const end = start < 0 ? -1 : out.indexOf('\n    /**\n', start);
        if (start < 0 || end < 0) fail(`${cut.method}()`);
        const head = out.slice(start, out.indexOf('{', start));
        out = `${out.slice(0, start)}${cut.body ? head : `    ${cut.method}() `}${cut.body ?? '{}'}${out.slice(end)}`;
      } else {
        const start = out.indexOf(cut.from);
        const to = cut.to ?? '';
        const end = start < 0 ? -1 : out.indexOf(to, start + cut.from.length);
        if (start < 0 || end < 0 || out.indexOf(cut.from, start + 1) >= 0) fail(JSON.stringify(cut.from));
        out = `${out.slice(0, start)}${cut.with}${out.slice(end + to.length)}`;
      }
    }
    return { code: out, map: null };
  },
};

/**
 * Property names terser shortens, bundle-wide (every reader and writer of them is in the bundle):
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
export const mangledProperties = {
  regex: new RegExp(`^(_(?!\\$).*|${SOCKET_IO_INTERNALS.join('|')})$`),
  reserved: ['__proto__'],
};

/** The plugins that cut socket.io-client down to what our client runs. */
export const socketIoTrims = [withoutWebTransport, withoutPolling, jsonOnlyParser, textOnlyEngineParser, withoutUnusedCode, urlParse];
