/** Packet faults on loopback, with nftables, inside the loopback-only namespace. */
export interface NetworkFaults {
  /** The rules in place now, as nft reads them. */
  readonly rules: string[];
  /** Drops every UDP packet: media, STUN, TURN over UDP. */
  dropUdp(): Promise<void>;
  /** Drops TCP to and from `port` (the relay's, or coturn's TCP listener). */
  dropTcpPort(port: number): Promise<void>;
  /** Drops a random `percent` % of UDP packets. */
  loss(percent: number): Promise<void>;
  /**
   * Caps UDP at `kbitPerSecond` with a short queue (a slow link: delay grows, then packets drop):
   * all of it together (both directions, feedback included), or what is sent from `fromPort`
   * (one visitor's uplink: the local port of its candidate pair). One instance at a time caps.
   */
  rateCap(kbitPerSecond: number, options?: { fromPort?: number }): Promise<void>;
  /** Removes every rule of this instance (safe to call again). */
  heal(): Promise<void>;
  /** The same as heal(), for `t.after(() => net.close())`. */
  close(): Promise<void>;
}

/** A fault injector with an nftables table of its own; throws outside the loopback-only namespace. */
export function networkFaults(): Promise<NetworkFaults>;
