/**
 * The relay: Socket.IO on an http server, with rooms, validated targeted relay, TURN
 * credentials and access tokens. See the README ("The relay server") for the protocol.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import type { ClientToServerEvents, IceServersData, ServerToClientEvents } from '../../src/protocol.js';
import { createHttpHandler, type HealthReport } from '../http/http-handler.js';
import { MemoryRoomStore } from '../rooms/memory-room-store.js';
import { ConnectionLimits, LIMIT_MESSAGES } from '../limits/connection-limits.js';
import { ConnectionRateLimit } from '../limits/rate-limit.js';
import { linkRedis, type RedisLink } from '../rooms/redis/redis-link.js';
import { RedisRoomStore } from '../rooms/redis/redis-room-store.js';
import { relayEvents, type SignalingIo } from './relay-handlers.js';
import type { RoomStore, RoomStoreListener } from '../rooms/room-store.js';
import { checkOptions } from '../config/check-options.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULTS } from '../config/option-table.js';
import type { SignalingServerOptions, TlsFiles } from '../config/options.js';
import { createTurnCredentials } from '../auth/turn-credentials.js';
import { RelayMetrics } from '../metrics/relay-metrics.js';

export type { SignalingIo } from './relay-handlers.js';

/** Counts (also in the metrics). */
export interface SignalingStats {
  /** Non-empty rooms. */
  rooms: number;
  /** Participants in rooms, including ones briefly offline. */
  participants: number;
  /** Open Socket.IO connections (joined or not). */
  connections: number;
}

/** What {@link createSignalingServer} returns. */
export interface SignalingServer {
  /** The Socket.IO server. */
  readonly io: SignalingIo;
  /** The http server it is attached to (the one passed in, or the one it created). */
  readonly httpServer: HttpServer | HttpsServer;
  /**
   * Start listening. Default port 8080, host `127.0.0.1`; port 0 picks a free port.
   * Resolves with the port and a URL to reach it.
   */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /**
   * Resolves once the relay can take calls (with `redis`: connected, and this node registered).
   * `listen()` waits for it; a relay attached to your own `httpServer` should too.
   */
  readonly ready: Promise<void>;
  /** The room state this relay uses (in memory, or in Redis): for tools and tests. */
  readonly rooms: RoomStore;
  /**
   * The relay's Prometheus metrics: serve `metrics.registry` on a port of your own with
   * `serveMetrics()` (the CLI does with `METRICS_PORT`), never on the public port.
   */
  readonly metrics: RelayMetrics;
  /**
   * Swap the certificate and key of a relay created with `tls`: new connections get the new
   * ones, open ones keep theirs (nothing is dropped). Throws (and keeps the old ones) if they
   * cannot be used, or if this relay does not serve TLS itself.
   */
  reloadTls(tls: TlsFiles): void;
  /** Current counts: rooms and participants (with `redis`: over all nodes), this process's connections. */
  stats(): Promise<SignalingStats>;
  /**
   * Shut down gracefully: take no more joins or connections, close this node's client
   * connections so that they reconnect (to another node, behind a load balancer) and resume
   * their seats there, hand this node's members over to the other nodes (with `redis`: offline
   * for the grace period, nobody told), cancel every timer, and close the http server if this
   * function created it (a server passed in keeps running, without the relay). Clients of other
   * nodes are not touched. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Create the signaling relay.
 *
 * @example
 * ```ts
 * import { createSignalingServer } from 'p2p-video-call/server';
 * const relay = createSignalingServer({
 *   turn: { urls: ['turn:turn.example.com:3478'], secret: process.env.TURN_SECRET! },
 * });
 * const { url } = await relay.listen(8080, '0.0.0.0');
 * ```
 * @example Attach to an existing server (its own routes keep working):
 * ```ts
 * const httpServer = http.createServer(app);
 * createSignalingServer({ httpServer, allowedOrigins: ['https://shop.example.com'] });
 * httpServer.listen(3000);
 * ```
 */
export function createSignalingServer(options: SignalingServerOptions = {}): SignalingServer {
  checkOptions(options);
  const logger: Logger = options.logger === false ? pino({ enabled: false }) : (options.logger ?? pino({ name: 'p2p-video-call' }));
  const ownsHttpServer = options.httpServer === undefined;
  let closed = false;

  const capacity = options.roomCapacity ?? DEFAULTS.roomCapacity;
  const rejoinGraceMs = options.rejoinGraceMs ?? DEFAULTS.rejoinGraceMs;
  const listener: RoomStoreListener = {
    deliver: (connectionId, notice) => {
      if (notice.event === 'peer-joined') {
        // After the newcomer's join ack (sent as this join's promise settles): the newcomer has
        // the longer way to go (it answers, or waits for an offer), the one told only waits. Still
        // before any message of the newcomer: setImmediate runs before the next I/O is read.
        setImmediate(() => io.to(connectionId).emit('peer-joined', notice.message));
      } else {
        io.to(connectionId).emit('peer-left', notice.message);
      }
    },
    removed: (participant, reason) => logger.info({ room: participant.room, peerId: participant.peerId, reason }, 'left'),
  };
  // Gauges read these at scrape time; `store` and `io` exist by then.
  const metrics = new RelayMetrics({
    connections: () => io.sockets.sockets.size,
    stats: () => store.stats(),
    storeUp: () => (redisLink === undefined ? null : !closed && store.health().ok),
  });
  // Many nodes share rooms in Redis; one process keeps them in memory.
  let store: RoomStore;
  let redisLink: RedisLink | undefined;
  let ready: Promise<void> = Promise.resolve();
  if (options.redis === undefined) {
    store = new MemoryRoomStore({ capacity, rejoinGraceMs, listener });
  } else {
    const prefix = options.redisPrefix ?? DEFAULTS.redisPrefix;
    const link = (redisLink = linkRedis(options.redis, prefix, logger));
    const shared = new RedisRoomStore({
      redis: link.commands,
      capacity,
      rejoinGraceMs,
      listener,
      logger,
      prefix,
      isLocalConnection: (id) => io.sockets.sockets.has(id),
      timed: (operation, seconds) => metrics.script(operation, seconds),
    });
    store = shared;
    ready = link.connect().then(async (adapter) => {
      io.adapter(adapter);
      await shared.start();
      logger.info({ node: shared.nodeId }, 'rooms in redis');
    });
    ready.catch(() => {
      // Not lost: reported by listen(), or by whoever awaits `ready`.
    });
  }
  const stats = async (): Promise<SignalingStats> => ({
    ...(await store.stats()),
    connections: io.sockets.sockets.size,
  });
  // No Redis call per request: the store's state is known (the Redis link's events, the last
  // command's error). Why it is not ok is in the log, the counts are in the metrics.
  const health = (): HealthReport => ({ ok: !closed && store.health().ok });

  const staticFiles = options.staticFiles === false ? { bundlePath: null, demoPath: null } : options.staticFiles;
  const serverOptions = { headersTimeout: DEFAULTS.headersTimeoutMs, requestTimeout: DEFAULTS.requestTimeoutMs };
  const httpServer =
    options.httpServer ??
    (options.tls === undefined
      ? createServer(serverOptions, createHttpHandler({ ...staticFiles, health }))
      : createHttpsServer(
          { ...serverOptions, handshakeTimeout: DEFAULTS.tlsHandshakeTimeoutMs, cert: options.tls.cert, key: options.tls.key },
          createHttpHandler({ ...staticFiles, health }),
        ));
  const limits = new ConnectionLimits(
    { ...DEFAULTS.limits, ...options.limits },
    {
      trustProxy: options.trustProxy === true ? 1 : Number(options.trustProxy ?? 0),
      logger,
      redis: redisLink?.commands,
      prefix: options.redisPrefix ?? DEFAULTS.redisPrefix,
      nodeId: store instanceof RedisRoomStore ? store.nodeId : undefined,
    },
  );
  const allowedOrigins = options.allowedOrigins === undefined ? null : new Set(options.allowedOrigins);
  const io: SignalingIo = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
    pingInterval: DEFAULTS.pingIntervalMs,
    pingTimeout: DEFAULTS.pingTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    cors: { origin: options.allowedOrigins ?? true, methods: ['GET', 'POST'] },
    // CORS only guards polling; this also guards the WebSocket upgrade (browsers always send Origin).
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      const allowed = allowedOrigins === null || origin === undefined || allowedOrigins.has(origin);
      if (closed || !allowed) return callback(null, false);
      limits.barred(request).then(
        (code) => {
          if (code !== null) metrics.refused(code);
          callback(null, code === null);
        },
        (error: unknown) => {
          // Fail open: the limits already count locally while Redis is away (README, "Limits and
          // slow clients"), so a throw here is a fault of the limits themselves, and the limits
          // are there to stop one address from taking a node, not to turn every visitor away.
          logger.error({ err: error }, 'connection limit check failed; connection let in');
          callback(null, true);
        },
      );
    },
  });
  // Socket.IO's own HTTP answers (handshake, long-polling, and on our own server its errors too)
  // are never sniffed as something else.
  const noSniff = (headers: Record<string, string>) => void (headers['X-Content-Type-Options'] = 'nosniff');
  io.engine.on('initial_headers', noSniff);
  io.engine.on('headers', noSniff);
  if (ownsHttpServer)
    httpServer.prependListener('request', (_request, response) => response.setHeader('X-Content-Type-Options', 'nosniff'));
  // Every transport connection is counted by address, from its start (handshake or not) to its end.
  io.engine.on('connection', (connection: { request: IncomingMessage; once(event: 'close', listener: () => void): void }) =>
    limits.track(connection.request, (done) => connection.once('close', done)),
  );
  // Over a limit: refused with a code the client can read (connect_error's `data`).
  io.use((socket, next) => {
    limits.refusal(socket.request).then(
      (code) => {
        if (code === null) return next();
        metrics.refused(code);
        next(Object.assign(new Error(LIMIT_MESSAGES[code]), { data: { code } }));
      },
      (error: unknown) => {
        // Fail open, as allowRequest above does, and for the same reason.
        logger.error({ err: error, socket: socket.id }, 'connection limit check failed; connection let in');
        next();
      },
    );
  });

  const rateLimit = new ConnectionRateLimit(options.rateLimit ?? DEFAULTS.rateLimit, logger);

  // Snapshots: changing the options object later changes nothing.
  const configuredIceServers = structuredClone(options.iceServers ?? []);
  const turn = options.turn === undefined ? undefined : structuredClone(options.turn);
  if (turn !== undefined && options.tokenSecret === undefined) {
    // Not refused (a demo, a closed network), but never silent: this is what makes a TURN server an open relay.
    logger.warn(
      'TURN credentials go to anyone who can join a room on this relay (and so use your TURN server): set TOKEN_SECRET so that only visitors your site let in get them',
    );
  }
  const iceServersFor = (peerId: string): IceServersData => {
    const extra = structuredClone(configuredIceServers);
    if (turn === undefined) return { iceServers: extra, expiresAt: null };
    const { iceServer, expiresAt } = createTurnCredentials({ ...turn, peerId });
    return { iceServers: [...extra, iceServer], expiresAt };
  };

  const handleEvents = relayEvents({
    io,
    store,
    logger,
    tokenSecret: options.tokenSecret,
    tokenMaxAgeSeconds: options.tokenMaxAgeSeconds ?? DEFAULTS.tokenMaxAgeSeconds,
    iceServersFor,
    admitJoin: (socket) => limits.admitJoin(limits.addressOf(socket.request)),
    closed: () => closed,
    metrics,
  });
  io.on('connection', (socket) => {
    if (closed) {
      socket.disconnect(true);
      return;
    }
    // The relay's own watch first: it must see each event before the rate limiter delays it.
    handleEvents(socket);
    rateLimit.attach(socket);
  });

  let closing: Promise<void> | undefined;
  return {
    io,
    httpServer,
    stats,
    ready,
    rooms: store,
    metrics,
    reloadTls(tls) {
      if (!ownsHttpServer || !(httpServer instanceof HttpsServer)) {
        throw new TypeError('reloadTls: this relay was not created with `tls`');
      }
      httpServer.setSecureContext({ cert: tls.cert, key: tls.key });
    },
    async listen(port = DEFAULT_PORT, host = DEFAULT_HOST) {
      await ready;
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          const address = httpServer.address() as AddressInfo;
          const scheme = httpServer instanceof HttpsServer ? 'https' : 'http';
          resolve({ port: address.port, url: `${scheme}://${displayHost(address.address)}:${address.port}` });
        });
      });
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (redisLink !== undefined && !redisLink.commands.isReady) {
          // Redis away: the adapter's unsubscribes would wait for it forever, then reject unhandled
          // when the link is destroyed. A subscriber that is not connected has nothing to drop.
          io.of('/').adapter.close = () => undefined;
        }
        if (ownsHttpServer) {
          const done = io.close();
          httpServer.closeAllConnections();
          await done;
        } else {
          // This node's transports only, closed without Socket.IO's disconnect packet: the clients
          // see `transport close` and reconnect (through a load balancer, to another node), where
          // they resume. Never io.disconnectSockets(), which the Redis adapter sends to every node,
          // and whose `io server disconnect` a client never reconnects after.
          io.engine.close();
          await io.of('/').adapter.close();
        }
        await ready.catch(() => {
          // Its failure was reported by listen(), or to whoever awaited it: closing goes on.
        });
        await store.close();
        await redisLink?.close();
        metrics.close();
        logger.info('closed');
      })();
      return closing;
    },
  };
}

function displayHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}
