/**
 * The operations of `room-script.lua`, one typed function each, with named arguments: the only
 * way the Redis room store changes a room. Each call sends the script its context (the key names
 * from `key-schema.ts` and the fixed TTLs from `config/timing.ts`) and the operation's arguments.
 */
import type { PeerInfo } from '../../../src/protocol.js';
import { OFFLINE_TTL_MARGIN_MS, ROOM_TTL_SECONDS, STATS_TTL_SECONDS } from '../../config/timing.js';
import type { RemovalReason, RoomNotice } from '../room-store.js';
import type { RedisKeys } from './key-schema.js';
import { LuaScript, type SendCommand } from './lua-script.js';

const SCRIPT = new LuaScript(new URL('./room-script.lua', import.meta.url));

/** What every operation answers: the notices to deliver and the removals to log. */
export interface ScriptAnswer {
  ok: boolean;
  notices: Array<[string, RoomNotice['event'], RoomNotice['message']]> | Record<string, never>;
  removed: Array<[string, string, RemovalReason]> | Record<string, never>;
}

/** What `join` answers besides. */
export interface JoinAnswer extends ScriptAnswer {
  code?: 'room-full' | 'rejoin-rejected';
  peerId?: string;
  name?: string;
  polite?: boolean;
  peers?: PeerInfo[] | Record<string, never>;
  resumed?: boolean;
  replaced?: string | false;
  /** SDP of the offer the newcomer took. */
  offer?: string;
}

/** What `tick` answers besides. */
export interface TickAnswer extends ScriptAnswer {
  /** This node had been taken for dead (or Redis lost it). */
  revived?: boolean;
}

/** A member as the script stores it (the fields `route` reads). */
export interface StoredMember {
  n: string;
  p: boolean;
  c: string | false;
  d: string;
  kn: Record<string, 1>;
}

/** Lua's cjson writes an empty array as `{}`. */
export const list = <T>(value: T[] | Record<string, never> | undefined): T[] => (Array.isArray(value) ? value : []);

/** The script's operations for the keys under one prefix. */
export class RoomScript {
  readonly #send: SendCommand;
  readonly #context: string;
  readonly #timed: ((operation: string, seconds: number) => void) | undefined;

  /** `timed` is told how long each call took (the relay's metrics). */
  constructor(send: SendCommand, keys: RedisKeys, timed?: (operation: string, seconds: number) => void) {
    this.#send = send;
    this.#timed = timed;
    this.#context = JSON.stringify({
      ...keys.script,
      roomTtlSeconds: ROOM_TTL_SECONDS,
      statsTtlSeconds: STATS_TTL_SECONDS,
      offlineTtlMarginMs: OFFLINE_TTL_MARGIN_MS,
    });
    void SCRIPT.source; // a build without the .lua file fails now, not at the first call
  }

  /** Resume `peerId` when `keyHash` matches, else add a participant (`ownPeerId` unless taken, else `newPeerId`). */
  join(args: {
    room: string;
    peerId: string;
    keyHash: string;
    name: string;
    connectionId: string;
    nodeId: string;
    capacity: number;
    ownPeerId: string;
    newPeerId: string;
  }): Promise<JoinAnswer> {
    return this.#run('join', args);
  }

  /** Leave an offer for the next one to join (only from the member's current connection). */
  offer(args: { room: string; peerId: string; connectionId: string; sdp: string }): Promise<ScriptAnswer> {
    return this.#run('offer', args);
  }

  /** The member leaves now. */
  leave(args: { room: string; peerId: string; connectionId: string }): Promise<ScriptAnswer> {
    return this.#run('leave', args);
  }

  /** The member's connection was lost: offline for `graceMs` (0: removed now). */
  disconnect(args: { room: string; peerId: string; connectionId: string; graceMs: number }): Promise<ScriptAnswer> {
    return this.#run('disconnect', args);
  }

  /** The member's page is going away: its peers told now, offline for `graceMs` (0: removed now). */
  away(args: { room: string; peerId: string; connectionId: string; graceMs: number }): Promise<ScriptAnswer> {
    return this.#run('away', args);
  }

  /** This node's heartbeat, and the sweep of dead nodes and expired members. */
  tick(args: {
    nodeId: string;
    nodeTimeoutMs: number;
    nodeKeysTtlMs: number;
    graceMs: number;
    sweepLimit: number;
    deadNodeLimit: number;
  }): Promise<TickAnswer> {
    return this.#run('tick', args);
  }

  /** A node closing down: its members go offline for `graceMs`. */
  retire(args: { nodeId: string; graceMs: number }): Promise<ScriptAnswer> {
    return this.#run('retire', args);
  }

  /** After Redis was away: put back a member still connected through this node. */
  reclaim(args: {
    room: string;
    peerId: string;
    connectionId: string;
    nodeId: string;
    name: string;
    polite: boolean;
    keyHash: string;
    capacity: number;
  }): Promise<ScriptAnswer> {
    return this.#run('reclaim', args);
  }

  async #run<A extends ScriptAnswer>(operation: string, args: object): Promise<A> {
    const started = performance.now();
    const raw = await SCRIPT.run(this.#send, [], [operation, this.#context, JSON.stringify(args)]);
    this.#timed?.(operation, (performance.now() - started) / 1000);
    return JSON.parse(String(raw)) as A; // the script's own answer (see room-script.lua)
  }
}
