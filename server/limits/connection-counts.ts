/**
 * The per-address connection counts in Redis, when many nodes share the limits: the two
 * operations of `connection-counts.lua`, over the keys of `rooms/redis/key-schema.ts`.
 */
import { NODE_TIMEOUT_MS, nodeKeysTtlMs } from '../config/timing.js';
import type { RedisKeys } from '../rooms/redis/key-schema.js';
import { LuaScript, type SendCommand } from '../rooms/redis/lua-script.js';

const SCRIPT = new LuaScript(new URL('./connection-counts.lua', import.meta.url));

/** How long a node's counts outlive a heartbeat it missed (its sweep removes them first). */
const COUNTS_TTL_MS = nodeKeysTtlMs(NODE_TIMEOUT_MS);

/** This node's counts, and the sum over all live nodes. */
export class ConnectionCounts {
  readonly #send: SendCommand;
  readonly #keys: RedisKeys;
  readonly #nodeId: string;

  constructor(send: SendCommand, keys: RedisKeys, nodeId: string) {
    this.#send = send;
    this.#keys = keys;
    this.#nodeId = nodeId;
    void SCRIPT.source; // a build without the .lua file fails now, not at the first connection
  }

  /** Records a connection opened (1) or closed (-1) through this node. */
  async count(address: string, by: 1 | -1): Promise<void> {
    await SCRIPT.run(this.#send, [this.#keys.conns(this.#nodeId)], ['count', address, String(by), String(COUNTS_TTL_MS)]);
  }

  /** Open connections from `address` over all live nodes. */
  async sum(address: string): Promise<number> {
    return Number(await SCRIPT.run(this.#send, [this.#keys.nodes], ['sum', this.#keys.script.conns, address]));
  }
}
