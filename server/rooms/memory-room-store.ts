/**
 * The default {@link RoomStore}: rooms in this process's memory (`rooms.ts`), for a relay that
 * runs as one process. Always healthy; nothing survives a restart (clients resume with their
 * peer id and key, and the new process takes them back).
 */
import type { OfferInit } from '../../src/protocol.js';
import { Rooms } from './rooms.js';
import type { RoomStore, RoomStoreListener, RoomStoreStats, RoomJoinRequest } from './room-store.js';

/** Options of {@link MemoryRoomStore}. */
export interface MemoryRoomStoreOptions {
  /** Most participants per room, offline ones included. */
  capacity: number;
  /** How long an offline participant keeps its place, in ms. */
  rejoinGraceMs: number;
  listener: RoomStoreListener;
}

/** Rooms in memory, behind the async {@link RoomStore} interface. */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms: Rooms;

  constructor({ capacity, rejoinGraceMs, listener }: MemoryRoomStoreOptions) {
    this.#rooms = new Rooms({
      capacity,
      rejoinGraceMs,
      listener: {
        send: (connectionId, notice) => listener.deliver(connectionId, notice),
        removed: (participant, reason) => listener.removed?.(participant, reason),
      },
    });
  }

  join(request: RoomJoinRequest) {
    return Promise.resolve(this.#rooms.join(request));
  }

  leave(connectionId: string) {
    return Promise.resolve(this.#rooms.leave(connectionId));
  }

  disconnect(connectionId: string) {
    return Promise.resolve(this.#rooms.disconnect(connectionId));
  }

  away(connectionId: string) {
    return Promise.resolve(this.#rooms.away(connectionId));
  }

  setOffer(connectionId: string, offer: OfferInit) {
    return Promise.resolve(this.#rooms.setOffer(connectionId, offer));
  }

  route(connectionId: string, to: string) {
    return Promise.resolve(this.#rooms.route(connectionId, to));
  }

  participantOf(connectionId: string) {
    return this.#rooms.participantOf(connectionId);
  }

  stats(): Promise<RoomStoreStats> {
    return Promise.resolve({ rooms: this.#rooms.roomCount, participants: this.#rooms.participantCount });
  }

  health() {
    return { ok: true } as const;
  }

  close(): Promise<void> {
    this.#rooms.close();
    return Promise.resolve();
  }
}
