import type { MediaKind } from '../media/local-media.js';

/**
 * One send-and-receive transceiver per kind, even without a track (no camera, receive-only),
 * so that a camera, a device switch or a shared screen later is a `replaceTrack`, never an
 * offer. The impolite peer creates them; the polite one takes those of the first offer.
 */
export class Transceivers {
  /** Whether they exist (made, or taken from the offer). */
  added = false;
  readonly #pc: RTCPeerConnection;
  readonly #stream: MediaStream | null;
  /** What to send per kind, and the sender it goes out on once negotiated. */
  readonly #tracks: Record<MediaKind, MediaStreamTrack | null>;
  readonly #senders: Partial<Record<MediaKind, RTCRtpSender>> = {};

  /** @param stream - the camera/microphone to send (its first audio and video track), or `null`. */
  constructor(pc: RTCPeerConnection, stream: MediaStream | null) {
    this.#pc = pc;
    this.#stream = stream;
    this.#tracks = { audio: stream?.getAudioTracks()[0] ?? null, video: stream?.getVideoTracks()[0] ?? null };
  }

  /** The sender for `kind`, once negotiated. */
  sender(kind: MediaKind): RTCRtpSender | undefined {
    return this.#senders[kind];
  }

  /** Sends `track` for `kind` from now on; the sender to put it on, if there is one yet. */
  use(kind: MediaKind, track: MediaStreamTrack | null): RTCRtpSender | undefined {
    this.#tracks[kind] = track;
    return this.#senders[kind];
  }

  /** Makes them (impolite, or a polite peer that offers), or takes those of the offer just applied. */
  add(): void {
    if (this.added) return;
    this.added = true;
    const pc = this.#pc;
    const streams = this.#stream ? [this.#stream] : [];
    for (const kind of ['audio', 'video'] as const) {
      const track = this.#tracks[kind];
      const offered = pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.sender.track && t.direction !== 'stopped');
      if (offered && track) {
        this.#senders[kind] = pc.addTrack(track, ...streams); // reuses `offered`, sendrecv
      } else if (offered) {
        offered.direction = 'sendrecv';
        this.#senders[kind] = offered.sender;
      } else {
        this.#senders[kind] = pc.addTransceiver(track ?? kind, { direction: 'sendrecv', streams }).sender;
      }
    }
  }
}
