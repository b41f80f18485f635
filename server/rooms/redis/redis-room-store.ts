/**
 * A {@link RoomStore} in Redis, for many relay processes acting as one: rooms, resume keys,
 * the rejoin grace and capacity live in Redis and change only inside one Lua script call
 * (`redis-room-script.ts`), so they hold across nodes and races between nodes cannot break
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
import type { OfferInit, PeerInfo } from '../../../src/protocol.js';
import { ROOM_SCRIPT } from './redis-room-script.js';
import {
  StoreUnavailableError,
  type Participant,
  type RemovalReason,
  type RoomJoinRequest,
  type RoomJoinResult,
  type RoomNotice,
  type RoomStore,
  type RoomStoreHealth,
  type RoomStoreListener,
  type RoomStoreStats,
  type RouteResult,
} from '../room-store.js';

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
  /** How often the node beats and sweeps. Default 1000 ms. */
  heartbeatMs?: number;
  /** A node silent this long counts as dead. Default 5000 ms. */
  nodeTimeoutMs?: number;
}

interface Member {
  n: string;
  p: boolean;
  c: string | false;
  d: string;
  kn: Record<string, 1>;
}

interface ScriptAnswer {
  ok: boolean;
  code?: 'room-full' | 'rejoin-rejected';
  peerId?: string;
  name?: string;
  polite?: boolean;
  peers?: PeerInfo[] | Record<string, never>;
  resumed?: boolean;
  replaced?: string | false;
  revived?: boolean;
  /** SDP of the offer the newcomer took. */
  offer?: string;
  notices: Array<[string, RoomNotice['event'], RoomNotice['message']]> | Record<string, never>;
  removed: Array<[string, string, RemovalReason]> | Record<string, never>;
}

/** Lua's cjson writes an empty array as `{}`. */
const list = <T>(value: T[] | Record<string, never> | undefined): T[] => (Array.isArray(value) ? value : []);

/** A room's key lives this long after its last change: a safety net, members are removed explicitly. */
const ROOM_TTL_SECONDS = 24 * 60 * 60;
/** Most offline members removed by one sweep (the next sweep takes the rest). */
const SWEEP_LIMIT = 500;

/** Rooms in Redis; see the module comment. */
export class RedisRoomStore implements RoomStore {
  /** This node's id in Redis (random per process). */
  readonly nodeId = randomBytes(9).toString('base64url');
  readonly #redis: RedisConnection;
  readonly #options: RedisRoomStoreOptions;
  readonly #prefix: string;
  /** This node's participants by connection, with their key hash (to restore them should Redis lose them). */
  readonly #local = new Map<string, { participant: Participant; keyHash: string }>();
  #sha: string | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #problem: string | null = 'not started';
  #closed = false;
  #ticking = false;
  /** Redis was away: disconnects may have been missed, members lost. */
  #mustReconcile = false;

  constructor(options: RedisRoomStoreOptions) {
    this.#options = options;
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'p2p-video-call:';
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
    this.#timer = setInterval(() => void this.#tick(), this.#options.heartbeatMs ?? 1000);
    this.#timer.unref?.();
  }

  async join(request: RoomJoinRequest): Promise<RoomJoinResult> {
    const answer = await this.#run([
      'join',
      request.room,
      request.peerId ?? '',
      request.keyHash ?? '',
      request.name,
      request.connectionId,
      this.nodeId,
      String(this.#options.capacity),
      randomBytes(16).toString('base64url'),
      String(ROOM_TTL_SECONDS),
    ]);
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
    const answer = await this.#run(['offer', participant.room, participant.peerId, connectionId, offer.sdp]);
    return answer.ok;
  }

  leave(connectionId: string): Promise<Participant | undefined> {
    return this.#part('leave', connectionId);
  }

  disconnect(connectionId: string): Promise<Participant | undefined> {
    return this.#part('disconnect', connectionId);
  }

  async route(connectionId: string, to: string): Promise<RouteResult> {
    const from = this.#local.get(connectionId)?.participant;
    if (from === undefined) return { ok: false, code: 'not-joined', message: 'Join a room first.' };
    const [mine, theirs] = (await this.#command(['HMGET', this.#roomKey(from.room), from.peerId, to])) as Array<string | null>;
    const me = mine ? (JSON.parse(mine) as Member) : null;
    if (me === null || me.c !== connectionId) {
      // Removed, or resumed elsewhere, meanwhile.
      this.#local.delete(connectionId);
      return { ok: false, code: 'not-joined', message: 'Join a room first.' };
    }
    const target = to !== from.peerId && me.kn[to] && theirs ? (JSON.parse(theirs) as Member) : null;
    if (target === null) return { ok: false, code: 'unknown-peer', message: 'No such peer in this room.' };
    if (target.c === false) return { ok: false, code: 'peer-unavailable', message: 'The peer is reconnecting.' };
    const toParticipant = { peerId: to, room: from.room, name: target.n, polite: target.p, connectionId: target.c };
    return { ok: true, from, to: toParticipant };
  }

  participantOf(connectionId: string): Participant | undefined {
    return this.#local.get(connectionId)?.participant;
  }

  /** Rooms and participants over all nodes (counted by the script as they change). */
  async stats(): Promise<RoomStoreStats> {
    const [rooms, participants] = (await this.#command(['HMGET', `${this.#prefix}stats`, 'rooms', 'participants'])) as Array<string | null>;
    return { rooms: Number(rooms ?? 0), participants: Number(participants ?? 0) };
  }

  health(): RoomStoreHealth {
    if (this.#closed) return { ok: false, reason: 'closed' };
    if (!this.#redis.isReady) return { ok: false, reason: this.#problem ?? 'redis: not connected' };
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
    await this.#run(['retire', this.nodeId, String(this.#options.rejoinGraceMs)]).catch(() => {
      // Redis away: the other nodes will take this one for dead after its heartbeat runs out.
    });
  }

  async #part(op: 'leave' | 'disconnect', connectionId: string): Promise<Participant | undefined> {
    const entry = this.#local.get(connectionId);
    if (entry === undefined) return undefined;
    const { participant } = entry;
    // Forgotten locally only once Redis has it: a disconnect missed while Redis was away is
    // recorded by #reconcile when it is back.
    const answer = await this.#run([
      op,
      participant.room,
      participant.peerId,
      connectionId,
      String(this.#options.rejoinGraceMs),
    ]);
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
      const answer = await this.#run([
        'tick',
        this.nodeId,
        String(this.#options.nodeTimeoutMs ?? 5000),
        String(this.#options.rejoinGraceMs),
        String(SWEEP_LIMIT),
      ]);
      if (answer.revived) this.#mustReconcile = true;
      if (this.#mustReconcile) {
        await this.#reconcile();
        this.#mustReconcile = false;
      }
    } catch (error) {
      if (strict) throw error;
      // Unreachable: health() says so; the next beat tries again.
    } finally {
      this.#ticking = false;
    }
  }

  async #reconcile(): Promise<void> {
    for (const [connectionId, { participant, keyHash }] of [...this.#local]) {
      if (!this.#options.isLocalConnection(connectionId)) {
        await this.disconnect(connectionId);
      } else {
        await this.#run([
          'reclaim',
          participant.room,
          participant.peerId,
          connectionId,
          this.nodeId,
          participant.name,
          participant.polite ? '1' : '0',
          keyHash,
          String(this.#options.capacity),
          String(ROOM_TTL_SECONDS),
        ]);
      }
    }
  }

  /** Runs one operation of the room script, and delivers the notices it produced. */
  async #run(args: string[]): Promise<ScriptAnswer> {
    const argv = [args[0]!, this.#prefix, ...args.slice(1)];
    let raw: unknown;
    try {
      this.#sha ??= (await this.#command(['SCRIPT', 'LOAD', ROOM_SCRIPT])) as string;
      raw = await this.#command(['EVALSHA', this.#sha, '0', ...argv]);
    } catch (error) {
      // Redis restarted without its scripts: load it again once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.#sha = (await this.#command(['SCRIPT', 'LOAD', ROOM_SCRIPT])) as string;
      raw = await this.#command(['EVALSHA', this.#sha, '0', ...argv]);
    }
    const answer = JSON.parse(String(raw)) as ScriptAnswer;
    for (const [connectionId, event, message] of list(answer.notices)) {
      this.#options.listener.deliver(connectionId, { event, message } as RoomNotice);
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
      throw error;
    }
  }

  #roomKey(room: string): string {
    return `${this.#prefix}room:${room}`;
  }
}
