import { ResolutionRamp } from './resolution-ramp.js';
import type { MediaKind } from '../media/local-media.js';
import type { CandidateInit, DescriptionInit, MediaStateInit, OfferInit } from '../protocol.js';

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
  send?(message: SessionMessage): void;
  /** Fresh ICE servers (new TURN credentials) before an ICE restart. */
  refreshIceServers?(): Promise<RTCIceServer[] | null>;
  /**
   * How long negotiation may take before the session restarts ICE (ms). Covers a peer that
   * gathered no candidates after a rollback, and lost signaling messages.
   */
  connectTimeoutMs?: number;
  /** How long `disconnected` may last before it is treated as a failure (ms). */
  disconnectGraceMs?: number;
  /** ICE restarts before giving up (state `failed`). */
  maxRestarts?: number;
}

/**
 * One 1:1 call on one RTCPeerConnection, negotiated with the W3C "Perfect Negotiation"
 * pattern, with trickle ICE and automatic ICE restarts. It knows nothing of the DOM, Lit or
 * the relay: give it a `send` function and feed it the other side's messages with
 * {@link CallSession.receive}. Two sessions wired to each other make a call.
 *
 * Events (plain `Event`s; read the properties): `statechange` (`state`, `reason`),
 * `track` (`remoteStream` gained a track), `remotemedia` (`remoteMedia`).
 *
 * @example
 * ```ts
 * const session = new CallSession({ polite, localStream, send: (m) => channel.post(m) });
 * channel.onmessage = (m) => session.receive(m);
 * session.addEventListener('statechange', () => console.log(session.state));
 * video.srcObject = session.remoteStream;
 * ```
 */
export class CallSession extends EventTarget {
  /** The peer connection. Exposed for stats; do not negotiate on it directly. */
  readonly pc: RTCPeerConnection;
  /** The other peer's audio and video. */
  readonly remoteStream = new MediaStream();
  /** Whether the other peer's microphone and camera are on (and the video a screen), once it told us. */
  remoteMedia: Required<MediaStateInit> | null = null;
  state: SessionState = 'new';
  /** Why the last state change happened (e.g. `ice-failed`, `connect-timeout`). */
  reason = '';
  /** Perfect-negotiation role; the relay may reassign it between negotiations. */
  polite: boolean;

  #options: CallSessionOptions;
  /** Where messages go; `null` while prepared, until {@link CallSession.attach}. */
  #deliver: ((message: SessionMessage) => void) | null;
  /** Messages of a prepared session, until {@link CallSession.attach}. */
  readonly #queue: SessionMessage[] = [];
  /** The SDP handed out by {@link CallSession.completeOffer}. */
  #handedOut: string | null = null;
  #config: RTCConfiguration;
  // W3C webrtc-pc §10.7 "Perfect Negotiation Example" state.
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #tracksAdded = false;
  /** What to send per kind, and the sender it goes out on once negotiated. */
  readonly #tracks: Record<MediaKind, MediaStreamTrack | null>;
  readonly #senders: Partial<Record<MediaKind, RTCRtpSender>> = {};
  #restarts = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The camera's first frames at a width the first bandwidth estimate carries. */
  readonly #ramp = new ResolutionRamp(() => this.#senders.video);

  constructor(options: CallSessionOptions) {
    super();
    this.#options = options;
    this.#deliver = options.send ?? null;
    this.polite = options.polite;
    this.#config = options.configuration ?? {};
    const stream = options.localStream;
    this.#tracks = { audio: stream?.getAudioTracks()[0] ?? null, video: stream?.getVideoTracks()[0] ?? null };
    const pc = (this.pc = new RTCPeerConnection(this.#config));
    pc.onnegotiationneeded = () => void this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) this.#send({ candidate: candidate.toJSON() as CandidateInit });
    };
    pc.ontrack = ({ track }) => {
      this.remoteStream.addTrack(track);
      this.#emit('track');
    };
    pc.onconnectionstatechange = pc.oniceconnectionstatechange = () => this.#onConnectionState();
    // The impolite peer offers first. The polite one adds its tracks when that offer arrives,
    // so both sides don't offer at once at call start (a needless glare; Chromium sometimes
    // gathered no candidates after rolling one back).
    if (!this.polite) this.#addTracks();
    if (options.send) this.#armTimer(options.connectTimeoutMs ?? 8000, 'connect-timeout');
  }

  /**
   * Connects a session prepared without `send` to the other peer: what it has to say so far
   * (its offer, the candidates gathered meanwhile) goes out now, in order, and the connect
   * timeout starts. An impolite session prepared while alone in the room thus has its offer
   * out the moment a peer arrives.
   */
  attach(send: (message: SessionMessage) => void, offerDelivered = false): void {
    this.#deliver = send;
    // The peer already has the offer from completeOffer(): its candidates were in it too.
    const delivered = offerDelivered && this.#handedOut !== null && this.#handedOut === this.pc.localDescription?.sdp;
    for (const message of this.#queue.splice(0)) {
      if (!delivered || !(message.description || message.candidate)) this.#send(message);
    }
    if (!this.#closed()) this.#armTimer(this.#options.connectTimeoutMs ?? 8000, 'connect-timeout');
  }

  /**
   * The offer of a prepared session (impolite, not attached) with all its candidates, once
   * gathering is complete: for the relay to hand to whoever joins next, who can answer at once.
   * Pass `offerDelivered` to {@link CallSession.attach} when the peer got it that way. Resolves
   * `null` if the session is attached or closed first.
   */
  completeOffer(): Promise<OfferInit | null> {
    const pc = this.pc;
    return new Promise((resolve) => {
      const check = (): void => {
        // (Firefox throws on reading a closed connection's description.)
        if (this.#closed() || this.#deliver) return done(null);
        const offer = pc.localDescription;
        if (pc.iceGatheringState === 'complete' && pc.signalingState === 'have-local-offer' && offer?.type === 'offer') {
          done({ type: 'offer', sdp: (this.#handedOut = offer.sdp) });
        }
      };
      const done = (offer: OfferInit | null): void => {
        pc.removeEventListener('icegatheringstatechange', check);
        this.removeEventListener('statechange', check);
        resolve(offer);
      };
      pc.addEventListener('icegatheringstatechange', check);
      this.addEventListener('statechange', check);
      check();
    });
  }

  /** Handles one message from the other peer. Never throws; failures restart ICE. */
  async receive(message: SessionMessage): Promise<void> {
    const pc = this.pc;
    if (this.#closed()) return;
    try {
      const { description, candidate, media, restart } = message;
      if (restart) {
        // The polite peer asks; a restart already under way (an offer out) answers it.
        if (!this.polite && pc.signalingState === 'stable') void this.restartIce('peer-request');
      } else if (media) {
        this.remoteMedia = { audio: media.audio, video: media.video, screen: media.screen ?? false };
        this.#emit('remotemedia');
      } else if (description) {
        const readyForOffer =
          !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        this.#ignoreOffer = !this.polite && offerCollision;
        if (this.#ignoreOffer) return;
        this.#isSettingRemoteAnswerPending = description.type === 'answer';
        await pc.setRemoteDescription(description as RTCSessionDescriptionInit); // implicit rollback
        this.#isSettingRemoteAnswerPending = false;
        if (description.type === 'offer') {
          this.#addTracks(); // reuses the transceivers the offer created
          await pc.setLocalDescription();
          this.#send({ description: pc.localDescription!.toJSON() as DescriptionInit });
          await this.#ramp.hold();
        }
      } else if (candidate) {
        try {
          await pc.addIceCandidate(candidate);
        } catch (error) {
          // Candidates of an offer we ignored are expected to fail.
          if (!this.#ignoreOffer) throw error;
        }
      }
    } catch {
      // A failed negotiation step: start over with an ICE restart rather than get stuck.
      if (!this.#closed()) this.restartIce('negotiation-failed');
    }
  }

  /**
   * Sends `track` instead of what this side sent for `kind` (another camera, the screen, or
   * `null` for nothing), with `RTCRtpSender.replaceTrack`: no renegotiation, since both sides
   * negotiated a send-and-receive transceiver per kind at call start.
   */
  async replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    this.#tracks[kind] = track;
    const sender = this.#senders[kind];
    if (!sender || this.#closed()) return;
    await sender.replaceTrack(track);
    // A camera that arrives before the call is up starts small too.
    if (kind === 'video') await this.#ramp.hold();
  }

  /** Tells the other peer whether our microphone and camera are on. */
  sendMediaState(media: MediaStateInit): void {
    this.#send({ media });
  }

  /**
   * Restarts ICE with fresh ICE servers (new TURN credentials), counting attempts; past
   * `maxRestarts` the session fails. Perfect negotiation carries the restart offer.
   *
   * On an established call the polite peer does not offer: it asks the impolite peer to
   * restart instead, so two peers that notice the same failure don't both offer. That glare
   * would be resolved by perfect negotiation, but in Chromium (seen in 156) the peer that rolls
   * back its own offer stops rendering the remote video for good (frames are still decoded).
   */
  async restartIce(reason: string): Promise<void> {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (++this.#restarts > (this.#options.maxRestarts ?? 3)) {
      this.#setState('failed', reason);
      this.#clearTimer();
      return;
    }
    // A restart asked for while media still flows (glare, lost messages) is not an outage.
    if (this.state === 'connected' && !this.#transportUp()) this.#setState('reconnecting', reason);
    // Backoff: 4 s, 6 s, 8 s between attempts; with the 2 s grace, a session gives up ≈ 20 s
    // after the connection dropped.
    this.#armTimer(2000 + 2000 * this.#restarts, reason);
    try {
      const iceServers = await this.#options.refreshIceServers?.();
      if (iceServers && !this.#closed()) this.setIceServers(iceServers);
    } catch {
      // Keep the old servers; the restart may still work (host candidates, old credentials).
    }
    if (this.#closed()) return;
    if (this.polite && this.pc.remoteDescription) return this.#send({ restart: true });
    // A polite peer whose first offer never came offers itself now.
    this.#addTracks();
    this.pc.restartIce();
  }

  /** Uses these ICE servers from the next gathering on (an ICE restart, or the first offer). */
  setIceServers(iceServers: RTCIceServer[]): void {
    this.setConfiguration({ ...this.#config, iceServers });
  }

  /** Uses this configuration (ICE servers, transport policy) from the next gathering on. */
  setConfiguration(configuration: RTCConfiguration): void {
    // Unchanged (a prepared session, no TURN): spare the browser the work.
    if (JSON.stringify(configuration) === JSON.stringify(this.#config)) return;
    this.#config = configuration;
    this.pc.setConfiguration(configuration);
  }

  /** Closes the peer connection. The local stream is the caller's to stop. */
  close(): void {
    if (this.state === 'closed') return;
    this.#clearTimer();
    this.#ramp.stop();
    this.pc.close();
    this.#setState('closed', 'closed');
  }

  // A method, not a comparison, so TypeScript doesn't narrow `state` across awaits.
  #closed(): boolean {
    return this.state === 'closed';
  }

  /**
   * One send-and-receive transceiver per kind, even without a track (no camera, receive-only),
   * so that a camera, a device switch or a shared screen later is a `replaceTrack`, never an
   * offer. The impolite peer creates them; the polite one takes those of the first offer.
   */
  #addTracks(): void {
    if (this.#tracksAdded) return;
    this.#tracksAdded = true;
    const streams = this.#options.localStream ? [this.#options.localStream] : [];
    for (const kind of ['audio', 'video'] as const) {
      const track = this.#tracks[kind];
      const offered = this.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.sender.track && t.direction !== 'stopped');
      if (offered && track) {
        this.#senders[kind] = this.pc.addTrack(track, ...streams); // reuses `offered`, sendrecv
      } else if (offered) {
        offered.direction = 'sendrecv';
        this.#senders[kind] = offered.sender;
      } else {
        this.#senders[kind] = this.pc.addTransceiver(track ?? kind, { direction: 'sendrecv', streams }).sender;
      }
    }
  }

  async #negotiate(): Promise<void> {
    const pc = this.pc;
    // Before the first offer arrives, the polite peer has nothing of its own to negotiate.
    if (this.polite && !pc.remoteDescription && !this.#tracksAdded) return;
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      this.#send({ description: pc.localDescription!.toJSON() as DescriptionInit });
      await this.#ramp.hold();
    } catch {
      if (!this.#closed()) this.restartIce('negotiation-failed');
    } finally {
      this.#makingOffer = false;
    }
  }

  /** The connection state; Firefox before 113 has only iceConnectionState, which says enough. */
  #connectionState(): string {
    const ice = this.pc.iceConnectionState;
    return this.pc.connectionState ?? (ice === 'completed' ? 'connected' : ice);
  }

  #transportUp(): boolean {
    return this.#connectionState() === 'connected';
  }

  #onConnectionState(): void {
    const state = this.#connectionState();
    if (this.state === 'closed') return;
    if (state === 'connected') {
      this.#restarts = 0;
      this.#clearTimer();
      this.#ramp.connected();
      this.#setState('connected', '');
    } else if (state === 'failed') {
      this.restartIce('ice-failed');
    } else if (state === 'disconnected') {
      // Often transient (a Wi-Fi hiccup): give it a moment before restarting.
      this.#armTimer(this.#options.disconnectGraceMs ?? 2000, 'ice-disconnected');
    } else if (this.state === 'new') {
      this.#setState('connecting', '');
    }
  }

  /**
   * One timer: if the transport is not up when it fires, restart ICE. (An ICE restart on a
   * working transport may never change connectionState, so the state is read, not awaited.)
   */
  #armTimer(ms: number, reason: string): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#transportUp()) this.#onConnectionState();
      else void this.restartIce(reason);
    }, ms);
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #send(message: SessionMessage): void {
    if (this.state === 'closed') return;
    if (!this.#deliver) return void this.#queue.push(message);
    try {
      this.#deliver(message);
    } catch {
      // The channel is gone; the timers will restart ICE once it is back.
    }
  }

  #setState(state: SessionState, reason: string): void {
    if (state === this.state) return;
    this.state = state;
    this.reason = reason;
    this.#emit('statechange');
  }

  #emit(type: string): void {
    this.dispatchEvent(new Event(type));
  }
}
