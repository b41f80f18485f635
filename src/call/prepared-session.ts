import type { LocalMedia, MediaKind } from '../media/local-media.js';
import { CallSession } from '../session/call-session.js';
import type { SignalingClient } from '../signaling/signaling-client.js';
import type { IceConfiguration } from './ice-configuration.js';

/**
 * The next call's session, made before the peer is known, to take the setup off the time to
 * connect: while alone in the room it is impolite, with its offer made and its candidates
 * gathered, and that offer is parked at the relay for whoever joins next
 * ({@link PreparedSession.leaveOffer}); while joining it is polite, ready for the offer of a
 * peer already there.
 */
export class PreparedSession {
  #session: CallSession | null = null;
  readonly #media: LocalMedia;
  readonly #ice: IceConfiguration;
  readonly #signaling: SignalingClient;

  /** Sessions send what `media` holds, on the servers of `ice`, refreshed through `signaling`. */
  constructor(media: LocalMedia, ice: IceConfiguration, signaling: SignalingClient) {
    this.#media = media;
    this.#ice = ice;
    this.#signaling = signaling;
  }

  /** Makes the session for a call in which this side is `polite`, unless it is made already. */
  prepare(polite: boolean): void {
    if (this.#session?.polite === polite) return;
    this.drop();
    try {
      this.#session = this.#make(polite);
    } catch {
      // Safe to leave unprepared: the configuration is unusable, and making the call's own
      // session (takeOrMake, when a peer comes) throws the same error, which fails the call.
    }
  }

  /** The session, if it fits a call in which this side is `polite` (it is then the caller's); else closes it. */
  take(polite: boolean): CallSession | null {
    const session = this.#session;
    if (session?.polite !== polite || (session.state !== 'new' && session.state !== 'connecting')) return this.drop();
    this.#session = null;
    return session;
  }

  /**
   * The prepared session if it fits (see {@link PreparedSession.take}), else a new one. Throws
   * what RTCPeerConnection throws on a configuration it can't use.
   */
  takeOrMake(polite: boolean): CallSession {
    return this.take(polite) ?? this.#make(polite);
  }

  /** Closes the session, if any. */
  drop(): null {
    this.#session?.close();
    return (this.#session = null);
  }

  /** Uses this configuration (the relay's ICE servers arrived). */
  configure(configuration: RTCConfiguration): void {
    this.#session?.setConfiguration(configuration);
  }

  /** Sends `track` for `kind` (the camera opened or changed). */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    return this.#session?.replaceTrack(kind, track) ?? Promise.resolve();
  }

  #make(polite: boolean): CallSession {
    const media = this.#media;
    const tracks = [media.track('audio'), media.track('video')].filter((t) => t !== null);
    return new CallSession({
      polite,
      localStream: media.stream && new MediaStream(tracks),
      configuration: this.#ice.configuration,
      refreshIceServers: (turnFailed) => this.#ice.renew(this.#signaling, turnFailed),
    });
  }

  /**
   * Leaves the impolite session's offer, with its candidates, at the relay: whoever joins next
   * gets it in its join ack and answers at once, one relay round trip sooner than if it waited.
   */
  async leaveOffer(cancelled: AbortSignal): Promise<void> {
    const session = this.#session;
    const offer = session && !session.polite ? await session.completeOffer() : null;
    // Still the one prepared for the next peer (joined early, the call may still be joining).
    if (offer && session === this.#session && !cancelled.aborted) this.#signaling.offer(offer);
  }
}
