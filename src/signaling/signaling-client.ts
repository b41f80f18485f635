import { io, type Socket } from 'socket.io-client';
import { CallError } from '../call/call-state.js';
import { RECOVERY_POLICY } from '../session/recovery-policy.js';
import { HandshakeJoin } from './handshake-join.js';
import { keepSeat, recallSeat, type Seat } from './seat-memory.js';
import { Decoder, Encoder } from './socket-io-parser.js';
import type {
  Ack,
  ClientToServerEvents,
  ConnectionRefusalCode,
  IceServersData,
  JoinData,
  JoinRequest,
  OfferInit,
  PeerJoinedMessage,
  PeerLeftMessage,
  ServerToClientEvents,
  SignalMessage,
  SignalRequest,
} from '../protocol.js';

/** What the signaling client reports. Each is called from a Socket.IO event. */
export interface SignalingHandlers {
  signal(message: SignalMessage): void;
  peerJoined(message: PeerJoinedMessage): void;
  peerLeft(message: PeerLeftMessage): void;
  /** The connection to the relay dropped; Socket.IO reconnects with backoff. */
  disconnected(): void;
  /** Back on the relay and in the room again, as the same participant where possible. */
  rejoined(data: JoinData): void;
  /** Back on the relay but the room would not take us again. */
  rejoinFailed(error: CallError): void;
}

/** Error codes of the relay that the page sees as they are; others become `signaling-error`. */
const PASSED_THROUGH = ['room-full', 'unauthorized', 'invalid-room', 'rate-limited'] as const;
/** Why the relay refused a connection (`connect_error`'s `data.code`), as the page sees it. */
const REFUSALS = ['too-many-connections', 'server-busy'] as const satisfies readonly ConnectionRefusalCode[];
const { relayAnswerTimeoutMs, relayReconnectDelayMs } = RECOVERY_POLICY;

/**
 * The browser side of the relay protocol (see `protocol.ts`) over socket.io-client.
 * Connects over WebSocket only (no long-polling round trips before the join), turns error acks
 * into {@link CallError}s, and after a lost connection rejoins the same room as the same
 * participant, so the other peer sees no leave/join.
 *
 * No long-polling fallback, as in PeerJS and LiveKit: a network that blocks WebSockets almost
 * always blocks WebRTC's UDP too (such a visitor needs TURN over TLS on 443 as well), and the
 * fallback cost every visitor 0.6 KB gzip of the drop-in bundle. The relay still accepts
 * polling from clients that ask for it.
 */
export class SignalingClient {
  /** The relay's URL. */
  readonly url: string;
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  #connecting: Promise<void> | null = null;
  #joinRequest: JoinRequest | null = null;
  /** The seat this client got, and where it is remembered (see seat-memory.ts). */
  #seat: (Seat & { where: string }) | null = null;
  #connectedOnce = false;
  readonly #handshake = new HandshakeJoin();
  #handlers: SignalingHandlers | null;

  /** @param handlers - who hears what the relay says (until then, nobody: see {@link SignalingClient.route}). */
  constructor(url: string, handlers?: SignalingHandlers) {
    this.url = url;
    this.#handlers = handlers ?? null;
    const socket = (this.#socket = io(url, {
      autoConnect: false,
      // Two elements on one page must not share one socket (io() multiplexes by default).
      forceNew: true,
      transports: ['websocket'],
      // Socket.IO's packet format without its binary support (see socket-io-parser.ts). The two
      // classes the Manager makes, not the module: the drop-in bundle then leaves out the rest.
      parser: { Encoder, Decoder },
      reconnectionDelay: relayReconnectDelayMs.first,
      reconnectionDelayMax: relayReconnectDelayMs.max,
      timeout: relayAnswerTimeoutMs,
      // Every emitWithAck rejects after this long without an answer.
      ackTimeout: relayAnswerTimeoutMs,
      // Called as each handshake goes out: the first carries a join made before it.
      auth: (send) => void this.#handshake.auth().then(send),
    }));
    socket.on('signal', (m: SignalMessage) => this.#handlers?.signal(m));
    socket.on('peer-joined', (m: PeerJoinedMessage) => this.#handlers?.peerJoined(m));
    socket.on('peer-left', (m: PeerLeftMessage) => this.#handlers?.peerLeft(m));
    socket.on('disconnect', () => this.#handlers?.disconnected());
    socket.on('connect', () => {
      if (!this.#connectedOnce || !this.#joinRequest) return;
      this.#answer(this.#socket.emitWithAck('join', this.#joinRequest)).then(
        (data) => this.#handlers?.rejoined(data),
        (error: CallError) => this.#handlers?.rejoinFailed(error),
      );
    });
  }

  /** Sends what the relay says from now on to `handlers` (a connection handed to a new call). */
  route(handlers: SignalingHandlers): void {
    this.#handlers = handlers;
  }

  /**
   * Keeps the first handshake until {@link SignalingClient.join} (which then rides in it) or
   * {@link SignalingClient.releaseHandshake}: for a caller that connects before it knows
   * whether it joins at once.
   */
  holdHandshake(): void {
    this.#handshake.hold();
  }

  /** Lets a held handshake go without a join. */
  releaseHandshake(): void {
    this.#handshake.release();
  }

  /** Whether the socket is connected right now. */
  get connected(): boolean {
    return this.#socket.connected;
  }

  /**
   * Connects (once: later calls get the same promise, so a connection opened early is reused);
   * fails with `signaling-unreachable` when the relay cannot be reached, and may then be tried again.
   */
  connect(): Promise<void> {
    return (this.#connecting ??= this.#connect());
  }

  #connect(): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        socket.off('connect', onConnect).off('connect_error', onError);
        if (error) {
          socket.disconnect();
          this.#connecting = null; // the next connect() tries again
          // A relay at a limit says which (Socket.IO middleware error data); anything else is unreachable.
          const said = (error as Error & { data?: { code?: unknown } }).data?.code;
          const refusal = REFUSALS.find((code) => code === said);
          reject(
            new CallError(
              refusal ?? 'signaling-unreachable',
              refusal ? error.message : `Could not reach the call server (${error.message}).`,
            ),
          );
        } else {
          this.#connectedOnce = true;
          resolve();
        }
      };
      const onConnect = () => done();
      const onError = (error: Error) => done(error);
      socket.on('connect', onConnect).on('connect_error', onError);
      socket.connect();
    });
  }

  /**
   * Joins a room (in the handshake when called before the connection is up). Remembers the
   * identity so a reconnect can resume it.
   */
  async join(request: Omit<JoinRequest, 'peerId' | 'key'>): Promise<JoinData> {
    // The seat this tab let go in this room (a reload) is resumed; otherwise a new one.
    const where = `${this.url}#${request.room}`;
    const seat = recallSeat(where);
    const key = seat?.key ?? randomKey();
    const join: JoinRequest = seat ? { ...request, key, peerId: seat.peerId } : { ...request, key };
    const answers = [this.#socket.emitWithAck('join', join)];
    // Before the connection is up, the join goes in its handshake too: the relay answers that
    // (`joined`) a round trip sooner. The event is for a relay that doesn't read handshakes.
    if (this.#handshake.carry(join)) answers.push(new Promise((resolve) => this.#socket.once('joined', resolve)));
    const data = await this.#answer(Promise.race(answers));
    this.#joinRequest = { ...request, key, peerId: data.peerId };
    this.#seat = { where, peerId: data.peerId, key };
    keepSeat(where, this.#seat, false);
    return data;
  }

  /** Leaves the room but stays connected (to join again as a new participant). */
  async leave(): Promise<void> {
    this.#joinRequest = null;
    // socket.io types the answer of an optional ack (`ack?:`) as `any`: the protocol says what it is.
    await this.#answer(this.#socket.emitWithAck('leave') as Promise<Ack<null>>);
  }

  /** Sends a signal to one peer of the room. */
  signal(request: SignalRequest): Promise<null> {
    return this.#answer(this.#socket.emitWithAck('signal', request) as Promise<Ack<null>>); // an optional ack: see leave()
  }

  /**
   * Sends a signal without asking for an answer: for ICE candidates, which come in bursts and
   * need no confirmation (a lost one costs a candidate pair, and the ICE watchdog covers worse).
   */
  post(request: SignalRequest): void {
    this.#socket.emit('signal', request);
  }

  /**
   * Leaves an offer at the relay for the next peer to join (sent only while connected: an offer
   * from before a reconnect would be stale).
   */
  offer(description: OfferInit): void {
    if (this.#socket.connected) this.#socket.emit('offer', { description });
  }

  /** Fresh ICE servers with new TURN credentials. */
  iceServers(): Promise<IceServersData> {
    return this.#answer(this.#socket.emitWithAck('ice-servers'));
  }

  /**
   * Leaves the room (the other peer sees `peer-left` at once) and closes the connection. With
   * `away` (the page is going away), the relay keeps the seat for its grace period (for this
   * tab's key only, which a reload presents again) and still tells the other peer now.
   */
  close(away = false): void {
    const socket = this.#socket;
    this.#joinRequest = null;
    this.#handshake.release();
    if (this.#seat) keepSeat(this.#seat.where, this.#seat, true);
    socket.removeAllListeners();
    if (socket.connected) socket.emit(away ? 'away' : 'leave');
    // disconnect() flushes the buffered event first; after `away` the relay no longer has this
    // connection in a room, so the disconnect frees nothing.
    socket.disconnect();
  }

  /** The data of an ack, or a {@link CallError} for an error ack or no answer. */
  async #answer<T>(request: Promise<Ack<T>>): Promise<T> {
    let ack: Ack<T>;
    try {
      ack = await request;
    } catch (cause) {
      // No answer in time, or the connection closed (Socket.IO's own error says which).
      throw new CallError('signaling-unreachable', 'The call server did not answer.', { cause });
    }
    if (ack.ok) return ack.data;
    const { code, message } = ack.error;
    // A relay whose Redis is away answers `unavailable`: to the visitor, the server is unreachable.
    const mapped = code === 'unavailable' ? 'signaling-unreachable' : (PASSED_THROUGH.find((c) => c === code) ?? 'signaling-error');
    throw new CallError(mapped, message);
  }
}

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
