/**
 * Every timing and retry number of a call in one place, the way LiveKit keeps its reconnect
 * delays in `DefaultReconnectPolicy`: a change of policy is a change of this object.
 */
export interface RecoveryPolicy {
  /** How long negotiation may take before the session restarts ICE (ms). */
  readonly connectTimeoutMs: number;
  /** How long ICE `disconnected` may last before it counts as a failure (ms). */
  readonly disconnectGraceMs: number;
  /**
   * The wait after each ICE restart for the connection to come back before the next one (ms);
   * its length is how many restarts a session tries before it fails.
   */
  readonly restartDelaysMs: readonly number[];
  /** New peer connections (leave and join again) a call tries after its restarts failed. */
  readonly rebuildLimit: number;
  /** How long the relay may take to answer a request (ms). */
  readonly relayAnswerTimeoutMs: number;
  /** Socket.IO's reconnection backoff to the relay: first delay and ceiling (ms). */
  readonly relayReconnectDelayMs: { readonly first: number; readonly max: number };
}

/**
 * The policy in use. With the 2 s grace and restarts 4, 6 and 8 s apart, a session gives up
 * about 20 s after its connection dropped, then the call rebuilds once.
 */
export const RECOVERY_POLICY: RecoveryPolicy = {
  connectTimeoutMs: 8000,
  disconnectGraceMs: 2000,
  restartDelaysMs: [4000, 6000, 8000],
  rebuildLimit: 1,
  relayAnswerTimeoutMs: 10_000,
  relayReconnectDelayMs: { first: 500, max: 4000 },
};
