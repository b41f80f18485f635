import { RECOVERY_POLICY } from '../session/recovery-policy.js';
import type { SignalingClient } from '../signaling/signaling-client.js';
import { parseIceServers } from './ice-servers.js';

/**
 * The ICE servers of a call: the relay's (with TURN credentials, from the join and from
 * {@link IceConfiguration.refresh}), then the page's own (`ice-servers`), and the transport
 * policy. One object, so every session of a call builds on the same servers.
 */
export class IceConfiguration {
  #relay: RTCIceServer[] = [];
  #page: RTCIceServer[] = [];
  #policy: RTCIceTransportPolicy = 'all';

  /**
   * The page's servers (an array, or the JSON of one) and policy for the next call. Throws a
   * `CallError` `invalid-ice-servers` for JSON that is not a list of ICE servers.
   */
  usePage(iceServers: RTCIceServer[] | string | undefined, policy: RTCIceTransportPolicy = 'all'): void {
    this.#page = typeof iceServers === 'string' ? parseIceServers(iceServers) : (iceServers ?? []);
    this.#policy = policy;
  }

  /** The relay's servers, as its join (or rejoin) answer gave them. */
  useRelay(iceServers: RTCIceServer[]): void {
    this.#relay = iceServers;
  }

  /** What a peer connection is configured with now. */
  get configuration(): RTCConfiguration {
    return { iceServers: [...this.#relay, ...this.#page], iceTransportPolicy: this.#policy };
  }

  /**
   * Before an ICE restart: fresh TURN credentials from the relay when the relay's expire within
   * `turnRenewBeforeExpiryMs` (coturn's REST usernames start with their expiry, in Unix
   * seconds) or `turnFailed` (an allocation failed), and the relay is there to ask; the servers
   * to use then, or `null` to keep those in use. A restart never waits for an absent relay.
   */
  async renew(signaling: SignalingClient, turnFailed: boolean): Promise<RTCIceServer[] | null> {
    const renewBefore = Date.now() + RECOVERY_POLICY.turnRenewBeforeExpiryMs;
    // `<expiry>:<id>`: parseInt reads the expiry; a username without one is NaN, never expiring.
    const expiring = this.#relay.some(({ username }) => parseInt(username ?? '') * 1000 < renewBefore);
    if (!(expiring || turnFailed) || !signaling.connected) return null;
    this.#relay = (await signaling.iceServers()).iceServers;
    return this.configuration.iceServers!;
  }
}
