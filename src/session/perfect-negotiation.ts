import type { CandidateInit, DescriptionInit } from '../protocol.js';
import type { ResolutionRamp } from './resolution-ramp.js';
import type { Transceivers } from './transceivers.js';

/**
 * The W3C webrtc-pc "Perfect Negotiation Example" (§10.7) on one RTCPeerConnection: both peers
 * run the same code; in an offer collision the impolite peer ignores the other's offer and the
 * polite one rolls its own back (implicitly, in `setRemoteDescription`). The steps may throw
 * (an SDP the browser refuses, a step out of order): the session restarts ICE then.
 */
export class PerfectNegotiation {
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  readonly #pc: RTCPeerConnection;
  readonly #polite: () => boolean;
  readonly #send: (description: DescriptionInit) => void;
  readonly #transceivers: Transceivers;
  readonly #ramp: ResolutionRamp;

  /**
   * @param polite - whether this side is the polite peer now (the relay may reassign it).
   * @param send - delivers our description to the other peer.
   * @param transceivers - answering an offer takes the transceivers it created as ours.
   * @param ramp - holds the camera small after each description of ours.
   */
  constructor(
    pc: RTCPeerConnection,
    polite: () => boolean,
    send: (description: DescriptionInit) => void,
    transceivers: Transceivers,
    ramp: ResolutionRamp,
  ) {
    this.#pc = pc;
    this.#polite = polite;
    this.#send = send;
    this.#transceivers = transceivers;
    this.#ramp = ramp;
  }

  /**
   * `negotiationneeded`, or an ICE restart while our last offer is unanswered (it or its answer
   * was lost): makes and sends our offer (afresh, with the restart asked for). Nothing if an
   * offer is being made right now.
   */
  async makeOffer(): Promise<void> {
    const pc = this.#pc;
    if (this.#makingOffer) return;
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      this.#send(pc.localDescription!.toJSON());
      await this.#ramp.hold();
    } finally {
      this.#makingOffer = false;
    }
  }

  /**
   * The other peer's description: applied (an offer answered), or ignored in a collision we win,
   * or ignored as stale (the answer to an offer we made again, when the newer one was answered).
   */
  async takeDescription(description: DescriptionInit): Promise<void> {
    const pc = this.#pc;
    if (description.type === 'answer' && pc.signalingState === 'stable') return;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite() && offerCollision;
    if (this.#ignoreOffer) return;
    this.#isSettingRemoteAnswerPending = description.type === 'answer';
    await pc.setRemoteDescription(description); // implicit rollback
    this.#isSettingRemoteAnswerPending = false;
    if (description.type === 'offer') {
      this.#transceivers.add(); // reuses the transceivers the offer created
      await pc.setLocalDescription();
      this.#send(pc.localDescription!.toJSON());
      await this.#ramp.hold();
    }
  }

  /** The other peer's candidate; those of an offer we ignored are expected to fail. */
  async takeCandidate(candidate: CandidateInit): Promise<void> {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.#ignoreOffer) throw error;
    }
  }
}
