/**
 * The relay: Socket.IO on an http server, with rooms, validated targeted relay, TURN
 * credentials and access tokens. See the README ("The relay server") for the protocol.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  IceServersData,
  JoinData,
  ServerToClientEvents,
  SignalMessage,
} from '../src/protocol.js';
import { verifyAccessToken } from './access-token.js';
import { fail, handle, type InboundSocket } from './handle-event.js';
import { createHttpHandler } from './http-handler.js';
import { ConnectionRateLimit } from './rate-limit.js';
import { Rooms } from './rooms.js';
import { joinSchema, signalSchema } from './schemas.js';
import { checkOptions, DEFAULTS, type SignalingServerOptions } from './signaling-server-options.js';
import { createTurnCredentials } from './turn-credentials.js';

/** The typed Socket.IO server of the relay. */
export type SignalingIo = Server<ClientToServerEvents, ServerToClientEvents>;
type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** Counts shown by `/healthz`. */
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
  /** Current counts. */
  stats(): SignalingStats;
  /**
   * Disconnect every client, cancel every timer, and close the http server if this function
   * created it (a server passed in is left running, without the relay). Idempotent.
   */
  close(): Promise<void>;
}

const CLIENT_CLOSED = 'client namespace disconnect';

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
  const logger: Logger =
    options.logger === false ? pino({ enabled: false }) : (options.logger ?? pino({ name: 'p2p-video-call' }));
  const ownsHttpServer = options.httpServer === undefined;
  let closed = false;

  const rooms = new Rooms({
    capacity: options.roomCapacity ?? DEFAULTS.roomCapacity,
    rejoinGraceMs: options.rejoinGraceMs ?? DEFAULTS.rejoinGraceMs,
    listener: {
      send: (connectionId, notice) => {
        const socket = io.sockets.sockets.get(connectionId);
        if (notice.event === 'peer-joined') socket?.emit('peer-joined', notice.message);
        else socket?.emit('peer-left', notice.message);
      },
      removed: (participant, reason) => {
        logger.info({ room: participant.room, peerId: participant.peerId, reason }, 'left');
      },
    },
  });
  const stats = (): SignalingStats => ({
    rooms: rooms.roomCount,
    participants: rooms.participantCount,
    connections: io.sockets.sockets.size,
  });

  const staticFiles = options.staticFiles === false ? { bundlePath: null, demoPath: null } : options.staticFiles;
  const httpServer = options.httpServer ?? createServer(createHttpHandler({ ...staticFiles, health: stats }));
  const allowedOrigins = options.allowedOrigins === undefined ? null : new Set(options.allowedOrigins);
  const io: SignalingIo = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
    pingInterval: DEFAULTS.pingIntervalMs,
    pingTimeout: DEFAULTS.pingTimeoutMs,
    cors: { origin: options.allowedOrigins ?? true, methods: ['GET', 'POST'] },
    // CORS only guards polling; this also guards the WebSocket upgrade (browsers always send Origin).
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      callback(null, !closed && (allowedOrigins === null || origin === undefined || allowedOrigins.has(origin)));
    },
  });

  const rateLimit = new ConnectionRateLimit(options.rateLimit ?? DEFAULTS.rateLimit, logger);
  const joining = new Set<string>();

  // Snapshots: changing the options object later changes nothing.
  const configuredIceServers = structuredClone(options.iceServers ?? []);
  const turn = options.turn === undefined ? undefined : structuredClone(options.turn);
  const tokenSecret = options.tokenSecret;
  const iceServersFor = (peerId: string): IceServersData => {
    const extra = structuredClone(configuredIceServers);
    if (turn === undefined) return { iceServers: extra, expiresAt: null };
    const { iceServer, expiresAt } = createTurnCredentials({ ...turn, peerId });
    return { iceServers: [...extra, iceServer], expiresAt };
  };

  const onConnection = (socket: SignalingSocket): void => {
    if (closed) {
      socket.disconnect(true);
      return;
    }
    rateLimit.attach(socket);
    const inbound = socket as unknown as InboundSocket;

    handle(inbound, logger, 'join', joinSchema, async (request) => {
      if (rooms.participantOf(socket.id) !== undefined || joining.has(socket.id)) {
        return fail('already-joined', 'Already in a room; leave it first.');
      }
      joining.add(socket.id);
      try {
        if (tokenSecret !== undefined) {
          const valid =
            request.token !== undefined && (await verifyAccessToken(request.token, request.room, tokenSecret));
          if (!valid) {
            logger.info({ room: request.room, socket: socket.id, code: 'unauthorized' }, 'join refused');
            return fail('unauthorized', 'A valid access token for this room is required.');
          }
          if (closed || !socket.connected) return fail('not-joined', 'Disconnected while joining.');
        }
        const result = rooms.join({
          room: request.room,
          name: request.name ?? '',
          connectionId: socket.id,
          peerId: request.peerId,
          keyHash: request.key === undefined ? undefined : createHash('sha256').update(request.key).digest('hex'),
        });
        if (!result.ok) {
          logger.info({ room: request.room, socket: socket.id, code: result.code }, 'join refused');
          return fail(result.code, result.message);
        }
        const { participant, peers, resumed, replacedConnectionId } = result;
        if (replacedConnectionId !== null) io.sockets.sockets.get(replacedConnectionId)?.disconnect(true);
        logger.info({ room: participant.room, peerId: participant.peerId, socket: socket.id, resumed }, 'joined');
        const data: JoinData = {
          peerId: participant.peerId,
          peers,
          polite: participant.polite,
          resumed,
          ...iceServersFor(participant.peerId),
        };
        return { ok: true, data };
      } finally {
        joining.delete(socket.id);
      }
    });

    handle(inbound, logger, 'signal', signalSchema, (request) => {
      const route = rooms.route(socket.id, request.to);
      if (!route.ok) return fail(route.code, route.message);
      const target = io.sockets.sockets.get(route.to.connectionId);
      if (target === undefined) return fail('peer-unavailable', 'The peer is reconnecting.');
      // Build the message field by field: `from` comes from the server, never from the client.
      const message: SignalMessage = { from: route.from.peerId };
      if (request.description !== undefined) message.description = request.description;
      if (request.candidate !== undefined) message.candidate = request.candidate;
      if (request.media !== undefined) message.media = request.media;
      if (request.restart !== undefined) message.restart = request.restart;
      target.emit('signal', message);
      return { ok: true, data: null };
    });

    handle(inbound, logger, 'leave', null, () => {
      if (rooms.leave(socket.id) === undefined) return fail('not-joined', 'Not in a room.');
      return { ok: true, data: null };
    });

    handle(inbound, logger, 'ice-servers', null, () => {
      const participant = rooms.participantOf(socket.id);
      if (participant === undefined) return fail('not-joined', 'Join a room first.');
      return { ok: true, data: iceServersFor(participant.peerId) };
    });

    socket.on('disconnect', (reason) => {
      if (closed) return;
      // A client that hangs up on purpose leaves at once; a lost connection may come back.
      const participant = reason === CLIENT_CLOSED ? rooms.leave(socket.id) : rooms.disconnect(socket.id);
      if (participant !== undefined && reason !== CLIENT_CLOSED) {
        logger.info({ room: participant.room, peerId: participant.peerId, reason }, 'connection lost');
      }
    });
  };
  io.on('connection', onConnection);

  let closing: Promise<void> | undefined;
  return {
    io,
    httpServer,
    stats,
    listen(port = 8080, host = '127.0.0.1') {
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
        if (ownsHttpServer) {
          const done = io.close();
          httpServer.closeAllConnections();
          await done;
        } else {
          io.disconnectSockets(true);
          io.engine.close();
        }
        rooms.close();
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
