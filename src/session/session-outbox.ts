import type { OfferInit } from '../protocol.js';
import type { SessionMessage, SessionState } from './session-types.js';

/**
 * Where a session's messages go. A session prepared before there is another peer has nowhere
 * to send them yet: they wait here, in order, until {@link SessionOutbox.attach}.
 */
export class SessionOutbox {
  #deliver: ((message: SessionMessage) => void) | null;
  readonly #queue: SessionMessage[] = [];
  /** The SDP handed out with all its candidates (see `CallSession.completeOffer`). */
  #handedOut: string | null = null;

  constructor(deliver?: (message: SessionMessage) => void) {
    this.#deliver = deliver ?? null;
  }

  /** Whether messages go out (rather than wait). */
  get attached(): boolean {
    return this.#deliver !== null;
  }

  /**
   * Sends from now on through `deliver`, first what waited. `delivered`: the SDP of the current
   * offer when the peer already has it (handed out with its candidates), so those are not sent again.
   */
  attach(deliver: (message: SessionMessage) => void, delivered?: string): void {
    this.#deliver = deliver;
    const handedOut = delivered !== undefined && this.#handedOut !== null && this.#handedOut === delivered;
    for (const message of this.#queue.splice(0)) {
      if (!handedOut || !(message.description || message.candidate)) this.send(message);
    }
  }

  /**
   * The offer of `pc` with all its candidates, once gathering is complete (see
   * `CallSession.completeOffer`); `null` if the outbox is attached or the session closed first.
   */
  completeOffer(pc: RTCPeerConnection, session: EventTarget & { readonly state: SessionState }): Promise<OfferInit | null> {
    return new Promise((resolve) => {
      const check = (): void => {
        // (Firefox throws on reading a closed connection's description.)
        if (session.state === 'closed' || this.attached) return done(null);
        const offer = pc.localDescription;
        if (pc.iceGatheringState === 'complete' && pc.signalingState === 'have-local-offer' && offer?.type === 'offer') {
          done({ type: 'offer', sdp: (this.#handedOut = offer.sdp) });
        }
      };
      const done = (offer: OfferInit | null): void => {
        pc.removeEventListener('icegatheringstatechange', check);
        session.removeEventListener('statechange', check);
        resolve(offer);
      };
      pc.addEventListener('icegatheringstatechange', check);
      session.addEventListener('statechange', check);
      check();
    });
  }

  send(message: SessionMessage): void {
    if (!this.#deliver) return void this.#queue.push(message);
    try {
      this.#deliver(message);
    } catch (error) {
      // The channel is gone; the session's timers restart ICE once it is back.
      console.warn('p2p-video-call: message not sent', error);
    }
  }
}
