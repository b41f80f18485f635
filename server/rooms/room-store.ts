/**
 * Where rooms live: the interface between the relay's event handlers and the room state. Two
 * implementations: {@link MemoryRoomStore} (one process, the default) and `RedisRoomStore`
 * (many relay processes sharing one Redis). Both follow the rules of `rooms.ts`; the handlers
 * cannot tell them apart, and one protocol test suite runs against both.
 *
 * Notices for other connections (`peer-joined`, `peer-left`) go out through the `deliver`
 * callback the store is built with; the relay delivers with `io.to(connectionId)`, which with
 * the Redis adapter reaches a connection on any node.
 */
import type { ErrorCode, OfferInit, PeerInfo, PeerJoinedMessage, PeerLeftMessage } from '../../src/protocol.js';

/** A member of a room, as the relay tracks it. */
export interface Participant {
  readonly peerId: string;
  readonly room: string;
  readonly name: string;
  /** Perfect negotiation role towards the other peers. */
  readonly polite: boolean;
  /** The current connection, or `null` while offline (in the grace period). */
  readonly connectionId: string | null;
}

/** Why a participant left its room. */
export type RemovalReason =
  /** Explicit `leave`, or the client closed its connection on purpose. */
  | 'left'
  /** Offline for longer than the grace period. */
  | 'expired';

/** A message for one connection. */
export type RoomNotice = { event: 'peer-joined'; message: PeerJoinedMessage } | { event: 'peer-left'; message: PeerLeftMessage };

/** Input of {@link RoomStore.join}. */
export interface RoomJoinRequest {
  room: string;
  name: string;
  connectionId: string;
  /** Peer id to resume (with `keyHash`). An unknown one is never taken as asked: see `ownPeerId`. */
  peerId?: string | undefined;
  /** sha256 (hex) of the client's rejoin key. */
  keyHash?: string | undefined;
  /**
   * The peer id a new participant gets (derived from its key: `seat-key.ts`) unless it is taken;
   * without one, or when taken, a random id. So after a relay restart a client gets its old id
   * back only with the key it was derived from.
   */
  ownPeerId?: string | undefined;
}

/** Result of {@link RoomStore.join}. */
export type RoomJoinResult =
  | {
      ok: true;
      participant: Participant;
      /** The peers this participant knows (for the join ack). */
      peers: PeerInfo[];
      resumed: boolean;
      /** The connection this participant was on before, now detached (resume only). */
      replacedConnectionId: string | null;
      /** The offer `peers[0]` left for the next one to join, now taken (new participants only). */
      offer?: OfferInit;
    }
  | { ok: false; code: Extract<ErrorCode, 'room-full' | 'rejoin-rejected'>; message: string };

/** Result of {@link RoomStore.route}. */
export type RouteResult =
  | { ok: true; from: Participant; to: Participant & { connectionId: string } }
  | { ok: false; code: Extract<ErrorCode, 'not-joined' | 'unknown-peer' | 'peer-unavailable'>; message: string };

/** How a store reaches the outside world. */
export interface RoomStoreListener {
  /** Deliver a notice to one connection (on whichever node it is). */
  deliver(connectionId: string, notice: RoomNotice): void;
  /** A participant left its room (after the notices for it were sent). */
  removed?(participant: Pick<Participant, 'room' | 'peerId'>, reason: RemovalReason): void;
}

/** Counts for `/healthz`. */
export interface RoomStoreStats {
  /** Non-empty rooms. */
  rooms: number;
  /** Participants in rooms, including ones briefly offline. */
  participants: number;
}

/** Whether the store can take requests, and if not, why. */
export type RoomStoreHealth = { ok: true } | { ok: false; reason: string };

/** Room state, as the relay's handlers use it. Every method but `participantOf` is async. */
export interface RoomStore {
  /**
   * Put a connection into a room: resume the participant named by `peerId` when its key
   * matches, otherwise add a participant if there is room. Atomic: two joins racing for the
   * last place (on any nodes) never both get it. The caller makes sure the connection is in
   * no room yet.
   */
  join(request: RoomJoinRequest): Promise<RoomJoinResult>;
  /** Remove the participant on this connection now (`leave`, or a deliberate disconnect). */
  leave(connectionId: string): Promise<Participant | undefined>;
  /** The connection was lost: keep its participant offline for the grace period, then remove it. */
  disconnect(connectionId: string): Promise<Participant | undefined>;
  /**
   * The participant's page is going away (a reload, maybe): offline for the grace period like a
   * lost connection, but its peers are told `peer-left` now and forget it (and it them); if it
   * resumes, they are introduced again.
   */
  away(connectionId: string): Promise<Participant | undefined>;
  /**
   * Leave an offer for the next one to join this participant's room (replacing any): the
   * newcomer's `join` takes it. `false` when the connection is in no room.
   */
  setOffer(connectionId: string, offer: OfferInit): Promise<boolean>;
  /** Check that the participant on `connectionId` may signal peer `to`, and find its connection. */
  route(connectionId: string, to: string): Promise<RouteResult>;
  /** The participant on this connection, if it is one of this process's connections. */
  participantOf(connectionId: string): Participant | undefined;
  /** Counts for `/healthz`. */
  stats(): Promise<RoomStoreStats>;
  /** Whether requests can be served now (the Redis store says no while Redis is unreachable). */
  health(): RoomStoreHealth;
  /** Stop timers and connections. Nobody is notified. */
  close(): Promise<void>;
}

/** The store cannot be reached (Redis is down): the request was not carried out. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
