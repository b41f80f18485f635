/** The per-address limits, lifted (every test and benchmark client comes from 127.0.0.1). */
export const LOOPBACK_LIMITS: Readonly<{ connectionsPerAddress: number; joinsPerAddressPerMinute: number }>;
/** Options for an in-process relay: silent, the per-address limits lifted unless `options` sets them. */
export function loopbackRelayOptions<O extends { limits?: object }>(options?: O): O;
/** Relays in this process on free loopback ports: one, or two sharing `redis` under `redisPrefix`. */
export function startRelayNodes<O, S extends { listen(port: number, host: string): Promise<{ url: string }> }>(
  createSignalingServer: (options: O) => S,
  options?: NoInfer<O>,
  placement?: { redis?: string; redisPrefix?: string },
): Promise<{ nodes: S[]; urls: string[] }>;
