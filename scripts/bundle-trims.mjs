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
 * own parser-error packet (the connection closes and reconnects). The encoder returns the string
 * instead of handing it to a callback: its one caller, the WebSocket transport's write() (cut
 * below), takes it so. Saves ~0.5 KB gzip (with the base64 decoder it no longer needs).
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
export const encodePacket = ({ type, data }) => PACKET_TYPES[type] + (data || "");
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
 * protocol without the colon, host without IPv6 brackets, port, path and query (the query's
 * keys only went into an option the engine overwrites: see socket.io-client's index.js below).
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
  };
}`;
  },
};

/**
 * Code of engine.io-client and socket.io-client that never runs in our client, cut out; the
 * build fails if a piece is not where this expects it (a new version: look again). Each entry is
 * a method emptied (its body up to the next doc comment becomes `{}`, or the given body), or an
 * exact text (through the next occurrence of `to`, when given) replaced (`every: true`: each
 * occurrence of it); `drop: true` removes the method itself. Saves every visitor ~3.7 KB gzip.
 */
const CUT = {
  'engine.io-client/build/esm/socket.js': [
    // The upgrade prober and the list it works through: we connect over WebSocket from the start
    // (`transports: ['websocket']`), so the relay offers no upgrade and nothing is probed (its
    // one caller, the upgrade loop, is cut below).
    { method: '_probe', drop: true },
    { from: '        this._upgrades = [];\n', with: '' },
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
    {
      from: '        const transportName = this.opts.rememberUpgrade &&',
      to: ': this.transports[0];\n',
      with: '        const transportName = this.transports[0];\n',
    },
    { from: '        Socket.priorWebsocketSuccess = "websocket" === this.transport.name;\n', with: '' },
    {
      from: '        Socket.priorWebsocketSuccess = false;\n        if (this.opts.tryAllTransports &&',
      to: '            return this._open();\n        }\n',
      with: '',
    },
    // Closing on `beforeunload`: only with `closeOnBeforeunload`, which we don't set (the page
    // hangs up on `pagehide` itself).
    {
      from: '            if (this.opts.closeOnBeforeunload) {',
      to: '                addEventListener("beforeunload", this._beforeunloadEventListener, false);\n            }\n',
      with: '',
    },
    { from: '                if (this._beforeunloadEventListener) {', to: '                }\n', with: '' },
    // Splitting the write buffer by the server's maxPayload: long-polling only (flush() sends
    // the whole buffer, below).
    { method: '_getWritablePackets', drop: true },
    // Events of the engine.io socket nobody listens to: only socket.io-client's Manager gets it,
    // and it listens to `open`, `error`, `close`, `ping`, `data` and (closing) `drain` only. Its
    // `write()` is given no callback (so nothing waits for `flush`), and `send()`, an alias of
    // `write()`, is never called.
    { from: '            this.emitReserved("packet", packet);\n', with: '' },
    { from: '            this.emitReserved("heartbeat");\n', with: '' },
    { from: '                    this.emitReserved("pong");\n', with: '' },
    { from: '                    this.emitReserved("message", packet.data);\n', with: '' },
    { from: '        this.emitReserved("handshake", data);\n', with: '' },
    { from: '        this.emitReserved("packetCreate", packet);\n', with: '' },
    { from: '            this.emitReserved("flush");\n', with: '' },
    { from: '        if (fn)\n            this.once("flush", fn);\n', with: '' },
    { method: 'send', drop: true },
    // The Manager's `ping` re-emit was its only listener (cut in manager.js below), and its
    // `autoUnref` option is ours, which we don't set.
    { from: '                    this.emitReserved("ping");\n', with: '' },
    { from: '        if (this.opts.autoUnref) {\n            this._pingTimeoutTimer.unref();\n        }\n', with: '' },
    // The server's maxPayload: only the write-buffer splitting (cut above) read it.
    { from: '        this._maxPayload = -1;\n', with: '' },
    { from: '        this._maxPayload = data.maxPayload;\n', with: '' },
    // Options instead of a URL, or a `host` option: the Manager always gives the URL string
    // (lookup()'s `source`), whose parse then always sets `secure`.
    { from: '        if (uri && "object" === typeof uri) {\n            opts = uri;\n            uri = null;\n        }\n', with: '' },
    { from: '        else if (opts.host) {\n            opts.hostname = parse(opts.host).host;\n        }\n', with: '' },
    {
      from: '        this.secure =\n            null != opts.secure\n',
      to: ': typeof location !== "undefined" && "https:" === location.protocol;\n',
      with: '        this.secure = opts.secure;\n',
    },
    // No transports to try: `transports` is always `['websocket']`.
    { from: '        if (this.transports.length === 0) {', to: '            return;\n        }\n', with: '' },
    // Callbacks in place of the data or the options: its callers are the Manager's `write(data,
    // options)` (a string and the packet's options object) and the `pong` reply (no data).
    { from: '        if ("function" === typeof data) {', to: '            options = null;\n        }\n', with: '' },
    // The cookie jar: for Node.js's long-polling only, with `withCredentials`, which we don't set.
    { from: '        if (this.opts.withCredentials) {\n            this._cookieJar = createCookieJar();\n        }\n', with: '' },
    // Defaults of options only the cut code, long-polling or Node.js's `ws` read.
    {
      from: '        this.opts = Object.assign({\n            path: "/engine.io",\n            agent: false,',
      to: '            closeOnBeforeunload: false,\n        }, opts);\n',
      with: '        this.opts = Object.assign({\n            path: "/engine.io",\n            addTrailingSlash: true,\n        }, opts);\n',
    },
    // Options per transport (`transportOptions`): an option we don't set.
    {
      from: '            port: this.port,\n        }, this.opts.transportOptions[name]);\n',
      with: '            port: this.port,\n        });\n',
    },
    // The page's host and port when the URL has none: the parse of the Manager's URL (above)
    // always gives the host, and the port is set from the protocol just before.
    {
      from: '        this.hostname =\n            opts.hostname ||\n',
      to: '                        : "80");\n',
      with: '        this.hostname = opts.hostname;\n        this.port = opts.port;\n',
    },
    // A packet's `compress` option: only Node.js's `ws` reads it (a browser's WebSocket.send()
    // takes the data alone).
    { from: '        options = options || {};\n        options.compress = false !== options.compress;\n', with: '' },
    // Whether there is a global addEventListener (not in Node.js or a worker without it): in a
    // page there is.
    {
      from: 'const withEventListeners = typeof addEventListener === "function" &&\n',
      to: ';\n',
      with: 'const withEventListeners = true;\n',
    },
    // Upgrades are cut (above), so nothing is `upgrading` and the whole write buffer goes out
    // at once; nobody reads the engine's `protocol` or a packet's `options` (WebSocket.send()
    // takes the data alone).
    { from: '            !this.upgrading &&\n', with: '' },
    { from: '            const packets = this._getWritablePackets();\n', with: '            const packets = this.writeBuffer;\n' },
    { from: 'Socket.protocol = protocol;\n', with: '' },
    { from: '            data: data,\n            options: options,\n', with: '            data: data,\n' },
    // The path's trailing slash: `addTrailingSlash`, an option we don't set (so always true).
    { from: '            addTrailingSlash: true,\n', with: '' },
    { from: '                (this.opts.addTrailingSlash ? "/" : "");\n', with: '                "/";\n' },
    // `binaryType`: how a binary frame arrives (Blob or ArrayBuffer), which our text-only decoder
    // (textOnlyEngineParser) turns into a parser-error packet either way.
    { from: '        this.binaryType = defaultBinaryType;\n', with: '' },
    // An engine has one transport (no upgrades), set once; the description of a close only goes
    // on as socket.io-client's `disconnect` description (see websocket.js below).
    {
      from: '        if (this.transport) {\n            this.transport.removeAllListeners();\n        }\n        // set up transport\n',
      with: '',
    },
    {
      from: '                    this._onClose("transport close", {\n                        description: "network connection lost",\n                    });\n',
      with: '                    this._onClose("transport close");\n',
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
    // `autoUnref` (Node.js's `ws` only), `timestampRequests` and `forceBase64`: options we
    // don't set (so the transport always `supportsBinary`, and the URL gets no `t` or `b64`).
    { from: '            if (this.opts.autoUnref) {\n                this.ws._socket.unref();\n            }\n', with: '' },
    { from: '        if (this.opts.timestampRequests) {', to: '            query.b64 = 1;\n        }\n', with: '' },
    {
      from: '        return !isReactNative\n',
      to: ': new WebSocketCtor(uri, protocols, opts);\n',
      with: '        return new WebSocketCtor(uri);\n',
    },
    // Firefox's prefixed WebSocket of before version 11.
    { from: 'globalThis.WebSocket || globalThis.MozWebSocket;', with: 'globalThis.WebSocket;' },
    // The packets of one write, each sent as its text frame (our encodePacket returns it: see
    // textOnlyEngineParser), then one deferred `drain`: what the callback per packet and the
    // `drain` after the last one did (the engine only writes a non-empty buffer). The WebSocket
    // is made and written to right here instead of through createSocket() and doWrite(), the
    // hooks that WS, the one subclass, fills in with just that.
    {
      from: '        for (let i = 0; i < packets.length; i++) {',
      to: '            });\n        }\n',
      with: `        for (const packet of packets) {
            // Sometimes the websocket has already been closed but the browser didn't
            // have a chance of informing us about it yet, in that case send will
            // throw an error
            try {
                this.ws.send(encodePacket(packet));
            }
            catch (e) {
            }
        }
        // fake drain: defer to next tick to allow Socket to clear writeBuffer
        nextTick(() => {
            this.writable = true;
            this.emitReserved("drain");
        }, this.setTimeoutFn);
`,
    },
    { from: '            this.ws = this.createSocket(uri);\n', with: '            this.ws = new WebSocketCtor(uri);\n' },
    { from: '        this.ws.binaryType = this.socket.binaryType;\n', with: '' },
    // The details of a close (its description and the CloseEvent) only go on as the description
    // of socket.io-client's `disconnect`, which we don't read.
    {
      from: '        this.ws.onclose = (closeEvent) => this.onClose({\n            description: "websocket connection closed",\n            context: closeEvent,\n        });\n',
      with: '        this.ws.onclose = () => this.onClose();\n',
    },
    {
      from: '        this.ws.onerror = (e) => this.onError("websocket error", e);\n',
      with: '        this.ws.onerror = () => this.onError("websocket error");\n',
    },
    { from: '    createSocket(uri, protocols, opts) {', to: '        this.ws.send(data);\n    }\n', with: '' },
  ],
  'engine.io-client/build/esm/transport.js': [
    // Pausing is for an upgrade (the prober, cut above); WebSocket's is empty anyway.
    { from: '    pause(onPause) { }\n', with: '' },
    // A transport's error as an Error with its reason as the message, without the `type`,
    // `description` and `context` of a TransportError: socket.io-client hands it on as the
    // `connect_error` (of which src/signaling/signaling-client.ts reads `message` and `data`)
    // and as the description of a `disconnect` (which we don't read); nothing else reads it.
    { from: 'export class TransportError extends Error {', to: '        this.type = "TransportError";\n    }\n}\n', with: '' },
    {
      from: '    onError(reason, description, context) {\n        super.emitReserved("error", new TransportError(reason, description, context));',
      with: '    onError(reason) {\n        super.emitReserved("error", new Error(reason));',
    },
  ],
  'engine.io-client/build/esm/transports/index.js': [
    // The transport table: `websocket` only is asked for (the stubs of the others, above).
    { from: '    websocket: WS,\n    webtransport: WT,\n    polling: XHR,\n', with: '    websocket: WS,\n' },
  ],
  'engine.io-client/build/esm/globals.js': [
    // Fallbacks for engines without Promise, `self` or `window`: a browser has all three (and
    // `Function("return this")` would need CSP's 'unsafe-eval').
    {
      from: '    const isPromiseAvailable = ',
      to: '        return (cb, setTimeoutFn) => setTimeoutFn(cb, 0);\n    }\n',
      with: '    return (cb) => Promise.resolve().then(cb);\n',
    },
    {
      from: '    if (typeof self !== "undefined") {\n        return self;\n    }\n',
      to: 'Function("return this")();\n    }\n',
      with: '    return self;\n',
    },
  ],
  'engine.io-client/build/esm/util.js': [
    // The timers captured at load (`useNativeTimers`, against test fakes): an option we don't set.
    {
      from: '    if (opts.useNativeTimers) {',
      to: '    else {\n',
      with: '    {\n',
    },
  ],
  'socket.io-client/build/esm/socket.js': [
    // The retry queue: only with the `retries` option, which we don't set (our acks time out
    // and the call recovers by itself).
    { method: '_addToQueue', drop: true },
    { method: '_drainQueue', drop: true },
    { from: '        this._queue = [];\n', with: '' },
    { from: '        this._queueSeq = 0;\n', with: '' },
    {
      from: '        if (this._opts.retries && !this.flags.fromQueue && !this.flags.volatile) {',
      to: '            return this;\n        }\n',
      with: '',
    },
    { from: '        this._drainQueue(true);\n', with: '' },
    // The catch-all listeners: nothing outside our code ever gets the socket (it is private to
    // src/signaling/signaling-client.ts), and we use none; without them nobody is notified of
    // an incoming or outgoing packet but the socket's own listeners.
    ...['onAny', 'prependAny', 'offAny', 'listenersAny', 'onAnyOutgoing', 'prependAnyOutgoing', 'offAnyOutgoing'].map((method) => ({
      method,
      drop: true,
    })),
    // The Manager's `autoConnect` (we pass `false`: src/signaling/signaling-client.ts connects
    // itself) and `open()`, the alias of `connect()` only it called; the Manager's `_destroy()`
    // is its `_close()` (see manager.js below).
    { from: '        if (this.io._autoConnect)\n            this.open();\n', with: '' },
    { method: 'open', drop: true },
    { from: '        this.io["_destroy"](this);\n', with: '        this.io._close();\n' },
    {
      from: '    listenersAnyOutgoing() {',
      to: '                listener.apply(this, packet.data);\n            }\n        }\n    }\n',
      with: '',
    },
    {
      from: '            this.notifyOutgoingListeners(packet);\n            this.packet(packet);\n        }\n        else {',
      with: '            this.packet(packet);\n        }\n        else {',
    },
    {
      from: '        this.sendBuffer.forEach((packet) => {\n            this.notifyOutgoingListeners(packet);\n',
      with: '        this.sendBuffer.forEach((packet) => {\n',
    },
    { from: '        if (this._anyListeners && this._anyListeners.length) {', to: '            }\n        }\n', with: '' },
    // The per-emit flags (`socket.compress(false)`, `.volatile`, `.timeout(ms)`) and the
    // aliases `send()`, `close()` and `disconnected`: our client calls none of them (it gives
    // every ack the `ackTimeout` option instead), so `flags` stays `{}`: a packet is always
    // compressible (which a browser's WebSocket ignores anyway), never volatile, and an ack
    // waits `ackTimeout`.
    { method: 'compress', drop: true },
    { method: 'get volatile', drop: true },
    { method: 'timeout', drop: true },
    { method: 'send', drop: true },
    { method: 'close', drop: true },
    { method: 'get disconnected', drop: true },
    {
      from: '        const timeout = (_a = this.flags.timeout) !== null && _a !== void 0 ? _a : this._opts.ackTimeout;',
      with: '        const timeout = this._opts.ackTimeout;',
    },
    // A packet's `compress` option: nothing reads it in a browser (engine.io's, cut above).
    { from: '        packet.options = {};\n        packet.options.compress = this.flags.compress !== false;\n', with: '' },
    // The guard against emitting a reserved event name (`connect`, `disconnect`, …): our client
    // emits `join`, `signal`, `leave`, `offer` and `ice-servers` only.
    { from: 'const RESERVED_EVENTS = Object.freeze({', to: '});\n', with: '' },
    { from: '        if (RESERVED_EVENTS.hasOwnProperty(ev)) {', to: '        }\n', with: '' },
    { from: '        const isTransportWritable = ', to: '\n', with: '' },
    {
      from: '        const discardPacket = this.flags.volatile && !isTransportWritable;\n        if (discardPacket) {\n        }\n        else if (isConnected) {',
      with: '        if (isConnected) {',
    },
    // Connection state recovery: only when the server enables `connectionStateRecovery`, which
    // our relay does not (server/ never sets it), so the CONNECT answer carries no `pid`.
    {
      from: '            data: this._pid\n                ? Object.assign({ pid: this._pid, offset: this._lastOffset }, data)\n                : data,\n',
      with: '            data,\n',
    },
    { from: '        if (this._pid && args.length && typeof args[args.length - 1] === "string") {', to: '        }\n', with: '' },
    {
      from: '        this.recovered = pid && this._pid === pid;\n        this._pid = pid; // defined only if connection state recovery is enabled\n',
      with: '',
    },
    // With the per-emit flags gone (above), nothing reads `flags`; `recovered` is for the
    // recovery we don't use (above) and nobody reads it; `ackTimeout` is always set (ours), so
    // every ack has a timer.
    { from: '        this.flags = {};\n        this.io = io;\n', with: '        this.io = io;\n' },
    { from: '        this.flags = {};\n        return this;\n', with: '        return this;\n' },
    { from: '        this.recovered = false;\n', with: '' },
    { from: '        if (timeout === undefined) {\n            this.acks[id] = ack;\n            return;\n        }\n', with: '' },
    // Binary packets: our parser (src/signaling/socket-io-parser.ts) only decodes types 0 to 4.
    { from: '            case PacketType.BINARY_EVENT:\n', with: '' },
    { from: '            case PacketType.BINARY_ACK:\n', with: '' },
    // A pointer to the v2 → v3 migration guide for a server that is not Socket.IO 3 or later.
    {
      from: '"It seems you are trying to reach a Socket.IO server in v2.x',
      to: 'migrating-from-2-x-to-3-0/)"',
      with: '"not a Socket.IO 3+ server"',
    },
    // Acks the server asks of us (an EVENT with an id): our relay asks for none (it emits
    // `signal`, `peer-joined`, `peer-left` and `joined` without a callback: server/relay/).
    { from: '        if (null != packet.id) {\n            args.push(this.ack(packet.id));\n        }\n', with: '' },
    { method: 'ack', drop: true },
    // Every ack waiting is the wrapper _registerAckCallback() makes, which takes an error
    // first (`withError`): the flag and the tests of it go.
    { from: '        fn.withError = true;\n        this.acks[id] = fn;\n', with: '        this.acks[id] = fn;\n' },
    { from: '            fn.withError = true;\n            args.push(fn);\n', with: '            args.push(fn);\n' },
    {
      from: '                if (ack.withError) {\n                    ack.call(this, new Error("socket has been disconnected"));\n                }\n',
      with: '                ack.call(this, new Error("socket has been disconnected"));\n',
    },
    {
      from: '        if (ack.withError) {\n            packet.data.unshift(null);\n        }\n',
      with: '        packet.data.unshift(null);\n',
    },
    // Whether the engine's ping has expired, asked only while connected: the engine is there
    // then (the Manager makes it before it connects, and never lets go of it).
    {
      from: '        const isConnected = this.connected && !((_c = this.io.engine) === null || _c === void 0 ? void 0 : _c._hasPingExpired());',
      with: '        const isConnected = this.connected && !this.io.engine._hasPingExpired();',
    },
    // `auth` is always a function (ours: src/signaling/signaling-client.ts); `active` was for
    // the Manager's cut namespace handling (above) only.
    {
      from: '        if (typeof this.auth == "function") {\n            this.auth((data) => {',
      to: '            this._sendConnectPacket(this.auth);\n        }\n',
      with: '        this.auth((data) => {\n            this._sendConnectPacket(data);\n        });\n',
    },
    { method: 'get active', drop: true },
    // The CONNECT answer's `pid`: none without connection state recovery (above). Events that
    // arrive before CONNECT wait unfrozen (nobody else holds them).
    {
      from: '                    this.onconnect(packet.data.sid, packet.data.pid);',
      with: '                    this.onconnect(packet.data.sid);',
    },
    { from: '    onconnect(id, pid) {', with: '    onconnect(id) {' },
    { from: '            this.receiveBuffer.push(Object.freeze(args));', with: '            this.receiveBuffer.push(args);' },
    // lookup() always gives the socket our options, with `auth`; only `ackTimeout` is read from
    // them, which nobody changes (the copy kept them from the engine's writes to the object).
    {
      from: '        if (opts && opts.auth) {\n            this.auth = opts.auth;\n        }\n        this._opts = Object.assign({}, opts);\n',
      with: '        this.auth = opts.auth;\n        this._opts = opts;\n',
    },
    // The packet types by number (socket.io-protocol v5's, as src/signaling/socket-io-parser.ts
    // has them): no property lookups in PacketType (CONNECT_ERROR before CONNECT, its prefix).
    ...Object.entries({ CONNECT_ERROR: 4, CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3 }).map(([name, type]) => ({
      from: `PacketType.${name}`,
      with: `${type}`,
      every: true,
    })),
  ],
  'socket.io-client/build/esm/index.js': [
    // The Manager cache, which multiplexes the sockets of one URL over one connection: our one
    // io() call (src/signaling/signaling-client.ts) passes `forceNew: true` (a Manager per
    // socket), a URL string and options, and reads nothing `io` has besides calling it.
    {
      from: '    if (typeof uri === "object") {',
      to: '        io = cache[id];\n    }\n',
      with: '    const parsed = url(uri);\n    const io = new Manager(parsed.source, opts);\n',
    },
    { from: 'const cache = {};\n', with: '' },
    // The URL's query as the `query` option: the engine sets that option from the same URL (the
    // Manager's `uri`, this parse's `source`) before it reads it, so this never reaches anyone.
    { from: '    if (parsed.query && !opts.query) {\n        opts.query = parsed.queryKey;\n    }\n', with: '' },
    { from: 'Object.assign(lookup, {', to: '});\n', with: '' },
  ],
  'socket.io-client/build/esm/url.js': [
    // No URL, a URL object, or no `location`: lookup() (above) always passes our URL string, in a
    // page.
    {
      from: '    let obj = uri;\n',
      to: '        obj = parse(uri);\n    }\n',
      with: `    // relative path support
    if ("/" === uri.charAt(0))
        uri = ("/" === uri.charAt(1) ? location.protocol : location.host) + uri;
    if (!/^(https?|wss?):\\/\\//.test(uri))
        uri = location.protocol + "//" + uri;
    const obj = parse(uri);
`,
    },
    // What url() adds to the parse that nobody reads: the Manager cache's `id` (cut above), the
    // `href`, and the default port and path that only went into those (lookup() reads `source`
    // and `path`; our URL-based parse always gives a path of at least `/`).
    {
      from: '    // make sure we treat `localhost:80` and `localhost` equally\n',
      to: '            (loc && loc.port === obj.port ? "" : ":" + obj.port);\n',
      with: '',
    },
  ],
  'socket.io-client/build/esm/manager.js': [
    // The default parser (with jsonOnlyParser, ours as a module): we always give ours as the
    // `parser` option (src/signaling/signaling-client.ts), and the module object would bring its
    // other exports along.
    { from: '        const _parser = opts.parser || parser;\n', with: '        const _parser = opts.parser;\n' },
    // Options given as getter-setters, the Manager given no URL or no options, and options we
    // don't set: lookup() (above) always passes the URL string and our options, which have no
    // `reconnection` (always on), `reconnectionAttempts` (no limit), `randomizationFactor`
    // (0.5), `autoUnref` or `autoConnect: true` (we connect ourselves); `timeout` is always a
    // number. Nothing calls the getter-setters but the constructor (the Manager is private to
    // the socket, which is private to src/signaling/signaling-client.ts).
    { from: '        if (uri && "object" === typeof uri) {', to: '        opts = opts || {};\n', with: '' },
    {
      from: '        this.reconnection(opts.reconnection !== false);\n',
      to: '        this.timeout(null == opts.timeout ? 20000 : opts.timeout);\n',
      with: `        this.backoff = new Backoff({
            min: opts.reconnectionDelay || 1000,
            max: opts.reconnectionDelayMax || 5000,
        });
        this._timeout = opts.timeout;
`,
    },
    {
      from: '        this._autoConnect = opts.autoConnect !== false;\n        if (this._autoConnect)\n            this.open();\n',
      with: '',
    },
    { from: '    reconnection(v) {', to: '        this._timeout = v;\n        return this;\n    }\n', with: '' },
    { from: '            this._reconnection &&\n', with: '' },
    { from: '        if (this._reconnection && !this.skipReconnect) {', with: '        if (!this.skipReconnect) {' },
    { from: '        if (false !== this._timeout) {', with: '        {' },
    {
      from: '            }, timeout);\n            if (this.opts.autoUnref) {\n                timer.unref();\n            }\n',
      with: '            }, timeout);\n',
    },
    {
      from: '            }, delay);\n            if (this.opts.autoUnref) {\n                timer.unref();\n            }\n',
      with: '            }, delay);\n',
    },
    { from: '        if (this.backoff.attempts >= this._reconnectionAttempts) {', to: '        else {\n', with: '        {\n' },
    // The Manager's own events: only the socket listens to its Manager, for `open`, `packet`,
    // `error` and `close` (socket.js's subEvents()); nothing hears `ping` or `reconnect*`.
    { from: '        this.subs.push(on(socket, "ping", this.onping.bind(this)), ', with: '        this.subs.push(' },
    { method: 'onping', drop: true },
    {
      from: '                this.emitReserved("reconnect_attempt", self.backoff.attempts);\n                // check again for the case socket closed in above events\n                if (self.skipReconnect)\n                    return;\n',
      with: '',
    },
    { from: '                        this.emitReserved("reconnect_error", err);\n', with: '' },
    { from: '        const attempt = this.backoff.attempts;\n', with: '' },
    { from: '        this.emitReserved("reconnect", attempt);\n', with: '' },
    // The namespace map: a Manager of its own per socket (`forceNew`), so it has one namespace,
    // asked for once; closing its one socket closes it (that socket is no longer active when it
    // asks). `connect()` and `disconnect()` are aliases nobody calls.
    { from: '        this.nsps = {};\n', with: '' },
    { method: 'socket', body: '{\n        return new Socket(this, nsp, opts);\n    }' },
    { method: '_destroy', drop: true },
    // The `path` option: we set none (so Socket.IO's default).
    { from: '        opts.path = opts.path || "/socket.io";', with: '        opts.path = "/socket.io";' },
    { method: 'connect', drop: true },
    { method: 'disconnect', drop: true },
    // Optional chaining as TypeScript lowered it (a browser with ES2020 has `?.`), and the
    // encoder's one string a packet at a time, without the packet's `options` (see engine.io's
    // socket.js above).
    {
      from: '        var _a;\n        this.cleanup();\n        (_a = this.engine) === null || _a === void 0 ? void 0 : _a.close();',
      with: '        this.cleanup();\n        this.engine?.close();',
    },
    {
      from: '        for (let i = 0; i < encodedPackets.length; i++) {\n            this.engine.write(encodedPackets[i], packet.options);\n        }\n',
      with: '        for (const encoded of encodedPackets)\n            this.engine.write(encoded);\n',
    },
  ],
  '@socket.io/component-emitter/lib/esm/index.js': [
    // `Emitter(obj)` as a mixin, the DOM-like aliases and the listener lists: socket.io-client
    // and engine.io-client only extend the class and call `on`, `once`, `off`,
    // `removeAllListeners` and `emit` (and our code the same, on the socket).
    { from: 'export function Emitter(obj) {\n  if (obj) return mixin(obj);\n}', with: 'export function Emitter() {}' },
    { from: '/**\n * Mixin the emitter properties.', to: '  return obj;\n}\n', with: '' },
    { from: 'Emitter.prototype.on =\nEmitter.prototype.addEventListener = function', with: 'Emitter.prototype.on = function' },
    {
      from: 'Emitter.prototype.off =\nEmitter.prototype.removeListener =\nEmitter.prototype.removeAllListeners =\nEmitter.prototype.removeEventListener = function',
      with: 'Emitter.prototype.off =\nEmitter.prototype.removeAllListeners = function',
    },
    {
      from: 'Emitter.prototype.emit = function(event){',
      to: '  return this;\n};\n',
      with: `Emitter.prototype.emit = function(event, ...args){
  var callbacks = this._callbacks && this._callbacks['$' + event];
  if (callbacks) for (var callback of callbacks.slice(0)) callback.apply(this, args);
  return this;
};
`,
    },
    { from: '/**\n * Return array of callbacks for `event`.', to: '  return !! this.listeners(event).length;\n};\n', with: '' },
    // Taking off a `once` listener by the function it was given: nobody does (the engine's
    // `drain` and our `joined` once-listeners go with removeAllListeners() or by firing).
    { from: '  on.fn = fn;\n', with: '' },
    { from: '    if (cb === fn || cb.fn === fn) {', with: '    if (cb === fn) {' },
  ],
  'socket.io-client/build/esm/contrib/backo2.js': [
    // Defaults, and factors and jitters other than 2 and 0.5: the Manager (above) always gives
    // `min` and `max`, and its jitter is `randomizationFactor`'s default of 0.5 (we set none).
    {
      from: '    opts = opts || {};\n',
      to: '    this.attempts = 0;\n',
      with: '    this.ms = opts.min;\n    this.max = opts.max;\n    this.attempts = 0;\n',
    },
    { from: 'Math.pow(this.factor, this.attempts++);\n    if (this.jitter) {', with: 'Math.pow(2, this.attempts++);\n    {' },
    { from: 'Math.floor(rand * this.jitter * ms)', with: 'Math.floor(rand * 0.5 * ms)' },
    // The backoff's setters: only the Manager's getter-setters (cut above) called them.
    { from: '/**\n * Set the minimum duration', to: '    this.jitter = jitter;\n};\n', with: '' },
  ],
};
const cutPlugin = (name, table) => ({
  name,
  transform(code, id) {
    const cuts = Object.entries(table).find(([file]) => id.replaceAll('\\', '/').endsWith(file))?.[1];
    if (!cuts) return null;
    let out = code;
    const fail = (what) => this.error(`${name}: ${what} not found as expected in ${id}`);
    for (const cut of cuts) {
      if (cut.method) {
        const start = out.search(new RegExp(`^    ${cut.method}\\(.*\\) \\{$`, 'm'));
        const end = start < 0 ? -1 : out.indexOf('\n    /**\n', start);
        if (start < 0 || end < 0) fail(`${cut.method}()`);
        const head = out.slice(start, out.indexOf('{', start));
        if (cut.drop) out = `${out.slice(0, start)}${out.slice(end)}`;
        else out = `${out.slice(0, start)}${cut.body ? head : `    ${cut.method}() `}${cut.body ?? '{}'}${out.slice(end)}`;
      } else {
        const start = out.indexOf(cut.from);
        const to = cut.to ?? '';
        const end = start < 0 ? -1 : out.indexOf(to, start + cut.from.length);
        if (start < 0 || end < 0 || (!cut.every && out.indexOf(cut.from, start + 1) >= 0)) fail(JSON.stringify(cut.from));
        if (cut.every) out = out.replaceAll(cut.from, cut.with);
        else out = `${out.slice(0, start)}${cut.with}${out.slice(end + to.length)}`;
      }
    }
    return { code: out, map: null };
  },
});
const withoutUnusedCode = cutPlugin('without-unused-code', CUT);

/**
 * Code of Lit (its production build, already minified: the cuts are exact texts of it) that
 * never runs for our element; the build fails if a piece is not where this expects it (a new
 * Lit: look again). Why each is never needed is beside it. Saves every visitor ~1.1 KB gzip.
 */
const LIT_CUT = {
  '@lit/reactive-element/reactive-element.js': [
    // The ShadyDOM/ShadyCSS hook (@lit/reactive-element/polyfill-support.js), which returns at once
    // unless ShadyCSS emulates shadow DOM: every browser we support (README "Browser support")
    // has native shadow DOM.
    { from: 'p=a.reactiveElementPolyfillSupport,', with: '' },
    { from: ',p?.({ReactiveElement:y})', with: '' },
    // The list of loaded versions: only Lit's development build reads it (its "multiple
    // versions" warning).
    { from: ',(a.reactiveElementVersions??=[]).push("2.1.2")', with: '' },
    // Decorator support: the class metadata (standard decorators' `Symbol.metadata`, its
    // polyfill and the global `litPropertyMetadata` map @lit/reactive-element/decorators.js
    // writes) and `addInitializer()` (what legacy decorators and some controllers call). Our
    // element declares `static properties` and uses no decorator. NOTE: a page that subclasses
    // the exported P2PVideoCall with decorators (from its own Lit) would lose them.
    { from: 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;', with: '' },
    {
      from: 'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}',
      with: '',
    },
    { from: 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', with: '' },
    { from: 'void 0!==t.l&&(this.l=[...t.l]),', with: '' },
    { from: ',this.constructor.l?.forEach(t=>t(this))', with: '' },
    // Closure Compiler's property-renaming marker, an identity function in this build.
    { from: 'd=(t,s)=>t,', with: '' },
    ...[
      'this.hasOwnProperty(d("elementProperties"))',
      'this.hasOwnProperty(d("finalized"))',
      'this.hasOwnProperty(d("properties"))',
      'y[d("elementProperties")]',
      'y[d("finalized")]',
    ].map((from) => ({ from, with: from.replace(/d\(("\w+")\)/, '$1') })),
    // Property options our element never gives (litPropertyOptions below fails the build if one
    // of our classes does): converters of its own, `hasChanged`, `useDefault` (a reflected
    // default kept apart), `noAccessor`, `type: Object` or `Array` (JSON in the attribute), an
    // accessor of the class's own for a declared property (`wrapped`), and symbols as property
    // names. Its options are `attribute`, `reflect`, `state` and `type` (Boolean, Number or
    // none). NOTE: a page that subclasses the exported P2PVideoCall with such options would lose
    // them (as with decorators, above). With the two cuts below, ~0.33 KB gzip.
    { from: 'case Object:case Array:t=null==t?t:JSON.stringify(t)', with: '' },
    { from: 'case Object:case Array:try{i=JSON.parse(t)}catch(t){i=null}', with: '' },
    {
      from: 'b={attribute:!0,type:String,converter:u,reflect:!1,useDefault:!1,hasChanged:f}',
      with: 'b={attribute:!0,type:String,reflect:!1}',
    },
    { from: 'this.prototype.hasOwnProperty(t)&&((s=Object.create(s)).wrapped=!0),', with: '' },
    { from: 'this.elementProperties.set(t,s),!s.noAccessor){', with: 'this.elementProperties.set(t,s),1){' },
    { from: 'getOwnPropertySymbols:o,', with: '' },
    { from: 's=[...r(t),...o(t)];', with: 's=r(t);' },
    { from: '(void 0!==i.converter?.toAttribute?i.converter:u).toAttribute(', with: 'u.toAttribute(' },
    {
      from: 'h="function"==typeof t.converter?{fromAttribute:t.converter}:void 0!==t.converter?.fromAttribute?t.converter:u;',
      with: 'h=u;',
    },
    { from: 'this[e]=r??this._$Ej?.get(e)??r,', with: 'this[e]=r,' },
    {
      from: '!((i.hasChanged??f)(h,s)||i.useDefault&&i.reflect&&h===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i))))return;',
      with: '!f(h,s))return;',
    },
    {
      from: 'C(t,s,{useDefault:i,reflect:e,wrapped:h},r){i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??s??this[t]),!0!==h||void 0!==r)||(this._$AL.has(t)||(this.hasUpdated||i||(s=void 0),this._$AL.set(t,s)),!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}',
      with: 'C(t,s,{reflect:e}){this._$AL.has(t)||(this.hasUpdated||(s=void 0),this._$AL.set(t,s)),!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t)}',
    },
    {
      from: 'const t=this.constructor.elementProperties;if(t.size>0)for(const[s,i]of t){const{wrapped:t}=i,e=this[s];!0!==t||this._$AL.has(s)||void 0===e||this.C(s,void 0,i,e)}',
      with: '',
    },
    // An accessor of the class's own for a declared property, which the property's accessor
    // would call (none: litPropertyOptions below checks).
    {
      from: 'const{get:e,set:r}=h(this.prototype,t)??{get(){return this[s]},set(t){this[s]=t}};return{get:e,set(s){const h=e?.call(this);r?.call(this,s),this.requestUpdate(t,h,i)},configurable:!0,enumerable:!0}',
      with: 'return{get(){return this[s]},set(e){const h=this[s];this[s]=e,this.requestUpdate(t,h,i)},configurable:!0,enumerable:!0}',
    },
    { from: 'getOwnPropertyDescriptor:h,', with: '' },
    // The styles as given (getCompatibleStyle is the identity: see css-tag.js below), flattened,
    // each kept where it last appears: what the loop did, in fewer bytes.
    {
      from: 'static finalizeStyles(s){const i=[];if(Array.isArray(s)){const e=new Set(s.flat(1/0).reverse());for(const s of e)i.unshift(t(s))}else void 0!==s&&i.push(t(s));return i}',
      with: 'static finalizeStyles(s){return void 0===s?[]:[...new Set([s].flat(1/0).reverse())].reverse().map(t)}',
    },
    // Controllers' update hooks and removeController(): our one controller (the Localizer,
    // src/i18n/localize.ts) has hostConnected() and hostDisconnected() only, and stays.
    { from: 'removeController(t){this._$EO?.delete(t)}', with: '' },
    { from: 'this._$EO?.forEach(t=>t.hostUpdate?.()),', with: '' },
    { from: 'this._$EO?.forEach(t=>t.hostUpdated?.()),', with: '' },
  ],
  'lit-element/lit-element.js': [
    // Lit SSR's hydration hook (for server-rendered shadow roots: ours is rendered in the
    // browser) and the ShadyDOM hook (as above); the versions list (as above).
    { from: ',s.litElementHydrateSupport?.({LitElement:i});const o=s.litElementPolyfillSupport;o?.({LitElement:i});', with: ';' },
    { from: '(s.litElementVersions??=[]).push("4.2.2");', with: '' },
    // Telling the rendered parts that the element was connected or disconnected: for directives
    // only (see lit-html.js below).
    {
      from: 'connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}',
      with: '',
    },
    { from: 'this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),', with: '' },
  ],
  'lit-html/lit-html.js': [
    // The ShadyDOM hook and the versions list (as above).
    { from: ',B=t.litHtmlPolyfillSupport;B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3")', with: '' },
    // svg`` and mathml`` templates (result types 2 and 3): we use html`` only.
    { from: 'l=2===i?"<svg>":3===i?"<math>":""', with: 'l=""' },
    { from: '+(2===i?"</svg>":3===i?"</math>":"")', with: '' },
    { from: ',2===i||3===i){const t=this.el.content.firstChild;t.replaceWith(...t.childNodes)}', with: '){}' },
    // Element bindings (`<div ${x}>`, part type 6): none of our templates has one (every
    // binding of src/ui/p2p-video-call.ts is an attribute's value or a child).
    { from: 'else t.startsWith(o)&&(d.push({type:6,index:l}),r.removeAttribute(t))', with: '' },
    { from: ':6===r.type&&(i=new Z(h,this,t))', with: ':0' },
    // Bindings in the text of <script>, <style>, <textarea> or <title> and in comments: our
    // templates have neither.
    {
      from: 'if(y.test(r.tagName)){const t=r.textContent.split(o),i=t.length-1;if(i>0){r.textContent=s?s.emptyScript:"";for(let s=0;s<i;s++)r.append(t[s],c()),P.nextNode(),d.push({type:2,index:++l});r.append(t[i],c())}}',
      with: '',
    },
    {
      from: 'if(r.data===n)d.push({type:2,index:l});else{let t=-1;for(;-1!==(t=r.data.indexOf(o,t+1));)d.push({type:7,index:l}),t+=o.length-1}',
      with: 'r.data===n&&d.push({type:2,index:l});',
    },
    // Directives (`lit/directive.js`, `lit/directives/*`, async directives): none of our
    // templates uses one (noLitDirectives below fails the build if one is imported), so every
    // value a template gives is the value itself, and no part has directives to tell that it
    // was connected or disconnected (`_$AP`, `_$AU`, `_$AN` and `_$Cv` are for them alone).
    // NOTE: a page that subclasses the exported P2PVideoCall and renders a directive (from its
    // own Lit), a listener object or a compiled template (the two cuts below) would lose them.
    {
      from: 'function M(t,i,s=t,e){if(i===E)return i;',
      to: ',void 0!==h&&(i=M(t,h._$AS(t,i.values),h,e)),i}',
      with: 'function M(t,i){return i}',
    },
    { from: 't=M(this,t,i),a(t)?', with: 'a(t)?' },
    { from: 't=M(this,t,i,0),o=', with: 'o=' },
    { from: 'r=M(this,e[s+n],i,n)', with: 'r=e[s+n]' },
    { from: 'if((t=M(this,t,i,0)??A)===E)return;', with: 'if((t??=A)===E)return;' },
    { from: 'for(this._$AP?.(!1,!0,s);', with: 'for(;' },
    // (`setConnected()`, LitElement's one caller of it in connectedCallback() and
    // disconnectedCallback(), and the `isConnected` it gives renderOptions are for them alone.)
    { from: 'setConnected(t){void 0===this._$AM&&(this._$Cv=t,this._$AP?.(t))}', with: '' },
    { from: ',this._$Cv=e?.isConnected??!0', with: '' },
    { from: 'get _$AU(){return this._$AM?._$AU??this._$Cv}', with: '' },
    { from: 'get _$AU(){return this._$AM._$AU}', with: '', every: true },
    { from: 'this._$AN=void 0,', with: '', every: true },
    // Templates of Lit's template compiler (a result whose type is its prepared template, not a
    // number): ours are all html``, whose results have the type 1.
    {
      from: '"number"==typeof s?this._$AC(t):(void 0===s.el&&(s.el=S.createElement(V(s.h,s.h[0]),this.options)),s)',
      with: 'this._$AC(t)',
    },
    // What parts show directives (where they are, the element's tag name) and their type
    // numbers, which only directives and Lit SSR read: a part's `type` is not the `type` of the
    // template's part descriptors (`2===r.type`), which stays.
    { from: 'get parentNode(){return this._$AM.parentNode}', with: '' },
    {
      from: 'get parentNode(){let t=this._$AA.parentNode;const i=this._$AM;return void 0!==i&&11===t?.nodeType&&(t=i.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}',
      with: '',
    },
    { from: 'get tagName(){return this.element.tagName}', with: '' },
    { from: 'this.type=2,', with: '' },
    { from: 'this.type=1,', with: '' },
    { from: 'constructor(){super(...arguments),this.type=3}', with: '' },
    { from: 'constructor(){super(...arguments),this.type=4}', with: '' },
    { from: 'constructor(t,i,s,e,h){super(t,i,s,e,h),this.type=5}', with: '' },
    // Template.createElement(), a hook for Lit SSR: the <template> made in place (with
    // `document` by name: the constructor's own `l` is a counter, not lit-html's `l=document`).
    { from: 'static createElement(t,i){const s=l.createElement("template");return s.innerHTML=t,s}', with: '' },
    // Closure Compiler's marker (as in reactive-element.js above).
    { from: 'i=t=>t,', with: '' },
    { from: 'i(t).nextSibling;i(t).remove()', with: 't.nextSibling;t.remove()' },
    // The `creationScope` render option (the document to import templates into, for scoped
    // custom element registries): LitElement never sets it.
    { from: 'e=(t?.creationScope??l).importNode(i,!0)', with: 'e=l.importNode(i,!0)' },
    { from: 'this.el=S.createElement(f,e)', with: '(this.el=document.createElement("template")).innerHTML=f' },
    // Event listener objects (`@click=${{ handleEvent, once: true }}`) and their options: every
    // listener of ours is a function, which has no `capture`, `once` or `passive` to compare.
    { from: '||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive', with: '' },
    {
      from: 'handleEvent(t){"function"==typeof this._$AH?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}',
      with: 'handleEvent(t){this._$AH.call(this.options?.host??this.element,t)}',
    },
  ],
  '@lit/reactive-element/css-tag.js': [
    // css`` with interpolated values: our one css`` (src/ui/p2p-video-call.styles.ts) has none.
    {
      from: '1===t.length?t[0]:e.reduce(',
      to: '+t[o+1],t[0])',
      with: 't[0]',
    },
    // The guard against `new CSSResult()` outside css``: the class is not exported from the
    // bundle, and css`` is its one caller here.
    {
      from: 'if(this._$cssResult$=!0,o!==s)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");',
      with: 'this._$cssResult$=!0,',
    },
    // The sheets shared by the CSSResults of one css`` template (cached by its strings): css``
    // makes one result of our one template, which keeps its own sheet. (A subclass's css`` is
    // its own Lit's.)
    {
      from: 'get styleSheet(){let t=this.o;const s=this.t;if(e&&void 0===t){const e=void 0!==s&&1===s.length;e&&(t=o.get(s)),void 0===t&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),e&&o.set(s,t))}return t}',
      with: 'get styleSheet(){let t=this.o;return e&&void 0===t&&(this.o=t=new CSSStyleSheet).replaceSync(this.cssText),t}',
    },
    { from: ',this.t=e}', with: '}' },
    { from: ',s=Symbol(),o=new WeakMap;', with: ';' },
    { from: 'new n(o,t,s)', with: 'new n(o)' },
    { from: ',void 0,s)', with: ')' },
    // A CSSStyleSheet in `styles`, turned into <style> text where shadow roots cannot adopt
    // sheets: our `styles` is one css`` result (and a browser that cannot adopt sheets cannot
    // construct one either).
    {
      from: 'c=e?t=>t:t=>t instanceof CSSStyleSheet?(t=>{let e="";for(const s of t.cssRules)e+=s.cssText;return r(e)})(t):t',
      with: 'c=t=>t',
    },
  ],
};
const litWithoutUnusedCode = cutPlugin('lit-without-unused-code', LIT_CUT);

/**
 * Property names terser shortens, bundle-wide (every reader and writer of them is in the bundle):
 * - names starting with `_`, the rule socket.io-client's own minified build
 *   (dist/socket.io.esm.min.js) uses, Lit's `_$…` internals included: Lit keeps them stable
 *   across its copies and versions for directives, hydration and Lit SSR, none of which this
 *   bundle supports (LIT_CUT), so no other copy reaches them; the markers another copy does
 *   read keep their names (`_$litType$` of a template result, `_$litPart$` of a render
 *   container, `_$litElement$`, `_$cssResult$`);
 * - engine.io-client's and socket.io-client's internal method and field names, and the names
 *   of the options we pass them (our `io()` call is in the bundle too)
 *   (never part of the wire format or a DOM API; terser never renames DOM names anyway), each
 *   checked not to be read by a string anywhere in those packages;
 * - the members of our own classes and objects under the element (none is exported from
 *   src/drop-in.ts: the call attempt and its context, PeerCall, PreparedSession, CallSession,
 *   CallStateMachine, IceConfiguration, HandshakeJoin, ResolutionRamp, RECOVERY_POLICY, …), each
 *   checked to be no member of an exported class or interface (the element, its events and
 *   what they hand out), no wire-format field (src/protocol.ts), and not read by a string.
 * Saves every visitor ~0.9 KB gzip. The packet fields and handshake keys (`sid`, `pid`,
 * `upgrades`, `pingInterval`, …) are not in it: they come from the relay as JSON. A name added
 * here is renamed everywhere in the bundle, DOM names too (`builtins` below): check that no DOM
 * or WebRTC object (e.g. an RTCStats report) is read by it, and that it is no key of a table
 * read by a string (the texts of src/i18n/strings.ts, the call states, engine.io's packet
 * types, the query of the relay's URL): `attach`, `cancel`, `chat`, `open` and `transport`
 * are such keys.
 */
const SOCKET_IO_INTERNALS = [
  'emitReserved',
  'setTimeoutFn',
  'clearTimeoutFn',
  'skipReconnect',
  'sendBuffer',
  'receiveBuffer',
  'writeBuffer',
  'backoff',
  'notifyOutgoingListeners',
  'priorWebsocketSuccess',
  'subs',
  'maybeReconnectOnOpen',
  'emitEvent',
  'emitBuffered',
  'onreconnect',
  'createTransport',
  'setTransport',
  'onHandshake',
  'subEvents',
  'nsps',
  'encoder',
  'decoder',
  'ondecoded',
  'ondata',
  'onping',
  'cleanup',
  'onpacket',
  'onevent',
  'onack',
  'acks',
  'ids',
  'recovered',
  'withError',
  'upgrading',
  'addEventListeners',
  'createSocket',
  'doWrite',
  'doOpen',
  'doClose',
  'createUri',
  'onPacket',
  'onData',
  'onError',
  'onOpen',
  'supportsBinary',
  'setMin',
  'setMax',
  'setJitter',
  'attempts',
  // Options (and the Manager's methods of the same names).
  'reconnection',
  'reconnectionAttempts',
  'reconnectionDelay',
  'reconnectionDelayMax',
  'randomizationFactor',
  'autoUnref',
  'forceBase64',
  'timestampRequests',
  'timestampParam',
  'addTrailingSlash',
  'transportOptions',
  'ackTimeout',
  'forceNew',
  'multiplex',
  'autoConnect',
  'engine',
  'opts',
  'nsp',
  'auth',
  'secure',
  'transports',
  'parser',
  // The client's own method names that our code calls too (on the socket it keeps private).
  'emitWithAck',
  'removeAllListeners',
  'connect',
  'packet',
  'destroy',
  'flush',
  'write',
  'reconnect',
  'reset',
  'duration',
  'uri',
  'socket',
  'emit',
  'writable',
  'source',
];
const OUR_INTERNALS = [
  'peerCall',
  'mediaOpened',
  'machine',
  'openMedia',
  'mediaState',
  'sessionState',
  'watchQuality',
  'prepare',
  'configure',
  'leaveOffer',
  'enterWithMedia',
  'usePage',
  'useRelay',
  'hold',
  'carry',
  'restartDelaysMs',
  'rebuildLimit',
  'relayAnswerTimeoutMs',
  'relayReconnectDelayMs',
  'takeOrMake',
  'attached',
  'changed',
  'ice',
  'fail',
  'arm',
  'added',
  'makeOffer',
  'takeDescription',
  'takeCandidate',
  'sendDescription',
  'isPolite',
  'answering',
  'described',
  'local',
  'attempt',
  'deviceList',
  'mediaPollMs',
  'mediaLostPollMs',
  'mediaLostAfterMs',
  'restartEveryMs',
  'directRestartAfterMs',
  'rebuildGiveUpAfterMs',
  'turnRenewBeforeExpiryMs',
  'recover',
  'renew',
  'begin',
  'running',
  'relayed',
  'seen',
  'outKbps',
  'fairBelowKbps',
  'sources',
  'chunk',
  'opened',
  'pump',
  'told',
  'parts',
  'offered',
  'reading',
  'say',
  'items',
  'done',
  'assignRole',
  'completeOffer',
  'deviceInUse',
  'giveUpAfterMs',
  'holdHandshake',
  'releaseHandshake',
  'rejoinFailed',
  'rejoined',
  'peerJoined',
  'sendMediaState',
  'setCameraOff',
  'setIceServers',
  'setDevice',
  'setEnabled',
  'setMuted',
  'useDevice',
  'useSpeaker',
  'permitted',
  'remoteMedia',
  'failure',
  'refreshIceServers',
  'connectTimeoutMs',
  'disconnectGraceMs',
  'trackChange',
  'screenChange',
  'deviceChange',
  'chosen',
  'heard',
  'pairId',
  'receive',
  'prepared',
  'sending',
  'own',
  'loss',
  'session',
  'configuration',
  'release',
  'refresh',
  'where',
  'first',
  'disconnected',
  'drop',
  'use',
  'end',
  'route',
  'leave',
  'channel',
];
export const mangledProperties = {
  regex: new RegExp(`^(_(?!\\$lit|\\$cssResult).*|${[...SOCKET_IO_INTERNALS, ...OUR_INTERNALS].join('|')})$`),
  reserved: ['__proto__'],
  // Every name the regex takes is renamed, even one terser lists as a DOM property
  // (`writeBuffer`, `changed`, `configure`, `added`, `setEnabled`, `sources`, `done`,
  // `opened`, `items`: none is read from a DOM object here, as checked above).
  builtins: true,
};

/**
 * Our classes' private names (`#state`, `#sendMedia()`) as properties the `_` rule above
 * shortens, in the drop-in bundle only (lib/, the npm package, keeps them private). terser
 * shortens a private name as it does a property's, but keeps its `#` in each use and its
 * declaration (`#a;#b;…`) in the class: as `_` names, the uses lose the `#` and the bare
 * declarations (a field the constructor or a method sets) go, as TypeScript leaves out a bare
 * declaration of a public field (`useDefineForClassFields: false`). Saves every visitor
 * ~0.3 KB gzip. (Lines stay where they were: the source map is right to the line.)
 * A class that extends another gets names of its own (`_<module>$<class>$<name>`), so it
 * cannot share one with a class it extends; the classes that extend nothing share theirs
 * (`_$$<name>`: two of them are never one object, and no other name starts so), which gzip
 * likes better. What was private no longer is: an own property of the instance,
 * or a method of the prototype, that `Object.keys()`, a spread, `JSON.stringify()` or `for…in`
 * would see. None of these objects is handed to such code: the objects under the element never
 * leave the bundle, and the element already carries Lit's shortened internals the same way.
 * NOTE: a page that subclasses the exported P2PVideoCall could, as with those, clash with a
 * shortened name (one or two letters). A class that looks at its own fields so (`this` in a
 * spread, `for…in`, `JSON.stringify()`, `Object.keys()`/`values()`/`entries()`/`assign()`)
 * or tests for a private name (`#name in value`, which a property cannot stand for) keeps its
 * private names.
 */
const privateNamesAsProperties = {
  name: 'private-names-as-properties',
  transform(code, id) {
    const file = id.replaceAll('\\', '/');
    const at = file.lastIndexOf('/lib/src/');
    if (at < 0 || !file.endsWith('.js') || !code.includes('#')) return null;
    const module = file.slice(at + '/lib/src/'.length, -'.js'.length).replace(/\W/g, '_');
    const classes = [];
    const renames = []; // [PrivateIdentifier node, its class]
    const bare = []; // [PropertyDefinition node, its class]
    const isThis = (node) => node?.type === 'ThisExpression';
    const walk = (node, scope) => {
      if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
        scope = { names: new Map(), keep: false, parent: scope };
        const index = classes.push(scope) - 1;
        const prefix = node.superClass ? `_${module}$${index}$` : '_$$';
        for (const { key } of node.body.body) if (key?.type === 'PrivateIdentifier') scope.names.set(key.name, prefix + key.name);
      }
      const owner = (name) => {
        let s = scope;
        while (s && !s.names.has(name)) s = s.parent;
        if (!s) this.error(`${name}: a private name no enclosing class declares, in ${id}`);
        return s;
      };
      const keepAll = () => {
        for (let s = scope; s; s = s.parent) s.keep = true;
      };
      if (node.type === 'PropertyDefinition' && node.key.type === 'PrivateIdentifier' && node.value === null && !node.static) {
        bare.push([node, owner(node.key.name)]);
        return;
      }
      if (node.type === 'PrivateIdentifier') renames.push([node, owner(node.name)]);
      // `#name in value` (a test no property can stand for), or the class looking at all of its
      // own fields (a spread of `this`, `for…in`, `JSON.stringify(this)`, `Object.keys(this)`…).
      if (node.type === 'BinaryExpression' && node.left.type === 'PrivateIdentifier') owner(node.left.name).keep = true;
      if ((node.type === 'SpreadElement' && isThis(node.argument)) || (node.type === 'ForInStatement' && isThis(node.right))) keepAll();
      if (
        node.type === 'CallExpression' &&
        ['Object', 'JSON'].includes(node.callee.object?.name) &&
        ['stringify', 'keys', 'values', 'entries', 'assign'].includes(node.callee.property?.name) &&
        node.arguments.some(isThis)
      )
        keepAll();
      for (const value of Object.values(node))
        for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') walk(child, scope);
    };
    walk(this.parse(code), null);
    const edits = [
      ...renames.filter(([, c]) => !c.keep).map(([node, c]) => ({ node, text: c.names.get(node.name) })),
      ...bare.filter(([, c]) => !c.keep).map(([node]) => ({ node, text: '' })),
    ].sort((a, b) => b.node.start - a.node.start);
    let out = code;
    for (const { node, text } of edits) out = `${out.slice(0, node.start)}${text}${out.slice(node.end)}`;
    return { code: out, map: null };
  },
};

/**
 * The keys of the texts (src/i18n/strings.ts) are read by name from the other languages' JSON
 * and from a page's `strings`: none may be a name the bundle shortens (`mangledProperties`
 * above), or the English table's key would be shortened and the others' not. The build fails if
 * one is.
 */
const textKeysKeepNames = {
  name: 'text-keys-keep-names',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/lib/src/i18n/strings.js')) return null;
    const keys = [];
    const walk = (node) => {
      if (node.type === 'Property' && !node.computed) keys.push(node.key.name ?? node.key.value);
      for (const value of Object.values(node))
        for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') walk(child);
    };
    walk(this.parse(code));
    const shortened = keys.filter((key) => mangledProperties.regex.test(key));
    if (keys.length < 50 || shortened.length)
      this.error(
        `text keys the bundle would shorten (scripts/bundle-trims.mjs, OUR_INTERNALS): ${shortened.join(', ') || '(no keys found)'}`,
      );
    return null;
  },
};

/** Our own code's trims and checks (see privateNamesAsProperties, textKeysKeepNames). */
export const ourTrims = [privateNamesAsProperties, textKeysKeepNames];

/** The plugins that cut socket.io-client down to what our client runs. */
export const socketIoTrims = [withoutWebTransport, withoutPolling, jsonOnlyParser, textOnlyEngineParser, withoutUnusedCode, urlParse];

/**
 * The Lit cuts above take it that no directive is bundled (they resolve every value as itself):
 * importing one (`lit/directive.js`, `lit/directives/…`, `lit/async-directive.js`) fails the
 * build instead of rendering `[object Object]`.
 */
const noLitDirectives = {
  name: 'no-lit-directives',
  resolveId(source) {
    if (/(^|\/)(async-)?directives?(\/|\.js$|$)/.test(source))
      this.error(`${source}: the drop-in bundle's Lit has no directive support (scripts/bundle-trims.mjs)`);
    return null;
  },
};

/**
 * The cuts of Lit's property handling above (LIT_CUT) take it that our element's properties
 * (`static properties`) use only `attribute`, `reflect`, `state` and `type` (Boolean, Number,
 * String), by plain names, with no accessor of the class's own of a declared name; and that no
 * controller of ours has update hooks or is removed, and no render gets a `creationScope`. A
 * class of ours that does otherwise fails the build instead of losing it.
 */
const litPropertyOptions = {
  name: 'lit-property-options',
  transform(code, id) {
    const file = id.replaceAll('\\', '/');
    if (!file.includes('/lib/src/') || !file.endsWith('.js')) return null;
    const fail = (what) => this.error(`${what}: the drop-in bundle's Lit has no support for it (scripts/bundle-trims.mjs)`);
    const unsupported = /\b(converter|hasChanged|useDefault|noAccessor|hostUpdated?|removeController|creationScope|createProperty)\b/.exec(
      code,
    );
    if (unsupported) fail(unsupported[1]);
    if (!/\bproperties\b/.test(code)) return null;
    const walk = (node, body) => {
      if (node.type === 'ClassBody') body = node.body;
      const declared =
        node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && node.left.property.name === 'properties'
          ? node.right
          : node.type === 'PropertyDefinition' && node.static && node.key.name === 'properties'
            ? node.value
            : node.type === 'MethodDefinition' && node.static && node.key.name === 'properties'
              ? fail('static get properties()')
              : null;
      if (declared && body) {
        if (declared.type !== 'ObjectExpression') fail('properties other than an object literal');
        for (const property of declared.properties) {
          const name = property.key?.name ?? property.key?.value;
          if (property.type !== 'Property' || property.computed || typeof name !== 'string') fail('a computed property name');
          if (
            body.some(
              (m) =>
                m.kind !== 'constructor' && m.kind !== 'method' && m.type === 'MethodDefinition' && (m.key.name ?? m.key.value) === name,
            )
          )
            fail(`an accessor of the declared property ${name}`);
          if (property.value.type !== 'ObjectExpression') fail(`the options of ${name}`);
          for (const option of property.value.properties) {
            const key = option.key?.name;
            if (!['attribute', 'reflect', 'state', 'type'].includes(key)) fail(`the option ${key ?? '…'} of ${name}`);
            if (key === 'type' && !['Boolean', 'Number', 'String'].includes(option.value.name)) fail(`the type of ${name}`);
          }
        }
      }
      for (const value of Object.values(node))
        for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') walk(child, body);
    };
    walk(this.parse(code), null);
    return null;
  },
};

/** The plugins that cut Lit down to what our element runs. */
export const litTrims = [noLitDirectives, litPropertyOptions, litWithoutUnusedCode];
