// The one way tests and benchmarks run a relay whose clients are all on this machine. Every such
// client comes from 127.0.0.1, which the per-address limits would count as one visitor, so the
// limits are lifted (server/limits/limits.test.ts tests the limits themselves): in process with
// `loopbackRelayOptions` / `startRelayNodes`, in a spawned relay process with
// LOOPBACK_CLIENTS_ENV (test/support/processes.mjs, built from LOOPBACK_LIMITS below).

/** The per-address limits, lifted. */
export const LOOPBACK_LIMITS = Object.freeze({ connectionsPerAddress: 1_000_000, joinsPerAddressPerMinute: 1_000_000 });

/**
 * Options for an in-process relay: silent, with the per-address limits lifted unless `options`
 * sets them.
 *
 * @template {{ limits?: object }} O
 * @param {O} [options]
 * @returns {O}
 */
export function loopbackRelayOptions(options) {
  return /** @type {O} */ ({ logger: false, ...options, limits: { ...LOOPBACK_LIMITS, ...options?.limits } });
}

/**
 * Starts relays in this process on free loopback ports: one, or with `redis` two nodes sharing
 * it under `redisPrefix` (clients then alternate between them). Options as loopbackRelayOptions.
 *
 * @param {(options: object) => { listen(port: number, host: string): Promise<{ url: string }> }} createSignalingServer
 * @param {object} [options]
 * @param {{ redis?: string, redisPrefix?: string }} [placement]
 */
export async function startRelayNodes(createSignalingServer, options = {}, { redis, redisPrefix } = {}) {
  const base = loopbackRelayOptions(options);
  const nodes =
    redis === undefined
      ? [createSignalingServer(base)]
      : [createSignalingServer({ ...base, redis, redisPrefix }), createSignalingServer({ ...base, redis, redisPrefix })];
  const urls = await Promise.all(nodes.map(async (node) => (await node.listen(0, '127.0.0.1')).url));
  return { nodes, urls };
}
