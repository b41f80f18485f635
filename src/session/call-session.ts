import type { MediaKind } from '../media/local-media.js';
import type { CandidateInit, MediaStateInit, OfferInit } from '../protocol.js';
import { MediaWatch } from './media-watch.js';
import { RECOVERY_POLICY } from './recovery-policy.js';
import { ResolutionRamp } from './resolution-ramp.js';
import { PerfectNegotiation } from './perfect-negotiation.js';
import { RestartSchedule } from './restart-schedule.js';
import { SessionOutbox } from './session-outbox.js';
import type { CallSessionOptions, SessionMessage, SessionState } from './session-types.js';
import { Transceivers } from './transceivers.js';

export type { CallSessionOptions, SessionMessage, SessionState } from './session-types.js';

/**
 * One 1:1 call on one RTCPeerConnection, negotiated with the W3C "Perfect Negotiation"
 * pattern, with trickle ICE, and recovery: it sees media stop within a second (no inbound RTP),
 * says `reconnecting`, and restarts ICE on the schedule of the {@link RECOVERY_POLICY}. It knows nothing of the DOM, Lit or
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
  /**
   * The data channel (messages, chat, files): negotiated in the first offer with a fixed id on
   * both sides, so neither waits for `datachannel`, and it needs no renegotiation; it lasts
   * across ICE restarts.
   */
  readonly channel: RTCDataChannel;
  /** Whether the other peer's microphone and camera are on (and the video a screen), once it told us. */
  remoteMedia: Required<MediaStateInit> | null = null;
  state: SessionState = 'new';
  /** Why the last state change happened (e.g. `media-lost`, `ice-failed`, `connect-timeout`). */
  reason = '';
  /** How long an outage may last before the session fails (ms); a rebuilt call's is shorter. */
  giveUpAfterMs: number;

  #options: CallSessionOptions;
  readonly #connectTimeoutMs: number;
  #polite: boolean;
  readonly #outbox: SessionOutbox;
  #config: RTCConfiguration;
  readonly #negotiation: PerfectNegotiation;
  readonly #transceivers: Transceivers;
  readonly #schedule: RestartSchedule;
  readonly #media: MediaWatch;
  /** A TURN server refused or did not answer since the last restart: renew its credentials. */
  #turnFailed = false;
  /** When our last offer went out (`performance.now()`). */
  #offeredAt = -Infinity;
  /** The camera's first frames at a width the first bandwidth estimate carries. */
  readonly #ramp: ResolutionRamp;

  constructor(options: CallSessionOptions) {
    super();
    this.#options = options;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? RECOVERY_POLICY.connectTimeoutMs;
    this.#outbox = new SessionOutbox(options.send);
    this.giveUpAfterMs = options.giveUpAfterMs ?? RECOVERY_POLICY.giveUpAfterMs;
    this.#schedule = new RestartSchedule(
      () => this.giveUpAfterMs,
      () => void this.#restart(),
      (reason) => this.#fail(reason),
    );
    this.#polite = options.polite;
    this.#config = options.configuration ?? {};
    const pc = (this.pc = new RTCPeerConnection(this.#config));
    const transceivers = (this.#transceivers = new Transceivers(pc, options.localStream ?? null));
    this.#ramp = new ResolutionRamp(() => transceivers.sender('video'));
    this.#negotiation = new PerfectNegotiation(
      pc,
      () => this.polite,
      (description) => this.#send({ description }),
      transceivers,
      this.#ramp,
    );
    pc.onnegotiationneeded = () => void this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) this.#send({ candidate: candidate.toJSON() as CandidateInit });
    };
    pc.ontrack = ({ track }) => {
      this.remoteStream.addTrack(track);
      this.#emit('track');
    };
    pc.onconnectionstatechange = pc.oniceconnectionstatechange = () => this.#onConnectionState();
    pc.onicecandidateerror = ({ url }) => {
      if (/^turns?:/.test(url)) this.#turnFailed = true;
    };
    this.#media = new MediaWatch(pc, (flowing) => this.#onMedia(flowing));
    // The impolite peer offers first. The polite one adds its tracks when that offer arrives,
    // so both sides don't offer at once at call start (a needless glare; Chromium sometimes
    // gathered no candidates after rolling one back).
    if (!this.polite) transceivers.add();
    this.channel = pc.createDataChannel('p2p-video-call', { negotiated: true, id: 0 });
    if (options.send) this.#watchConnect();
  }

  /** Perfect-negotiation role: the polite peer yields in an offer collision. */
  get polite(): boolean {
    return this.#polite;
  }

  /**
   * Takes the role the relay assigned anew (its join answer after a restart may differ): it
   * holds from the next offer on, never in the middle of a negotiation's steps.
   */
  assignRole(polite: boolean): void {
    this.#polite = polite;
  }

  /**
   * Connects a session prepared without `send` to the other peer: what it has to say so far
   * (its offer, the candidates gathered meanwhile) goes out now, in order, and the connect
   * timeout starts. An impolite session prepared while alone in the room thus has its offer
   * out the moment a peer arrives.
   */
  attach(send: (message: SessionMessage) => void, offerDelivered = false): void {
    if (this.#closed()) return;
    this.#outbox.attach(send, offerDelivered ? this.pc.localDescription?.sdp : undefined);
    this.#watchConnect();
  }

  /**
   * The offer of a prepared session (impolite, not attached) with all its candidates, once
   * gathering is complete: for the relay to hand to whoever joins next, who can answer at once.
   * Pass `offerDelivered` to {@link CallSession.attach} when the peer got it that way. Resolves
   * `null` if the session is attached or closed first.
   */
  completeOffer(): Promise<OfferInit | null> {
    return this.#outbox.completeOffer(this.pc, this);
  }

  /** Handles one message from the other peer. Never throws; failures restart ICE. */
  async receive(message: SessionMessage): Promise<void> {
    if (this.#closed()) return;
    try {
      const { description, candidate, media, restart } = message;
      if (restart) {
        // The polite peer asks; an offer of ours made just now answers it (an older unanswered one
        // is made again: see #restart).
        if (!this.polite && !this.#offeredLately()) void this.restartIce('peer-request');
      } else if (media) {
        this.remoteMedia = { audio: media.audio, video: media.video, screen: media.screen ?? false };
        this.#emit('remotemedia');
      } else if (description) {
        await this.#negotiation.takeDescription(description);
      } else if (candidate) {
        await this.#negotiation.takeCandidate(candidate);
      }
    } catch (error) {
      // A failed negotiation step (an SDP the browser refuses, a step out of order): start over
      // with an ICE restart rather than get stuck.
      if (!this.#closed()) this.#negotiationFailed(error);
    }
  }

  /**
   * Sends `track` instead of what this side sent for `kind` (another camera, the screen, or
   * `null` for nothing), with `RTCRtpSender.replaceTrack`: no renegotiation, since both sides
   * negotiated a send-and-receive transceiver per kind at call start.
   */
  async replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const sender = this.#transceivers.use(kind, track);
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
   * Restarts ICE now (the relay is back, the network changed, the other side asked): perfect
   * negotiation carries the restart offer. When the connection is not up, this begins the
   * outage's restart schedule; past its `giveUpAfterMs` the session fails.
   *
   * On an established call the polite peer does not offer: it asks the impolite peer to
   * restart instead, so two peers that notice the same failure don't both offer. That glare
   * would be resolved by perfect negotiation, but in Chromium (seen in 156) the peer that rolls
   * back its own offer stops rendering the remote video for good (frames are still decoded).
   */
  async restartIce(reason: string): Promise<void> {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (!this.#schedule.running && !this.#up()) return this.#outage(reason, 0);
    await this.#restart();
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
    this.#schedule.cancel();
    this.#media.stop();
    this.#ramp.stop();
    this.pc.close();
    this.#setState('closed', 'closed');
  }

  // A method, not a comparison, so TypeScript doesn't narrow `state` across awaits.
  #closed(): boolean {
    return this.state === 'closed';
  }

  /** Whether our last offer went out within the last second: its answer may still come. */
  #offeredLately(): boolean {
    return performance.now() - this.#offeredAt < 1000;
  }

  async #negotiate(): Promise<void> {
    // Before the first offer arrives, the polite peer has nothing of its own to negotiate.
    if (this.polite && !this.pc.remoteDescription && !this.#transceivers.added) return;
    this.#offeredAt = performance.now();
    try {
      await this.#negotiation.makeOffer();
    } catch (error) {
      if (!this.#closed()) this.#negotiationFailed(error);
    }
  }

  /** A negotiation step threw: said in the console with its cause, then an ICE restart. */
  #negotiationFailed(error: unknown): void {
    console.warn('p2p-video-call: negotiation step failed, restarting ICE', error);
    void this.restartIce('negotiation-failed');
  }

  /** The connection state; Firefox before 113 has only iceConnectionState, which says enough. */
  #connectionState(): string {
    const ice = this.pc.iceConnectionState;
    return this.pc.connectionState ?? (ice === 'completed' ? 'connected' : ice);
  }

  /**
   * Whether the call is up: media arriving, once it has; before that, the transport connected.
   * Media decides, not ICE: Firefox's ICE said `connected` again up to 3 s after media flowed.
   */
  #up(): boolean {
    const state = this.#connectionState();
    return this.#media.seen ? !this.#media.lost && state !== 'failed' && state !== 'closed' : state === 'connected';
  }

  /** Negotiation must bring the connection up within the connect timeout, or it counts as an outage. */
  #watchConnect(): void {
    this.#schedule.wait(this.#connectTimeoutMs, () => {
      if (!this.#up()) this.#outage('connect-timeout');
    });
  }

  #onConnectionState(): void {
    const state = this.#connectionState();
    if (this.state === 'closed' || this.state === 'failed') return;
    if (state === 'connected') {
      this.#media.start();
      if (this.#up()) this.#recovered();
    } else if (state === 'failed') {
      // The old path is gone for good: restart now, whatever the schedule said.
      this.#outage('ice-failed', 0);
    } else if (state === 'disconnected') {
      // Often transient (a Wi-Fi hiccup), and media stopping says so sooner; else give it a moment.
      const grace = this.#options.disconnectGraceMs ?? RECOVERY_POLICY.disconnectGraceMs;
      this.#schedule.wait(grace, () => {
        if (!this.#up()) this.#outage('ice-disconnected');
      });
    } else if (this.state === 'new') {
      this.#setState('connecting', '');
    }
  }

  /** Media stopped (`false`: no inbound RTP for `mediaLostAfterMs`) or flows again (`true`). */
  #onMedia(flowing: boolean): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (!flowing) return this.#outage('media-lost', this.#media.relayed ? undefined : RECOVERY_POLICY.directRestartAfterMs);
    // The receiver lost the frames its decoder needed and asks for a key frame; that request may
    // not have got through yet (Chromium waited 3 s to ask again): send one now.
    void this.#ramp.recover();
    if (this.#up()) this.#recovered();
  }

  /** The call is down: `reconnecting` (if it was up), and the restarts of the schedule begin (`after` ms from now). */
  #outage(reason: string, after?: number): void {
    if (this.state === 'connected') this.#setState('reconnecting', reason);
    this.#schedule.begin(reason, after);
  }

  #recovered(): void {
    this.#schedule.reset();
    this.#ramp.connected();
    this.#setState('connected', '');
  }

  /** One ICE restart: fresh TURN credentials first if they are due, then the restart offer. */
  async #restart(): Promise<void> {
    const turnFailed = this.#turnFailed;
    const down = !this.#up();
    this.#turnFailed = false;
    try {
      const iceServers = await this.#options.refreshIceServers?.(turnFailed);
      if (iceServers && !this.#closed()) this.setIceServers(iceServers);
    } catch {
      // Safe to go on: the relay is away or refused (its reconnect brings a rejoin, which
      // restarts an unfinished negotiation); the old servers may still work.
    }
    // Closed, or an outage's restart whose call came back while the relay answered (it may take
    // its answer timeout). A restart asked for on a working call goes on.
    if (this.#closed() || (down && this.#up())) return;
    if (this.polite && this.pc.remoteDescription) return this.#send({ restart: true });
    // A polite peer whose first offer never came offers itself now.
    this.#transceivers.add();
    this.pc.restartIce();
    // An offer of ours unanswered for a while (lost while the relay was away, or the network): a
    // new one, with the new credentials; negotiationneeded waits for `stable`, which may never
    // come. Not sooner: a peer whose messages keep failing would get an offer for each.
    if (this.pc.signalingState === 'have-local-offer' && !this.#offeredLately()) void this.#negotiate();
  }

  #fail(reason: string): void {
    this.#media.stop();
    this.#setState('failed', reason);
  }

  #send(message: SessionMessage): void {
    if (this.state !== 'closed') this.#outbox.send(message);
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
