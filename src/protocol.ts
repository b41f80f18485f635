/**
 * The signaling protocol between `<p2p-video-call>` and the relay: one module, imported by
 * both sides, so the browser and the server can never disagree about a name or a shape.
 *
 * Wire format: Socket.IO events. Requests that the server answers use Socket.IO
 * acknowledgements, whose payload is always an {@link Ack}.
 *
 * This module holds types plus a handful of constants (limits, the room name pattern).
 * It has no imports, so it costs the browser bundle only those constants.
 */

/** A room name: 1–64 characters of letters, digits, `.`, `_` and `-`, not starting with `.`. */
export const ROOM_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
/** A peer id as the relay issues them (and as a rejoining client presents one). */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Limits enforced by the relay on every inbound payload. */
export const LIMITS = {
  roomLength: 64,
  nameLength: 64,
  tokenLength: 4096,
  /** The rejoin key a client chooses: 16–128 characters. */
  keyMinLength: 16,
  keyMaxLength: 128,
  /**
   * An SDP offer/answer: real ones with audio, video and data are 4–10 KB (Chromium's, with
   * every codec and its candidates); 32 KiB leaves room for more and bounds what a member may
   * park at the relay.
   */
  sdpLength: 32 * 1024,
  /** One ICE candidate line. */
  candidateLength: 2048,
  sdpMidLength: 64,
  usernameFragmentLength: 256,
} as const;

/** Stable error codes in `{ ok: false, error: { code } }` acks. */
export type ErrorCode =
  /** The payload failed validation (wrong types, missing fields, too large). */
  | 'invalid-payload'
  /** The room name does not match {@link ROOM_PATTERN}. */
  | 'invalid-room'
  /** The room already holds its capacity of connected participants. */
  | 'room-full'
  /** A token is required and was missing, invalid, expired, or for another room. */
  | 'unauthorized'
  /** `join` on a socket that is already in a room (leave first). */
  | 'already-joined'
  /** `signal`/`leave`/`ice-servers`/`offer` before `join`. */
  | 'not-joined'
  /** `signal` addressed to a peer that is not in the sender's room (or is the sender). */
  | 'unknown-peer'
  /** The addressed peer is in the room but momentarily offline (rejoining). */
  | 'peer-unavailable'
  /** The rejoin key does not match the participant being resumed. */
  | 'rejoin-rejected'
  /** Too many messages in a short time from this connection, or too many joins from its address. */
  | 'rate-limited'
  /** The relay cannot serve this now (its Redis is unreachable); try again shortly. */
  | 'unavailable'
  /** Anything unexpected on the server; details are logged, never sent. */
  | 'internal';

/**
 * Why the relay refused a connection: `connect_error` with `data.code` (Socket.IO middleware).
 * `too-many-connections`: too many open from this client address; `server-busy`: the node is at
 * its connection limit.
 */
export type ConnectionRefusalCode = 'too-many-connections' | 'server-busy';

/** The error half of an acknowledgement. `message` is short, human-readable, and safe to show. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Every acknowledgement: success with data, or a stable error. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

/** A participant as others see it. */
export interface PeerInfo {
  peerId: string;
  /** Display name, empty string when none was given. */
  name: string;
}

/**
 * `join` request.
 *
 * A client that lost its connection and comes back (relay restart, network blip) sends the
 * `peerId` it was given plus the `key` it chose on its first join: it then resumes its place
 * without the other peer seeing it leave and join again.
 */
export interface JoinRequest {
  room: string;
  name?: string;
  /** Access token (JWT) minted by the site's backend, when the relay requires one. */
  token?: string;
  /** The peer id to resume (rejoin); requires `key`. */
  peerId?: string;
  /** A secret the client chooses, needed to resume this participant later. */
  key?: string;
}

/** ICE servers handed out by the relay, with short-lived TURN credentials. */
export interface IceServersData {
  iceServers: RTCIceServerInit[];
  /** Unix time in ms after which the TURN credentials stop working; `null` without TURN. */
  expiresAt: number | null;
}

/** `join` ack data. */
export interface JoinData extends IceServersData {
  peerId: string;
  /** The others already in the room. */
  peers: PeerInfo[];
  /** Perfect negotiation role: the later joiner is polite. */
  polite: boolean;
  /** True when this join resumed an existing participant (no peer-joined was sent). */
  resumed: boolean;
  /**
   * The offer `peers[0]` left at the relay while it waited (see the `offer` event), with its
   * candidates: answer it (`signal` to `peers[0]`). Absent when there was none.
   */
  offer?: OfferInit;
}

/**
 * Client → server `offer`: an offer made while alone in the room, with all its candidates,
 * kept by the relay for the next peer to join (it gets it in its join ack, and this client
 * gets `peer-joined` with `offerTaken`). A newer one replaces it; it is forgotten when taken,
 * and when this participant leaves, goes offline or resumes.
 */
export interface OfferRequest {
  description: OfferInit;
}

/** An offer with its SDP (what `offer` leaves at the relay, and a join ack hands on). */
export type OfferInit = DescriptionInit & { type: 'offer'; sdp: string };

/**
 * A plain `RTCIceServer` (declared here so the server compiles without DOM types in mind).
 */
export interface RTCIceServerInit {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** A session description as sent over the wire. */
export interface DescriptionInit {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
}

/** An ICE candidate as sent over the wire (`RTCIceCandidateInit`). */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** Whether the sender's microphone and camera are on, and whether its video is a shared screen. */
export interface MediaStateInit {
  audio: boolean;
  video: boolean;
  /** The video is a shared screen (show it whole, never cropped). Absent from older clients. */
  screen?: boolean;
}

/**
 * Client → server `signal`: exactly one of `description`, `candidate`, `media`, `restart`.
 * `restart: true` asks the other (impolite) peer to restart ICE: see `CallSession.restartIce`.
 */
export interface SignalRequest {
  to: string;
  description?: DescriptionInit;
  candidate?: CandidateInit;
  media?: MediaStateInit;
  restart?: true;
}

/** Server → client `signal`: the same, with `from` set by the server. */
export interface SignalMessage {
  from: string;
  description?: DescriptionInit;
  candidate?: CandidateInit;
  media?: MediaStateInit;
  restart?: true;
}

/** Server → client `peer-joined`. `polite` is the receiver's (possibly new) role. */
export interface PeerJoinedMessage extends PeerInfo {
  polite: boolean;
  /**
   * The newcomer took the offer this client left with `offer`: its answer follows, so that
   * offer and its candidates need not be sent again. Absent otherwise.
   */
  offerTaken?: true;
}

/** Server → client `peer-left`. */
export interface PeerLeftMessage {
  peerId: string;
}

/** Acknowledgement callback type. */
export type AckCallback<T> = (ack: Ack<T>) => void;

/**
 * Events the client emits. The server answers each one sent with an ack callback; `signal`,
 * `leave` and `offer` may also be sent without (fire-and-forget: forwarded alike, failures only logged).
 */
export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: AckCallback<JoinData>) => void;
  signal: (request: SignalRequest, ack?: AckCallback<null>) => void;
  leave: (ack?: AckCallback<null>) => void;
  /**
   * The page is going away (`pagehide`: a reload, or the tab closing; it cannot tell which).
   * The seat is kept for the grace period, for this key only (a reload resumes it; nobody else
   * can take it), and the other peer is told `peer-left` now; if this participant resumes, the
   * two are introduced again (`peer-joined`) and start a new call. A hang-up is `leave`.
   */
  away: (ack?: AckCallback<null>) => void;
  /** Fresh TURN credentials (before an ICE restart). */
  'ice-servers': (ack: AckCallback<IceServersData>) => void;
  /** Leaves an offer for the next peer to join (see {@link OfferRequest}). */
  offer: (request: OfferRequest, ack?: AckCallback<null>) => void;
}

/** The data an event's ack carries, from {@link ClientToServerEvents}. */
export type AckData<E extends keyof ClientToServerEvents> =
  NonNullable<Parameters<ClientToServerEvents[E]>[number]> extends infer A ? (A extends AckCallback<infer T> ? T : never) : never;

/**
 * What a client may put in the Socket.IO handshake (`auth`): a `join` there is carried out as
 * soon as the connection is up and answered with the `joined` event, a round trip sooner than
 * the `join` event. A client also sends the same request (same `key`) as a `join` event, so that
 * a relay that doesn't read the handshake joins it too; one that did answers that event with the
 * same result.
 */
export interface HandshakeAuth {
  join?: JoinRequest;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  /** The answer to a `join` in the handshake (see {@link HandshakeAuth}). */
  joined: (answer: Ack<JoinData>) => void;
  signal: (message: SignalMessage) => void;
  'peer-joined': (message: PeerJoinedMessage) => void;
  'peer-left': (message: PeerLeftMessage) => void;
}
