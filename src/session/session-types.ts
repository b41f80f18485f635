import type { CandidateInit, DescriptionInit, MediaStateInit } from '../protocol.js';
// Imported for the {@link}s of the doc comments below only.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { CallSession } from './call-session.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { RECOVERY_POLICY } from './recovery-policy.js';

/** What a session sends to, and receives from, the other peer (through any channel). */
export interface SessionMessage {
  description?: DescriptionInit;
  candidate?: CandidateInit;
  media?: MediaStateInit;
  /** Asks the impolite peer to restart ICE. */
  restart?: true;
}

/** States of one peer connection as the session sees it. */
export type SessionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** Options of a {@link CallSession}. */
export interface CallSessionOptions {
  /** Perfect-negotiation role: the polite peer yields in an offer collision. */
  polite: boolean;
  /** Configuration of the RTCPeerConnection (ICE servers, transport policy). */
  configuration?: RTCConfiguration;
  /**
   * The camera/microphone stream to send (its first audio and video track); `null` to receive
   * only. Either side can later send something else with {@link CallSession.replaceTrack}.
   */
  localStream?: MediaStream | null;
  /**
   * Delivers a message to the other peer, in order. Omitted: the session is prepared before
   * there is another peer (its offer and candidates wait; see {@link CallSession.attach}).
   */
  send?: (message: SessionMessage) => void;
  /**
   * Fresh ICE servers (new TURN credentials) before an ICE restart, or `null` to keep the ones
   * in use. `turnFailed`: a TURN server refused or did not answer since the last restart.
   */
  refreshIceServers?(turnFailed: boolean): Promise<RTCIceServer[] | null>;
  /**
   * How long negotiation may take before the session restarts ICE (ms). Covers a peer that
   * gathered no candidates after a rollback, and lost signaling messages. Default: the
   * {@link RECOVERY_POLICY}'s, as are the others.
   */
  connectTimeoutMs?: number;
  /** How long `disconnected` may last before it is treated as a failure (ms). */
  disconnectGraceMs?: number;
  /** How long an outage may last, restarting ICE, before the session fails (state `failed`). */
  giveUpAfterMs?: number;
}
