/**
 * Room membership, framework-free: who is in which room, who may signal whom, and who must be
 * told when someone arrives or leaves. It knows nothing of Socket.IO; a connection is an opaque
 * id, and messages go out through {@link RoomsListener.send}.
 *
 * Rules:
 * - A connection is in at most one room; a participant has at most one connection.
 * - A participant whose connection drops without saying goodbye stays in the room, *offline*,
 *   for the rejoin grace period. Presenting its peer id and key on a new connection resumes
 *   it, and nobody who already knew it is told anything.
 * - An offline participant keeps its seat for the grace period: a newcomer to a full room is
 *   turned away (`room-full`) even while a member is offline, so a stranger who knows the room
 *   name cannot push a participant out during a network blip. (A reloaded page resumes its own
 *   seat: the element keeps its peer id and key in sessionStorage.)
 * - Each participant knows a set of peers: those it was told about (in its join ack, or by
 *   `peer-joined`). It only ever hears `peer-left` for, and may only signal, peers it knows.
 *   Someone who joins while a member is offline does not see that member; if the member
 *   resumes, the two are introduced then (`peer-joined` to the one already online).
 * - A member whose page goes away (`away`: a reload, or the tab closing) keeps its seat for the
 *   grace period like a lost connection, but its peers are told `peer-left` at once and forget
 *   it; if it resumes (the reload), the two are introduced again and start a new call.
 * - A member may leave an offer for the next one to join (its own connection's: forgotten when
 *   it goes offline, resumes or leaves). The newcomer takes the offer of the first peer in its
 *   join ack, and that peer's `peer-joined` says so (`offerTaken`): each offer is taken once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { OfferInit, PeerInfo, PeerJoinedMessage } from '../../src/protocol.js';
import type { Participant, RemovalReason, RoomJoinRequest, RoomJoinResult, RoomNotice, RouteResult } from './room-store.js';

/** How {@link Rooms} reaches the outside world. */
export interface RoomsListener {
  /** Deliver a notice to one connection. */
  send(connectionId: string, notice: RoomNotice): void;
  /** A participant left its room (after the notices for it were sent). */
  removed?(participant: Participant, reason: RemovalReason): void;
}

interface Member {
  peerId: string;
  room: string;
  name: string;
  polite: boolean;
  connectionId: string | null;
  keyHash: string | null;
  /** Peer ids this member has been told about. */
  known: Set<string>;
  graceTimer: ReturnType<typeof setTimeout> | null;
  /** The offer left for the next one to join, until taken. */
  offer: OfferInit | null;
}

/** Options of {@link Rooms}. */
export interface RoomsOptions {
  /** Most participants per room, offline ones included. */
  capacity: number;
  /** How long an offline participant keeps its place, in ms. 0 removes it at once. */
  rejoinGraceMs: number;
  listener: RoomsListener;
}

/** Rooms and their participants. See the module comment for the rules. */
export class Rooms {
  readonly #options: RoomsOptions;
  readonly #rooms = new Map<string, Map<string, Member>>();
  readonly #byPeerId = new Map<string, Member>();
  readonly #byConnection = new Map<string, Member>();

  constructor(options: RoomsOptions) {
    this.#options = options;
  }

  /** Number of non-empty rooms. */
  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Number of participants, offline ones included. */
  get participantCount(): number {
    return this.#byPeerId.size;
  }

  /** The participant on this connection, if any. */
  participantOf(connectionId: string): Participant | undefined {
    return this.#byConnection.get(connectionId);
  }

  /**
   * Put a connection into a room: resume the participant named by `peerId` when the key
   * matches, otherwise add a new participant. The caller makes sure the connection is in no
   * room yet.
   */
  join(request: RoomJoinRequest): RoomJoinResult {
    if (this.#byConnection.has(request.connectionId)) {
      throw new Error('Rooms.join: this connection is already in a room');
    }
    const existing = request.peerId === undefined ? undefined : this.#rooms.get(request.room)?.get(request.peerId);
    if (existing !== undefined) {
      if (!keyMatches(existing.keyHash, request.keyHash)) {
        return { ok: false, code: 'rejoin-rejected', message: 'The rejoin key does not match.' };
      }
      return this.#resume(existing, request.connectionId);
    }

    let members = this.#rooms.get(request.room);
    // Offline members keep their seats (see the rules above).
    if (members !== undefined && members.size >= this.#options.capacity) {
      return { ok: false, code: 'room-full', message: 'The room is full.' };
    }
    if (members === undefined) {
      members = new Map();
      this.#rooms.set(request.room, members);
    }

    const own = request.ownPeerId;
    const peerId = own !== undefined && !this.#byPeerId.has(own) ? own : this.#newPeerId();
    const online = [...members.values()].filter((member) => member.connectionId !== null);
    const member: Member = {
      peerId,
      room: request.room,
      name: request.name,
      polite: online.length > 0,
      connectionId: request.connectionId,
      keyHash: request.keyHash ?? null,
      known: new Set(online.map((other) => other.peerId)),
      graceTimer: null,
      offer: null,
    };
    members.set(peerId, member);
    this.#byPeerId.set(peerId, member);
    this.#byConnection.set(request.connectionId, member);
    const offer = online[0]?.offer ?? null;
    for (const other of online) this.#introduce(member, other, offer !== null && other === online[0]);
    const peers = online.map(peerInfo);
    return { ok: true, participant: member, peers, resumed: false, replacedConnectionId: null, ...(offer ? { offer } : {}) };
  }

  /** Leaves an offer for the next one to join (replacing any); `false` if not in a room. */
  setOffer(connectionId: string, offer: OfferInit): boolean {
    const member = this.#byConnection.get(connectionId);
    if (member === undefined) return false;
    member.offer = offer;
    return true;
  }

  /** Remove the participant on this connection now (`leave`, or a deliberate disconnect). */
  leave(connectionId: string): Participant | undefined {
    const member = this.#byConnection.get(connectionId);
    if (member !== undefined) this.#remove(member, 'left');
    return member;
  }

  /**
   * The connection was lost (not closed on purpose): keep its participant offline for the
   * grace period, then remove it.
   */
  disconnect(connectionId: string): Participant | undefined {
    const member = this.#byConnection.get(connectionId);
    if (member === undefined) return undefined;
    if (this.#options.rejoinGraceMs <= 0) {
      this.#remove(member, 'expired');
      return member;
    }
    this.#byConnection.delete(connectionId);
    member.connectionId = null;
    member.offer = null;
    member.graceTimer = setTimeout(() => this.#remove(member, 'expired'), this.#options.rejoinGraceMs);
    // Rooms alone never keep a process alive (the server's sockets do that).
    member.graceTimer.unref?.();
    return member;
  }

  /** The page is going away: offline for the grace, and its peers told `peer-left` now (see RoomStore.away). */
  away(connectionId: string): Participant | undefined {
    const member = this.#byConnection.get(connectionId);
    if (member === undefined) return undefined;
    const members = this.#rooms.get(member.room)!;
    for (const other of members.values()) {
      if (other === member || !other.known.delete(member.peerId)) continue;
      member.known.delete(other.peerId);
      if (other.connectionId !== null) {
        this.#options.listener.send(other.connectionId, { event: 'peer-left', message: { peerId: member.peerId } });
      }
    }
    return this.disconnect(connectionId);
  }

  /** Check that the participant on `connectionId` may send a signal to peer `to`. */
  route(connectionId: string, to: string): RouteResult {
    const from = this.#byConnection.get(connectionId);
    if (from === undefined) return { ok: false, code: 'not-joined', message: 'Join a room first.' };
    const target = from.peerId === to || !from.known.has(to) ? undefined : this.#rooms.get(from.room)?.get(to);
    if (target === undefined) return { ok: false, code: 'unknown-peer', message: 'No such peer in this room.' };
    if (target.connectionId === null) {
      return { ok: false, code: 'peer-unavailable', message: 'The peer is reconnecting.' };
    }
    return { ok: true, from, to: target as Participant & { connectionId: string } };
  }

  /** Forget everything and cancel every timer (server shutdown). Nobody is notified. */
  close(): void {
    for (const member of this.#byPeerId.values()) {
      if (member.graceTimer !== null) clearTimeout(member.graceTimer);
    }
    this.#rooms.clear();
    this.#byPeerId.clear();
    this.#byConnection.clear();
  }

  #resume(member: Member, connectionId: string): RoomJoinResult {
    const replacedConnectionId = member.connectionId;
    if (replacedConnectionId !== null) this.#byConnection.delete(replacedConnectionId);
    if (member.graceTimer !== null) clearTimeout(member.graceTimer);
    member.graceTimer = null;
    member.connectionId = connectionId;
    member.offer = null;
    this.#byConnection.set(connectionId, member);
    const members = this.#rooms.get(member.room)!;
    // Peers that joined while this one was offline have never heard of it: introduce them.
    for (const other of members.values()) {
      if (other !== member && other.connectionId !== null && !other.known.has(member.peerId)) {
        this.#introduce(member, other);
      }
    }
    const peers = [...members.values()].filter((other) => member.known.has(other.peerId)).map(peerInfo);
    return { ok: true, participant: member, peers, resumed: true, replacedConnectionId };
  }

  /** `newcomer` arrives in `existing`'s view: it becomes the polite one. */
  #introduce(newcomer: Member, existing: Member, offerTaken = false): void {
    newcomer.known.add(existing.peerId);
    newcomer.polite = true;
    existing.known.add(newcomer.peerId);
    existing.polite = false;
    if (offerTaken) existing.offer = null;
    if (existing.connectionId !== null) {
      const message: PeerJoinedMessage = { peerId: newcomer.peerId, name: newcomer.name, polite: false };
      if (offerTaken) message.offerTaken = true;
      this.#options.listener.send(existing.connectionId, { event: 'peer-joined', message });
    }
  }

  #remove(member: Member, reason: RemovalReason): void {
    if (member.graceTimer !== null) clearTimeout(member.graceTimer);
    member.graceTimer = null;
    const members = this.#rooms.get(member.room);
    if (members?.get(member.peerId) !== member) return; // already gone
    members.delete(member.peerId);
    if (members.size === 0) this.#rooms.delete(member.room);
    this.#byPeerId.delete(member.peerId);
    if (member.connectionId !== null) this.#byConnection.delete(member.connectionId);
    for (const other of members.values()) {
      if (other.known.delete(member.peerId) && other.connectionId !== null) {
        this.#options.listener.send(other.connectionId, { event: 'peer-left', message: { peerId: member.peerId } });
      }
    }
    this.#options.listener.removed?.(member, reason);
  }

  #newPeerId(): string {
    for (;;) {
      const peerId = randomBytes(16).toString('base64url');
      if (!this.#byPeerId.has(peerId)) return peerId;
    }
  }
}

function peerInfo(member: Member): PeerInfo {
  return { peerId: member.peerId, name: member.name };
}

function keyMatches(stored: string | null, presented: string | undefined): boolean {
  if (stored === null || presented === undefined) return false;
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(presented, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
