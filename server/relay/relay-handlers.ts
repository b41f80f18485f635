/**
 * The relay's six client events (`join`, `signal`, `leave`, `away`, `ice-servers`, `offer`) and what a lost
 * connection does, for one socket. Room state is the {@link RoomStore}'s; delivery is
 * `io.to(connectionId)`, so the two members of a room may be on different relay nodes.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { Ack, ClientToServerEvents, IceServersData, JoinData, ServerToClientEvents, SignalMessage } from '../../src/protocol.js';
import { verifyAccessToken } from '../auth/access-token.js';
import { keyHashOf, peerIdOf } from '../auth/seat-key.js';
import { LIMIT_MESSAGES } from '../limits/connection-limits.js';
import { GoingAway } from './going-away.js';
import { fail, handler as makeHandler, type AnswerObserver } from './handle-event.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import type { RoomStore } from '../rooms/room-store.js';
import { joinSchema, offerSchema, signalSchema } from './schemas.js';

/** The typed Socket.IO server of the relay. */
export type SignalingIo = Server<ClientToServerEvents, ServerToClientEvents>;
/** One client connection, typed by the protocol's event maps. */
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** What the handlers need from the relay. */
export interface RelayContext {
  io: SignalingIo;
  store: RoomStore;
  logger: Logger;
  /** When set, `join` requires an access token signed with it. */
  tokenSecret: string | undefined;
  /** How far ahead a token's `exp` may be. */
  tokenMaxAgeSeconds: number;
  /** ICE servers (with fresh TURN credentials) for a participant. */
  iceServersFor(peerId: string): IceServersData;
  /** Counts a join against its client address's limit; `false` when over it. */
  admitJoin(socket: SignalingSocket): Promise<boolean>;
  /** Whether the relay is shutting down. */
  closed(): boolean;
  /** The relay's metrics, told of every answer and every signal relayed. */
  metrics: Pick<RelayMetrics, 'answered' | 'relayed'>;
}

/** The reason Socket.IO gives when the client called `disconnect()` itself. */
const CLIENT_CLOSED = 'client namespace disconnect';

/**
 * Builds the relay's listeners once (shared by every socket: no closures per connection) and
 * returns the function that registers them on a new socket.
 */
export function relayEvents(context: RelayContext): (socket: SignalingSocket) => void {
  const { io, store, logger, tokenSecret, tokenMaxAgeSeconds, metrics } = context;
  /** Handshake joins' answers, given again to the same join sent as an event: counted once, when made. */
  const repeats = new WeakSet<object>();
  const observe: AnswerObserver = (event, result, seconds, answer) => {
    if (!repeats.delete(answer)) metrics.answered(event, result, seconds);
  };
  const handler: typeof makeHandler = (log, event, schema, run) => makeHandler(log, event, schema, run, observe);
  /** Socket ids with a `join` in progress (one at a time per socket). */
  const joining = new Set<string>();
  /** The join each socket sent in its handshake: its key and room, and its answer, until used or left. */
  const handshakeJoins = new WeakMap<SignalingSocket, { key: string; room: unknown; answer: Promise<Ack<JoinData>> }>();
  /** How each socket's page went, though its `away` may never reach its handler. */
  const goingAway = new GoingAway();

  const onJoin = handler(logger, 'join', joinSchema, async (socket: SignalingSocket, request) => {
    // The same join again as an event (see HandshakeAuth): the same answer, once. A join after
    // a leave, or to another room, is a join of its own.
    const early = handshakeJoins.get(socket);
    if (early !== undefined && early.key === request.key && early.room === request.room) {
      handshakeJoins.delete(socket);
      return early.answer.then((answer) => {
        repeats.add(answer);
        return answer;
      });
    }
    if (store.participantOf(socket.id) !== undefined || joining.has(socket.id)) {
      return fail('already-joined', 'Already in a room; leave it first.');
    }
    const health = store.health();
    if (!health.ok) {
      logger.warn({ room: request.room, socket: socket.id, reason: health.reason }, 'join refused: unavailable');
      return fail('unavailable', 'The call server cannot take calls right now; try again shortly.');
    }
    joining.add(socket.id);
    try {
      // Over its address's limit (logged there, with the address).
      if (!(await context.admitJoin(socket))) return fail('rate-limited', LIMIT_MESSAGES['rate-limited']);
      if (tokenSecret !== undefined) {
        const valid =
          request.token !== undefined && (await verifyAccessToken(request.token, request.room, tokenSecret, tokenMaxAgeSeconds));
        if (!valid) {
          logger.info({ room: request.room, socket: socket.id, code: 'unauthorized' }, 'join refused');
          return fail('unauthorized', 'A valid access token for this room is required.');
        }
      }
      const result = await store.join({
        room: request.room,
        name: request.name ?? '',
        connectionId: socket.id,
        peerId: request.peerId,
        keyHash: request.key === undefined ? undefined : keyHashOf(request.key),
        ownPeerId: request.key === undefined ? undefined : peerIdOf(request.key),
      });
      if (!result.ok) {
        logger.info({ room: request.room, socket: socket.id, code: result.code }, 'join refused');
        return fail(result.code, result.message);
      }
      const { participant, peers, resumed, replacedConnectionId, offer } = result;
      if (context.closed() || !socket.connected) {
        // Gone while joining: the place is not kept for a connection that no longer exists.
        await store.disconnect(socket.id);
        return fail('not-joined', 'Disconnected while joining.');
      }
      // The participant's old connection (on any node) is closed: one connection per participant.
      if (replacedConnectionId !== null) io.in(replacedConnectionId).disconnectSockets(true);
      logger.info({ room: participant.room, peerId: participant.peerId, socket: socket.id, resumed }, 'joined');
      const data: JoinData = {
        peerId: participant.peerId,
        peers,
        polite: participant.polite,
        resumed,
        ...context.iceServersFor(participant.peerId),
      };
      if (offer !== undefined) data.offer = offer;
      return { ok: true, data };
    } finally {
      joining.delete(socket.id);
    }
  });

  const onSignal = handler(logger, 'signal', signalSchema, async (socket: SignalingSocket, request) => {
    const route = await store.route(socket.id, request.to);
    if (!route.ok) return fail(route.code, route.message);
    // Built field by field: `from` comes from the relay, never from the client.
    const message: SignalMessage = { from: route.from.peerId };
    if (request.description !== undefined) message.description = request.description;
    if (request.candidate !== undefined) message.candidate = request.candidate;
    if (request.media !== undefined) message.media = request.media;
    if (request.restart !== undefined) message.restart = request.restart;
    // A connection of this node directly; one elsewhere through the adapter (Redis).
    const local = io.sockets.sockets.get(route.to.connectionId);
    if (local) local.emit('signal', message);
    else io.to(route.to.connectionId).emit('signal', message);
    metrics.relayed();
    return { ok: true, data: null };
  });

  const onLeave = handler(logger, 'leave', null, async (socket: SignalingSocket) => {
    handshakeJoins.delete(socket);
    if ((await store.leave(socket.id)) === undefined) return fail('not-joined', 'Not in a room.');
    return { ok: true, data: null };
  });

  // The page is going away (a reload, maybe): the seat is kept for the grace period, the other
  // peer is told now. Sent just before the page closes its connection.
  const onAway = handler(logger, 'away', null, async (socket: SignalingSocket) => {
    handshakeJoins.delete(socket);
    if ((await store.away(socket.id)) === undefined) return fail('not-joined', 'Not in a room.');
    return { ok: true, data: null };
  });

  const onIceServers = handler(logger, 'ice-servers', null, (socket: SignalingSocket) => {
    const participant = store.participantOf(socket.id);
    if (participant === undefined) return fail('not-joined', 'Join a room first.');
    return { ok: true, data: context.iceServersFor(participant.peerId) };
  });

  const onOffer = handler(logger, 'offer', offerSchema, async (socket: SignalingSocket, request) => {
    if (!(await store.setOffer(socket.id, request.description))) return fail('not-joined', 'Join a room first.');
    return { ok: true, data: null };
  });

  function onDisconnect(this: SignalingSocket, ...args: unknown[]): void {
    if (context.closed()) return;
    const socket = this;
    const reason = String(args[0]);
    // A page going away keeps its seat for the grace and its partner is told now (as `away`
    // does, whether or not that got through); a client that hangs up on purpose, or a page gone
    // without a word (see GoingAway), leaves at once; a lost connection may come back.
    const departure = goingAway.of(socket);
    const away = departure === 'away';
    const leaving = !away && (reason === CLIENT_CLOSED || departure === 'gone');
    (away ? store.away(socket.id) : leaving ? store.leave(socket.id) : store.disconnect(socket.id)).then(
      (participant) => {
        if (participant === undefined || leaving) return;
        logger.info({ room: participant.room, peerId: participant.peerId, reason }, away ? 'page went away' : 'connection lost');
      },
      (error: unknown) => logger.warn({ err: error, socket: socket.id }, 'could not record a disconnect'),
    );
  }

  // Registered untyped: each listener validates its own arguments (they are untrusted).
  const listeners: Array<[string, (this: SignalingSocket, ...args: unknown[]) => void]> = [
    ['join', onJoin],
    ['signal', onSignal],
    ['leave', onLeave],
    ['away', onAway],
    ['ice-servers', onIceServers],
    ['offer', onOffer],
    ['disconnect', onDisconnect],
  ];
  /** A `join` in the handshake: carried out now, answered with `joined` (see HandshakeAuth). */
  function joinFromHandshake(socket: SignalingSocket, request: unknown): void {
    let settle!: (answer: Ack<JoinData>) => void;
    const answer = new Promise<Ack<JoinData>>((resolve) => (settle = resolve));
    onJoin.call(socket, request, (result: unknown) => {
      settle(result as Ack<JoinData>);
      socket.emit('joined', result as Ack<JoinData>);
    });
    // Recorded once this join is under way (it must not find itself).
    const { key, room } = typeof request === 'object' && request !== null ? (request as { key?: unknown; room?: unknown }) : {};
    if (typeof key === 'string') handshakeJoins.set(socket, { key, room, answer });
  }

  return (socket) => {
    // First: before any middleware (the rate limiter) that may delay an `away`.
    goingAway.watch(socket);
    const untyped: EventEmitter = socket;
    for (const [event, listener] of listeners) untyped.on(event, listener);
    // Untrusted like any payload: `auth` is whatever the client sent (validated by onJoin).
    const auth: unknown = socket.handshake.auth;

    if (typeof auth === 'object' && auth !== null && 'join' in auth) joinFromHandshake(socket, auth.join);
  };
}
