/**
 * A {@link RoomStore} in Redis, for many relay processes acting as one: rooms, resume keys,
 * the rejoin grace and capacity live in Redis and change only inside one Lua script call
 * (`room-script.lua`, through the typed operations of `room-script.ts`), so they hold across nodes and races between nodes cannot break
 * them. Each node keeps only its own connections' memberships in memory, to answer
 * `participantOf` without a round trip.
 *
 * Each node beats every `heartbeatMs`; the same call sweeps: a node silent for `nodeTimeoutMs`
 * (killed, frozen, cut off) has its participants put offline, and offline participants whose
 * grace ended are removed, their partners told `peer-left`, from whichever node swept them.
 *
 * While Redis is unreachable, `health()` says why, requests fail at once with
 * {@link StoreUnavailableError} (no offline queue: nothing hangs), and when Redis is back the
 * node carries on: it records the disconnects it missed, and puts back its members if it was
 * taken for dead or Redis came back empty (restarted without persistence).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { OfferInit } from '../../../src/protocol.js';
import { DEAD_NODES_PER_SWEEP, HEARTBEAT_MS, NODE_TIMEOUT_MS, nodeKeysTtlMs, SWEEP_LIMIT } from '../../config/timing.js';
import {
  StoreUnavailableError,
  type Participant,
  type RoomJoinRequest,
  type RoomJoinResult,
  type RoomNotice,
  type RoomStore,
  type RoomStoreHealth,
  type RoomStoreListener,
  type RoomStoreStats,
  type RouteResult,
} from '../room-store.js';
import { redisKeys, type RedisKeys } from './key-schema.js';
import { list, RoomScript, type ScriptAnswer, type StoredMember } from './room-script.js';

/** What the store needs of a node-redis client (`@redis/client` `createClient()`). */
export interface RedisConnection {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'end', listener: () => void): unknown;
}

/** Options of {@link RedisRoomStore}. */
export interface RedisRoomStoreOptions {
  /** A node-redis client; connected by the caller. */
  redis: RedisConnection;
  capacity: number;
  rejoinGraceMs: number;
  listener: RoomStoreListener;
  /** Whether a connection id is one of this node's open connections. */
  isLocalConnection(connectionId: string): boolean;
  logger: Logger;
  /** Prefix of every key. Default `p2p-video-call:`. Nodes that act as one share it. */
  prefix?: string;
  /** How often the node beats and sweeps. Default `HEARTBEAT_MS` (config/timing.ts). */
  heartbeatMs?: number;
  /** A node silent this long counts as dead. Default `NODE_TIMEOUT_MS`. */
  nodeTimeoutMs?: number;
  /** Told how long each room-script call took (the relay's metrics). */
  timed?: (operation: string, seconds: number) => void;
}

const READ_ONLY = 'redis: read-only (a replica)';

/** Rooms in Redis; see the module comment. */
export class RedisRoomStore implements RoomStore {
  /** The last write failed with READONLY, and no beat has written since. */
  #readOnly = false;
  /** This node's id in Redis (random per process). */
  readonly nodeId = randomBytes(9).toString('base64url');
  readonly #redis: RedisConnection;
  readonly #options: RedisRoomStoreOptions;
  readonly #keys: RedisKeys;
  readonly #script: RoomScript;
  /** This node's participants by connection, with their key hash (to restore them should Redis lose them). */
  readonly #local = new Map<string, { participant: Participant; keyHash: string }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #problem: string | null = 'not started';
  #closed = false;
  #ticking = false;
  /** Redis was away: disconnects may have been missed, members lost. */
  #mustReconcile = false;

  constructor(options: RedisRoomStoreOptions) {
    this.#options = options;
    this.#redis = options.redis;
    this.#keys = redisKeys(options.prefix ?? 'p2p-video-call:');
    this.#script = new RoomScript((args) => this.#command(args), this.#keys, options.timed);
    this.#redis.on('error', (error) => {
      const problem = `redis: ${error.message || error.name}`;
      if (problem !== this.#problem) options.logger.warn({ err: error }, 'redis unreachable');
      this.#problem = problem;
    });
    this.#redis.on('end', () => (this.#problem ??= 'redis: connection closed'));
    this.#redis.on('ready', () => {
      if (this.#closed) return;
      options.logger.info('redis ready');
      this.#problem = null;
      this.#mustReconcile = true;
      void this.#tick();
    });
  }

  /** Starts beating and sweeping. Resolves after the first beat (rejects if Redis cannot be reached). */
  async start(): Promise<void> {
    if (this.#redis.isReady) this.#problem = null;
    await this.#tick(true);
    this.#timer = setInterval(() => void this.#tick(), this.#options.heartbeatMs ?? HEARTBEAT_MS);
    this.#timer.unref?.();
  }

  async join(request: RoomJoinRequest): Promise<RoomJoinResult> {
    const answer = this.#deliver(
      await this.#script.join({
        room: request.room,
        peerId: request.peerId ?? '',
        keyHash: request.keyHash ?? '',
        name: request.name,
        connectionId: request.connectionId,
        nodeId: this.nodeId,
        capacity: this.#options.capacity,
        ownPeerId: request.ownPeerId ?? '',
        newPeerId: randomBytes(16).toString('base64url'),
      }),
    );
    if (!answer.ok) {
      return answer.code === 'room-full'
        ? { ok: false, code: 'room-full', message: 'The room is full.' }
        : { ok: false, code: 'rejoin-rejected', message: 'The rejoin key does not match.' };
    }
    const participant: Participant = {
      peerId: answer.peerId!,
      room: request.room,
      name: answer.name ?? request.name,
      polite: answer.polite ?? false,
      connectionId: request.connectionId,
    };
    this.#local.set(request.connectionId, { participant, keyHash: request.keyHash ?? '' });
    const replaced = answer.replaced || null;
    if (replaced !== null) this.#local.delete(replaced);
    const offer = answer.offer === undefined ? {} : { offer: { type: 'offer' as const, sdp: answer.offer } };
    return { ok: true, participant, peers: list(answer.peers), resumed: answer.resumed ?? false, replacedConnectionId: replaced, ...offer };
  }

  async setOffer(connectionId: string, offer: OfferInit): Promise<boolean> {
    const participant = this.#local.get(connectionId)?.participant;
    if (participant === undefined) return false;
    const answer = await this.#script.offer({ room: participant.room, peerId: participant.peerId, connectionId, sdp: offer.sdp });
    return this.#deliver(answer).ok;
  }

  leave(connectionId: string): Promise<Participant | undefined> {
    return this.#part('leave', connectionId);
  }

  disconnect(connectionId: string): Promise<Participant | undefined> {
    return this.#part('disconnect', connectionId);
  }

  away(connectionId: string): Promise<Participant | undefined> {
    return this.#part('away', connectionId);
  }

  async route(connectionId: string, to: string): Promise<RouteResult> {
    const from = this.#local.get(connectionId)?.participant;
    if (from === undefined) return { ok: false, code: 'not-joined', message: 'Join a room first.' };
    let answer: Array<string | null>;
    try {
      answer = (await this.#command(['HMGET', this.#keys.room(from.room), from.peerId, to])) as Array<string | null>;
    } catch (error) {
      // Redis away: two members of one room on this node still reach each other (this node
      // knows both); a peer on another node is unavailable until Redis is back.
      const local = error instanceof StoreUnavailableError ? this.#localRoute(from, to) : undefined;
      if (local === undefined) throw error;
      return local;
    }
    const [mine, theirs] = answer;
    const me = mine ? (JSON.parse(mine) as StoredMember) : null;
    if (me?.c !== connectionId) {
      // Removed, or resumed elsewhere, meanwhile.
      this.#local.delete(connectionId);
      return { ok: false, code: 'not-joined', message: 'Join a room first.' };
    }
    const target = to !== from.peerId && me.kn[to] && theirs ? (JSON.parse(theirs) as StoredMember) : null;
    if (target === null) return { ok: false, code: 'unknown-peer', message: 'No such peer in this room.' };
    if (target.c === false) return { ok: false, code: 'peer-unavailable', message: 'The peer is reconnecting.' };
    const toParticipant = { peerId: to, room: from.room, name: target.n, polite: target.p, connectionId: target.c };
    return { ok: true, from, to: toParticipant };
  }

  participantOf(connectionId: string): Participant | undefined {
    return this.#local.get(connectionId)?.participant;
  }

  /** The route to `to` when it is a member of `from`'s room connected through this node. */
  #localRoute(from: Participant, to: string): RouteResult | undefined {
    if (to === from.peerId) return undefined;
    for (const [connectionId, { participant }] of this.#local) {
      if (participant.room === from.room && participant.peerId === to && this.#options.isLocalConnection(connectionId)) {
        return { ok: true, from, to: { ...participant, connectionId } };
      }
    }
    return undefined;
  }

  /** Rooms and participants over all nodes (counted by the script as they change). */
  async stats(): Promise<RoomStoreStats> {
    const [rooms, participants] = (await this.#command(['HMGET', this.#keys.stats, 'rooms', 'participants'])) as Array<string | null>;
    return { rooms: Number(rooms ?? 0), participants: Number(participants ?? 0) };
  }

  health(): RoomStoreHealth {
    if (this.#closed) return { ok: false, reason: 'closed' };
    if (!this.#redis.isReady) return { ok: false, reason: this.#problem ?? 'redis: not connected' };
    if (this.#readOnly) return { ok: false, reason: READ_ONLY };
    return { ok: true };
  }

  /**
   * Stops beating, and puts this node's participants offline: within the grace period they can
   * resume on another node (a deploy); after it, their partners are told. Nobody is notified now.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#local.clear();
    await this.#script.retire({ nodeId: this.nodeId, graceMs: this.#options.rejoinGraceMs }).then(
      (answer) => this.#deliver(answer),
      (error: unknown) => {
        // Safe to go on closing: the other nodes take this one for dead once its heartbeat runs out.
        this.#options.logger.warn({ err: error }, 'could not hand over this node’s members; the others will sweep them');
      },
    );
  }

  async #part(op: 'leave' | 'disconnect' | 'away', connectionId: string): Promise<Participant | undefined> {
    const entry = this.#local.get(connectionId);
    if (entry === undefined) return undefined;
    const { participant } = entry;
    // Forgotten locally only once Redis has it: a disconnect missed while Redis was away is
    // recorded by #reconcile when it is back.
    const where = { room: participant.room, peerId: participant.peerId, connectionId };
    const answer = this.#deliver(
      op === 'leave' ? await this.#script.leave(where) : await this.#script[op]({ ...where, graceMs: this.#options.rejoinGraceMs }),
    );
    if (this.#local.get(connectionId) === entry) this.#local.delete(connectionId);
    return answer.ok ? participant : undefined;
  }

  /**
   * Beat and sweep. After Redis came back, first record the disconnects that happened while it
   * was away, and put back this node's members if it was taken for dead or Redis lost them.
   */
  async #tick(strict = false): Promise<void> {
    if (this.#closed || this.#ticking) return;
    this.#ticking = true;
    try {
      const nodeTimeoutMs = this.#options.nodeTimeoutMs ?? NODE_TIMEOUT_MS;
      const answer = this.#deliver(
        await this.#script.tick({
          nodeId: this.nodeId,
          nodeTimeoutMs,
          nodeKeysTtlMs: nodeKeysTtlMs(nodeTimeoutMs),
          graceMs: this.#options.rejoinGraceMs,
          sweepLimit: SWEEP_LIMIT,
          deadNodeLimit: DEAD_NODES_PER_SWEEP,
        }),
      );
      if (this.#readOnly) this.#options.logger.info('redis writable again');
      this.#readOnly = false; // the beat wrote
      if (answer.revived) this.#mustReconcile = true;
      if (this.#mustReconcile) {
        // Cleared first: a failure during it (Redis gone again, read-only) sets it again.
        this.#mustReconcile = false;
        await this.#reconcile().catch((error: unknown) => {
          this.#mustReconcile = true;
          throw error;
        });
      }
    } catch (error) {
      if (strict) throw error;
      // Unreachable: health() says so, and the next beat tries again. Anything else is a fault
      // of its own (a script error): logged, and the next beat tries again too.
      if (!(error instanceof StoreUnavailableError)) this.#options.logger.warn({ err: error }, 'heartbeat failed');
    } finally {
      this.#ticking = false;
    }
  }

  async #reconcile(): Promise<void> {
    for (const [connectionId, { participant, keyHash }] of [...this.#local]) {
      if (!this.#options.isLocalConnection(connectionId)) {
        await this.disconnect(connectionId);
      } else {
        this.#deliver(
          await this.#script.reclaim({
            room: participant.room,
            peerId: participant.peerId,
            connectionId,
            nodeId: this.nodeId,
            name: participant.name,
            polite: participant.polite,
            keyHash,
            capacity: this.#options.capacity,
          }),
        );
      }
    }
  }

  /** Delivers the notices an operation of the room script produced, and logs its removals. */
  #deliver<A extends ScriptAnswer>(answer: A): A {
    for (const [connectionId, event, message] of list(answer.notices)) {
      this.#options.listener.deliver(connectionId, { event, message } as RoomNotice); // paired by the script
    }
    for (const [room, peerId, reason] of list(answer.removed)) {
      this.#options.listener.removed?.({ room, peerId }, reason);
    }
    return answer;
  }

  async #command(args: string[]): Promise<unknown> {
    if (!this.#redis.isReady) throw new StoreUnavailableError(this.#problem ?? 'redis: not connected');
    try {
      return await this.#redis.sendCommand(args);
    } catch (error) {
      if (!this.#redis.isReady) throw new StoreUnavailableError(this.#problem ?? 'redis: not connected');
      // A primary demoted to a replica in a failover, the connection still open: every change
      // fails. Unavailable (not `internal`), and unhealthy until a heartbeat can write again.
      if (error instanceof Error && error.message.startsWith('READONLY')) {
        if (!this.#readOnly) this.#options.logger.warn({ err: error }, 'redis is read-only');
        this.#readOnly = true;
        // Disconnects meanwhile stay local (Redis refused them): recorded once it can write again.
        this.#mustReconcile = true;
        throw new StoreUnavailableError(READ_ONLY);
      }
      throw error;
    }
  }
}
