/**
 * Every timing and retry number of a call in one place, the way LiveKit keeps its reconnect
 * delays in `DefaultReconnectPolicy`: a change of policy is a change of this object.
 */
export interface RecoveryPolicy {
  /** How long negotiation may take before the session restarts ICE (ms). */
  readonly connectTimeoutMs: number;
  /** How long ICE `disconnected` may last before it counts as an outage, when no media says so sooner (ms). */
  readonly disconnectGraceMs: number;
  /** How often the session reads its inbound RTP packet count to see media stop (ms). */
  readonly mediaPollMs: number;
  /** How often it reads while media is lost, to see it come back (ms). */
  readonly mediaLostPollMs: number;
  /** No inbound RTP for this long, once some arrived: the media is lost, the call `reconnecting` (ms). */
  readonly mediaLostAfterMs: number;
  /**
   * The waits before the ICE restarts of an outage, each from the one before (the first from the
   * moment the outage is seen), as LiveKit's schedule; after the last, one every {@link restartEveryMs}.
   */
  readonly restartDelaysMs: readonly number[];
  readonly restartEveryMs: number;
  /**
   * On a direct path, how long media may be lost before the restarts begin (ms). Until then the
   * old path comes back by itself the moment the network does (measured: in 10–500 ms after a
   * 1–10 s cut), and a restart meanwhile only disturbs that; Chromium's ICE fails after 30 s
   * (consent expiry), so restarts begin well before. On a TURN path they begin at once: a
   * restarted TURN server has lost the allocation. ICE `failed`, a new network and the relay
   * coming back restart at once on any path.
   */
  readonly directRestartAfterMs: number;
  /**
   * How long a session keeps restarting before it fails (ms): longer than the 30 s after which
   * Chromium's ICE has `failed` (consent expiry), so such an outage recovers without a rebuild.
   */
  readonly giveUpAfterMs: number;
  /** New peer connections (leave and join again) a call tries after its restarts failed. */
  readonly rebuildLimit: number;
  /** How long the session of a rebuild keeps restarting before the call fails (ms). */
  readonly rebuildGiveUpAfterMs: number;
  /** TURN credentials this close to their expiry are renewed before a restart (ms). */
  readonly turnRenewBeforeExpiryMs: number;
  /** How long the relay may take to answer a request (ms). */
  readonly relayAnswerTimeoutMs: number;
  /** Socket.IO's reconnection backoff to the relay: first delay and ceiling (ms). */
  readonly relayReconnectDelayMs: { readonly first: number; readonly max: number };
}

/**
 * The policy in use. Media that stops for 0.6 s says `reconnecting` (within 0.75 s: audio alone
 * sends 50 packets a second, so that is 30 missing in a row); ICE restarts follow
 * (at once on a TURN path, after 15 s on a direct one) 0, 0.3, 1 and 2 s apart, then every 2 s
 * (an offer and its answer each: cheap, and a network back finds a fresh restart within 2 s),
 * until 35 s after the loss; then the call rebuilds once (with 10 s of restarts)
 * before it fails.
 */
export const RECOVERY_POLICY: RecoveryPolicy = {
  connectTimeoutMs: 8000,
  disconnectGraceMs: 2000,
  mediaPollMs: 150,
  mediaLostPollMs: 100,
  mediaLostAfterMs: 600,
  restartDelaysMs: [0, 300, 1000, 2000],
  restartEveryMs: 2000,
  directRestartAfterMs: 15_000,
  giveUpAfterMs: 35_000,
  rebuildLimit: 1,
  rebuildGiveUpAfterMs: 10_000,
  turnRenewBeforeExpiryMs: 60_000,
  relayAnswerTimeoutMs: 10_000,
  relayReconnectDelayMs: { first: 500, max: 4000 },
};
