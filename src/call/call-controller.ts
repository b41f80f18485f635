import { CallSession } from '../session/call-session.js';
import { CallStatsMonitor, type CallQuality } from '../media/call-stats.js';
import { CallError, type CallState } from './call-state.js';
import { DeviceList, type DeviceInfo } from '../media/devices.js';
import {
  CallConnectedEvent,
  CallEndedEvent,
  CallErrorEvent,
  CallReconnectingEvent,
  CallStateChangeEvent,
  DeviceChangeEvent,
  DevicesChangeEvent,
  MediaErrorEvent,
  MediaReadyEvent,
  PeerJoinedEvent,
  PeerLeftEvent,
  QualityChangeEvent,
  RemoteMediaChangeEvent,
  ScreenShareChangeEvent,
} from './events.js';
import { DEVICE_OF, LocalMedia, type MediaKind } from '../media/local-media.js';
import type { JoinData, MediaStateInit, OfferInit, PeerInfo } from '../protocol.js';
import { SignalingClient } from '../signaling/signaling-client.js';
import { parseIceServers } from './ice-servers.js';
import type { Failure } from '../i18n/status-text.js';

/** What a call needs to start. */
export interface CallOptions {
  room: string;
  /** URL of the relay. */
  signaling: string;
  name?: string;
  token?: string;
  /** ICE servers used in addition to the relay's: an array, or the JSON of one. */
  iceServers?: RTCIceServer[] | string;
  /** `'relay'` sends media only through TURN (hides IP addresses from the other peer). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  muted?: boolean;
  cameraOff?: boolean;
}

/**
 * Runs one call from camera to hang-up: {@link LocalMedia} → relay → {@link CallSession}
 * (watched by a {@link CallStatsMonitor}), and turns what happens into the states and events
 * of `<p2p-video-call>`, dispatched on `target`. Framework-free: the element is a view over
 * it, and a page can drive it directly.
 *
 * @example
 * ```ts
 * const call = new CallController(document.body, () => render(call));
 * await call.start({ room: 'support-4711', signaling: 'https://relay.example.com' });
 * ```
 */
export class CallController {
  state: CallState = 'idle';
  remoteStream: MediaStream | null = null;
  peer: { id: string; name: string } | null = null;
  /** The other peer's microphone/camera/screen, once known. */
  remoteMedia: Required<MediaStateInit> | null = null;
  /** The call's quality while connected (refreshed every 2 s), else `null`. */
  quality: CallQuality | null = null;
  /** The last failure (`failed` state): its code, and the camera/microphone error's name. */
  failure: Failure | null = null;

  readonly #target: EventTarget;
  readonly #onChange: () => void;
  readonly #devices = new DeviceList();
  readonly #media: LocalMedia;
  #stats: CallStatsMonitor | null = null;
  #options: CallOptions | null = null;
  #signaling: SignalingClient | null = null;
  #session: CallSession | null = null;
  /**
   * The next call's session, made before the peer is known: while alone in the room, with its
   * offer made and its candidates gathered (saves the whole offer step from the time to
   * connect); while joining, polite, ready for the offer of a peer already there.
   */
  #spare: CallSession | null = null;
  /** The relay's ICE servers (with TURN credentials), then the page's own. */
  #iceServers: RTCIceServer[] = [];
  #pageIceServers: RTCIceServer[] = [];
  // Bumped by every start/teardown: async results of an older run are dropped.
  #run = 0;
  /** The state to enter once the camera is open (see {@link #enter}). */
  #afterMedia: 'waiting' | 'connecting' | null = null;
  /** Peer connections rebuilt since the call last connected. */
  #rebuilds = 0;

  constructor(target: EventTarget, onChange: () => void = () => {}) {
    this.#target = target;
    this.#onChange = onChange;
    this.#devices.addEventListener('change', () => {
      this.#emit(new DevicesChangeEvent({ devices: this.devices }));
      onChange();
    });
    this.#media = new LocalMedia(this.#devices, {
      trackChange: (kind, track) => {
        this.#replaceTrack(kind, track);
        this.#applyMediaState();
      },
      deviceChange: (kind, deviceId, label) => {
        this.#emit(new DeviceChangeEvent({ kind: DEVICE_OF[kind], deviceId, label }));
        this.#applyMediaState();
      },
      screenChange: (sharing) => {
        this.#emit(new ScreenShareChangeEvent({ sharing }));
        this.#applyMediaState();
      },
      error: ({ name, message }) => this.#emit(new MediaErrorEvent({ name, message })),
    });
  }

  /** Camera and microphone (not the screen), while held. */
  get localStream(): MediaStream | null {
    return this.#media.stream;
  }

  /** Cameras, microphones and speakers (labels once permission was granted). */
  get devices(): DeviceInfo[] {
    return this.#devices.devices;
  }

  /** The device id in use per kind (`''`: none or unknown). */
  deviceInUse(kind: MediaKind): string {
    return this.#media.own(kind)?.getSettings().deviceId ?? '';
  }

  /** Whether the screen is being shared. */
  get screenSharing(): boolean {
    return this.#media.screen !== null;
  }

  /** The peer connection of the current call, if any (for stats and tests). */
  get peerConnection(): RTCPeerConnection | null {
    return this.#session?.pc ?? null;
  }

  /**
   * Starts (or restarts) the call: camera and microphone, then the room; both at once when the
   * browser needs no one's permission for the camera (open already, or allowed before: the
   * states skip `requesting-media`). Never rejects: failures become `media-error`/`call-error`
   * events and the `failed` state.
   */
  async start(options: CallOptions): Promise<void> {
    // A relay connection opened by preview() is kept, and the session it prepared: joining is
    // then one message.
    const warm = this.state === 'previewing' && this.#signaling?.url === options.signaling ? this.#signaling : null;
    const spare = warm && this.#spare;
    if (warm) this.#signaling = this.#spare = null; // not closed by the teardown
    // The camera stays if it is open (preview, or a new room): no second permission prompt.
    this.#teardown(false);
    this.#spare = spare || null;
    const run = this.#run;
    this.#rebuilds = 0;
    this.#options = options;
    this.failure = null;
    try {
      const { iceServers } = options;
      this.#pageIceServers = typeof iceServers === 'string' ? parseIceServers(iceServers) : (iceServers ?? []);
    } catch (error) {
      return this.#fail(error);
    }
    if (options.muted !== undefined) this.#media.setEnabled('audio', !options.muted);
    if (options.cameraOff !== undefined) this.#media.setEnabled('video', !options.cameraOff);
    // Connect to the relay while the camera opens. Its handshake waits until we know whether
    // to join at once: then the join goes in it (a round trip less).
    const signaling = (this.#signaling = warm ?? this.#newSignaling(options.signaling));
    let decided!: () => void;
    signaling.holdHandshake(new Promise((resolve) => (decided = resolve)));
    const connected = signaling.connect();
    connected.catch(() => {}); // reported below, after the media outcome
    const opened = this.#openMedia(run);
    // A camera that is open, or was allowed before, asks the person nothing: join while it
    // starts (a real one takes 0.3–1 s), and send its tracks once they exist. Otherwise the
    // person decides first (that may take seconds), and a refusal never reaches the room.
    if (!this.#media.stream && !(await this.#media.permitted())) {
      decided();
      if (run !== this.#run) return;
      this.#setState('requesting-media');
      if (!(await opened)) return;
    }
    if (run !== this.#run) return decided();
    this.#setState('joining');

    try {
      const joined = this.#join(run);
      decided();
      joined.catch(() => {}); // a connection that failed is reported as such, first
      await connected;
      await joined;
    } catch (error) {
      if (run === this.#run) this.#fail(error);
    }
  }

  /** A relay client whose messages drive this controller (not connected yet). */
  #newSignaling(url: string): SignalingClient {
    return new SignalingClient(url, {
      signal: (m) => {
        if (m.from === this.peer?.id) void this.#session?.receive(m);
      },
      peerJoined: (m) => {
        if (m.peerId === this.peer?.id && this.#session) {
          // The same participant again (the relay restarted): keep the call.
          this.#session.polite = m.polite;
          return;
        }
        this.#meet(m, m.polite, m.offerTaken === true);
      },
      peerLeft: ({ peerId }) => {
        if (peerId === this.peer?.id) this.#peerLeft(peerId);
      },
      disconnected: () => this.#signalingLost(),
      rejoined: (data) => this.#rejoined(data),
      rejoinFailed: (error) => this.#fail(error),
    });
  }

  /**
   * Shows the camera and lists the devices before joining (state `previewing`); `start()` then
   * sends that stream. Never rejects. Does nothing while a call is under way.
   *
   * @param signaling - the relay's URL: connects to it meanwhile (without joining), so that
   *   `start()` with the same URL only has to join. A relay that can't be reached is reported
   *   by `start()`.
   */
  async preview(signaling?: string): Promise<void> {
    if (!['idle', 'ended', 'failed'].includes(this.state)) return;
    this.#teardown(false);
    const run = this.#run;
    this.failure = null;
    this.#setState('previewing');
    if (signaling) {
      this.#signaling = this.#newSignaling(signaling);
      this.#signaling.connect().catch(() => {});
    }
    // With the camera open, the session for joining a peer who is there already (start() gives
    // it the call's configuration).
    if (await this.#openMedia(run)) this.#prepare(true);
  }

  /**
   * Opens camera and microphone (once). A missing device is reported (`media-error`) and the
   * call goes on with the others; anything else that leaves nothing to send fails the call.
   */
  async #openMedia(run: number): Promise<boolean> {
    const fresh = !this.#media.stream;
    void this.#devices.watch();
    try {
      await this.#media.open();
    } catch (error) {
      if (run !== this.#run) return false;
      const { name = 'Error', message = '' } = error as DOMException;
      const denied = name === 'NotAllowedError' || name === 'SecurityError';
      // The status says it in the element's language; the event carries the browser's words.
      this.#fail(new CallError('media-denied', `${name}: ${message}`), new MediaErrorEvent({ name, message }), denied, name);
      return false;
    }
    if (run !== this.#run) return false;
    // Sessions made while it opened (joined early) send it from now on.
    if (fresh) for (const kind of ['audio', 'video'] as const) this.#replaceTrack(kind, this.#media.track(kind));
    this.#applyMediaState();
    if (fresh) this.#emit(new MediaReadyEvent({ stream: this.#media.stream! }));
    if (this.#afterMedia) this.#setState(this.#afterMedia);
    this.#connected();
    return true;
  }

  /** Sends `track` for `kind` in the call, and in the session prepared for the next one. */
  #replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const session of [this.#session, this.#spare]) {
      session?.replaceTrack(kind, track).catch((error) => console.warn('p2p-video-call: replaceTrack failed', error));
    }
  }

  /** Uses another camera or microphone (`''`: the default); mid-call without renegotiating. */
  setDevice(kind: MediaKind, deviceId: string): Promise<void> {
    return this.#media.useDevice(kind, deviceId);
  }

  /** Shares a screen in place of the camera. Never rejects; a cancelled picker is a `media-error`. */
  shareScreen(): Promise<void> {
    return this.#media.shareScreen();
  }

  /** Sends the camera again. */
  stopScreenShare(): void {
    this.#media.stopScreenShare();
  }

  async #join(run: number): Promise<void> {
    const { room, name, token } = this.#options!;
    const joined = this.#signaling!.join({ room, name, token });
    // While the relay answers: the peer connection for a peer already in the room (then we are
    // polite), on the page's ICE servers until the relay's arrive.
    this.#prepare(true);
    const data = await joined;
    if (run !== this.#run) return;
    this.#iceServers = data.iceServers as RTCIceServer[];
    this.#spare?.setConfiguration(this.#configuration());
    if (data.peers[0]) this.#meetFirst(data);
    else this.#wait();
  }

  /** Meets the first peer of a join ack, and answers the offer it left at the relay, if any. */
  #meetFirst(data: JoinData): void {
    this.#meet(data.peers[0]!, data.polite, false, data.offer);
  }

  /** Alone in the room: wait for a peer, with a session prepared for it. */
  #wait(): void {
    this.#enter('waiting');
    // The later joiner is polite, so the one waiting offers: make that offer now.
    this.#prepare(false);
    void this.#leaveOffer();
  }

  /**
   * Leaves the prepared offer, with its candidates, at the relay: whoever joins next gets it in
   * its join ack and answers at once, one relay round trip sooner than if it waited for it.
   */
  async #leaveOffer(): Promise<void> {
    const spare = this.#spare;
    const signaling = this.#signaling;
    const offer = spare && !spare.polite ? await spare.completeOffer() : null;
    // Still the one prepared for the next peer (joined early, the state may still be `joining`).
    if (offer && spare === this.#spare && signaling === this.#signaling) signaling?.offer(offer);
  }

  /** Prepares the session of the next call ({@link #spare}) in the given role. */
  #prepare(polite: boolean): void {
    if (this.#spare?.polite === polite || !this.#signaling) return;
    this.#dropSpare();
    try {
      this.#spare = this.#newSession(this.#signaling, polite);
    } catch {
      // The configuration is unusable: #meet reports it when a peer arrives.
    }
  }

  /** The prepared session, if it fits a call in which this side is `polite`; closes it otherwise. */
  #takeSpare(polite: boolean): CallSession | null {
    const spare = this.#spare;
    if (spare?.polite !== polite || (spare.state !== 'new' && spare.state !== 'connecting')) return this.#dropSpare();
    this.#spare = null;
    return spare;
  }

  #dropSpare(): null {
    this.#spare?.close();
    return (this.#spare = null);
  }

  #newSession(signaling: SignalingClient, polite: boolean): CallSession {
    const media = this.#media;
    const tracks = [media.track('audio'), media.track('video')].filter((t) => t !== null);
    return new CallSession({
      polite,
      localStream: media.stream && new MediaStream(tracks),
      configuration: this.#configuration(),
      refreshIceServers: async () => {
        this.#iceServers = (await signaling.iceServers()).iceServers as RTCIceServer[];
        return this.#configuration().iceServers!;
      },
    });
  }

  /**
   * The last resort before giving up: ICE restarts did not bring the connection back, so both
   * sides start over with new peer connections. Leaving and joining the room again does that
   * through the ordinary path (the other side sees peer-left, then peer-joined).
   */
  async #rebuild(): Promise<void> {
    const run = this.#run;
    this.#rebuilds++;
    this.#closeSession();
    this.#setState('reconnecting');
    this.#emit(new CallReconnectingEvent({ reason: 'rebuild' }));
    try {
      await this.#signaling!.leave();
      if (run === this.#run) await this.#join(run);
    } catch (error) {
      if (run === this.#run) this.#fail(error);
    }
  }

  /** Hangs up: leaves the room, closes the connection, releases camera and microphone. */
  hangUp(): void {
    if (this.state === 'previewing') this.#setState('idle');
    if (this.state === 'idle' || this.state === 'ended') return this.#teardown();
    this.#teardown();
    this.#setState('ended');
    this.#emit(new CallEndedEvent({ reason: 'hangup' }));
  }

  /** Mutes or unmutes the microphone; the other peer is told. */
  setMuted(muted: boolean): void {
    this.#media.setEnabled('audio', !muted);
    this.#applyMediaState();
  }

  /** Turns the camera off or on; the other peer is told. */
  setCameraOff(cameraOff: boolean): void {
    this.#media.setEnabled('video', !cameraOff);
    this.#applyMediaState();
  }

  #mediaState(): Required<MediaStateInit> {
    const media = this.#media;
    return { audio: media.sending('audio'), video: media.sending('video'), screen: media.screen !== null };
  }

  /** Tells the other peer what it gets from us now, and re-renders. */
  #applyMediaState(): void {
    this.#session?.sendMediaState(this.#mediaState());
    this.#onChange();
  }

  /**
   * A peer is in the room with us: start negotiating with it. `offerTaken`: it took the offer
   * of our prepared session from the relay (see {@link #leaveOffer}), and answers that.
   */
  #meet(peer: PeerInfo, polite: boolean, offerTaken = false, offer?: OfferInit): void {
    const signaling = this.#signaling!;
    this.#closeSession();
    this.peer = { id: peer.peerId, name: peer.name };
    let session: CallSession;
    try {
      session = this.#session = this.#takeSpare(polite) ?? this.#newSession(signaling, polite);
    } catch (error) {
      // RTCPeerConnection throws on a configuration it can't use; this runs in a socket handler.
      return this.#fail(error);
    }
    session.attach(
      (message) =>
        message.candidate
          ? signaling.post({ to: peer.peerId, ...message })
          : void signaling
              .signal({ to: peer.peerId, ...message })
              // Refused (rate-limited, invalid) or unanswered: said in the console; the call's own
              // recovery (ICE restart, rebuild) handles what it breaks.
              .catch((error: CallError) => console.warn('p2p-video-call: message not relayed', error.code, error)),
      offerTaken,
    );
    // Its offer first: the browser applies it while the page hears of the peer.
    if (offer) void session.receive({ description: offer });
    this.#emit(new PeerJoinedEvent({ peerId: peer.peerId, name: peer.name }));
    this.remoteStream = session.remoteStream;
    this.#stats = new CallStatsMonitor(session.pc, (quality) => {
      const changed = quality.level !== this.quality?.level;
      this.quality = quality;
      if (changed) this.#emit(new QualityChangeEvent(quality));
      this.#onChange();
    });
    session.addEventListener('statechange', () => {
      if (session !== this.#session) return;
      const { state, reason } = session;
      if (state === 'connected') {
        this.#connected();
      } else if (state === 'reconnecting') {
        this.#setState('reconnecting');
        this.#emit(new CallReconnectingEvent({ reason }));
      } else if (state === 'failed' && this.#rebuilds < 1 && this.#signaling?.connected) {
        void this.#rebuild();
      } else if (state === 'failed') {
        const code = reason === 'negotiation-failed' ? 'negotiation-failed' : 'ice-failed';
        this.#fail(new CallError(code, 'The connection to the other person was lost and could not be restored.'));
      }
    });
    session.addEventListener('track', () => this.#onChange());
    session.addEventListener('remotemedia', () => {
      const { audio, video, screen } = session.remoteMedia!;
      // Until told otherwise, the other side's microphone and camera count as on.
      const known = this.remoteMedia ?? { audio: true, video: true, screen: false };
      this.remoteMedia = { audio, video, screen };
      if (audio !== known.audio || video !== known.video || screen !== known.screen) {
        this.#emit(new RemoteMediaChangeEvent({ audio, video, screen }));
      }
      this.#onChange();
    });
    // Until the camera is open (joined early), the other side takes ours as on.
    if (this.#media.stream) session.sendMediaState(this.#mediaState());
    this.#enter('connecting');
  }

  /**
   * The call is up once the peer connection is and our camera and microphone are in it (joined
   * early, the connection may be up before they are open): state `connected`, `call-connected`.
   */
  #connected(): void {
    if (this.state === 'connected' || this.#session?.state !== 'connected' || !this.#media.stream || !this.peer) return;
    this.#stats?.start();
    this.#rebuilds = 0;
    this.#setState('connected');
    this.#emit(new CallConnectedEvent({ peerId: this.peer.id }));
  }

  #configuration(): RTCConfiguration {
    const iceTransportPolicy = this.#options?.iceTransportPolicy ?? 'all';
    return { iceServers: [...this.#iceServers, ...this.#pageIceServers], iceTransportPolicy };
  }

  #peerLeft(peerId: string): void {
    const inCall = this.#session !== null;
    this.#closeSession();
    this.quality = null;
    this.#emit(new PeerLeftEvent({ peerId }));
    if (inCall) this.#emit(new CallEndedEvent({ reason: 'peer-left' }));
    this.#wait();
  }

  #signalingLost(): void {
    if (!['waiting', 'connecting', 'connected'].includes(this.state)) return;
    // An established call keeps its media peer to peer: it stays `connected` while the relay
    // is away; everything else waits for the relay.
    if (this.state !== 'connected') this.#setState('reconnecting');
    this.#emit(new CallReconnectingEvent({ reason: 'signaling-lost' }));
  }

  #rejoined(data: JoinData): void {
    this.#iceServers = data.iceServers as RTCIceServer[];
    const session = this.#session;
    const peer = data.peers.find((p) => p.peerId === this.peer?.id);
    if (session && peer) {
      session.polite = data.polite;
      // Messages may have been lost while the relay was away: an unfinished negotiation restarts.
      if (session.state !== 'connected') void session.restartIce('signaling-restored');
    } else if (!session && data.peers[0]) {
      return this.#meetFirst(data);
    }
    if (!session) {
      // Prepared with the old ICE servers: prepare again with the new ones.
      this.#dropSpare();
      if (this.state === 'reconnecting' || this.state === 'waiting') return this.#wait();
    }
    if (this.state === 'reconnecting') this.#setState('connecting');
    if (session?.state === 'connected' && this.state !== 'connected') this.#setState('connected');
  }

  /** Ends the call on an error. A media failure reports `media-error`, and `call-error` only when denied. */
  #fail(cause: unknown, mediaError?: MediaErrorEvent, report = !mediaError, media?: string): void {
    const error =
      cause instanceof CallError ? cause : new CallError('negotiation-failed', 'The call could not be set up in this browser.');
    const inCall = this.#session !== null;
    this.#teardown();
    this.failure = { code: error.code, media };
    this.#setState('failed');
    if (mediaError) this.#emit(mediaError);
    if (report) this.#emit(new CallErrorEvent({ code: error.code, message: error.message }));
    if (inCall) this.#emit(new CallEndedEvent({ reason: 'error' }));
  }

  #closeSession(): void {
    this.#stats?.stop();
    this.#stats = null;
    this.#session?.close();
    this.#session = null;
    this.remoteStream = null;
    this.remoteMedia = null;
    this.peer = null;
  }

  /** Releases the peer connection, the relay connection and (unless kept) camera and microphone. */
  #teardown(releaseMedia = true): void {
    this.#run++;
    this.#closeSession();
    this.#dropSpare();
    this.#signaling?.close();
    this.#signaling = null;
    this.quality = null;
    if (!releaseMedia) return;
    this.#media.close();
    this.#devices.unwatch();
  }

  /**
   * `waiting` or `connecting`; joined while the camera opens, only once it is open, so that the
   * page sees the usual order (camera, then room) and a stream in these states.
   */
  #enter(state: 'waiting' | 'connecting'): void {
    if (this.#media.stream) this.#setState(state);
    else this.#afterMedia = state;
  }

  #setState(state: CallState): void {
    this.#afterMedia = null;
    const previous = this.state;
    if (state === previous) return;
    this.state = state;
    this.#onChange();
    this.#emit(new CallStateChangeEvent({ state, previous }));
  }

  #emit(event: Event): void {
    // dispatchEvent reports a throwing listener to the page and returns: the call goes on.
    this.#target.dispatchEvent(event);
  }
}
