import type { CallQuality } from '../media/call-stats.js';
import type { MediaKind } from '../media/local-media.js';
import type { JoinData, JoinRequest, OfferInit, PeerInfo, PeerJoinedMessage, SignalMessage } from '../protocol.js';
import type { CallSession } from '../session/call-session.js';
import { RECOVERY_POLICY } from '../session/recovery-policy.js';
import type { SignalingClient, SignalingHandlers } from '../signaling/signaling-client.js';
import type { CallContext } from './call-context.js';
import { CallError } from './call-state.js';
import { CallConnectedEvent, CallEndedEvent, CallReconnectingEvent, PeerJoinedEvent, PeerLeftEvent, QualityChangeEvent } from './events.js';
import { PeerCall } from './peer-call.js';
import type { PreparedSession } from './prepared-session.js';

/**
 * A call attempt in its room: joining it, waiting alone with a session prepared, meeting the
 * other peer, and what the relay says meanwhile (signals, joins, leaves), including recovery:
 * the rejoin after the relay was away, and the rebuild once ICE gave up. Everything it starts
 * checks `cancelled` after each await: once the attempt is over, nothing resumes.
 */
export class CallRoom implements SignalingHandlers {
  /** The call's quality while connected (refreshed every 2 s), else `null`. */
  quality: CallQuality | null = null;
  /** The call with the other peer, if one is met. */
  peerCall: PeerCall | null = null;
  /** The name of the one who left (`''`: nameless), while waiting for the next; else `null`. */
  left: string | null = null;
  readonly #ctx: CallContext;
  readonly #signaling: SignalingClient;
  readonly #prepared: PreparedSession;
  readonly #cancelled: AbortSignal;
  #request: Omit<JoinRequest, 'peerId' | 'key'> | null = null;
  /** Peer connections rebuilt since the call last connected. */
  #rebuilds = 0;

  constructor(ctx: CallContext, signaling: SignalingClient, prepared: PreparedSession, cancelled: AbortSignal) {
    this.#ctx = ctx;
    this.#signaling = signaling;
    this.#prepared = prepared;
    this.#cancelled = cancelled;
    signaling.route(this);
  }

  /** Joins the room (`request` is kept for a rebuild); resolves once in it, alone or with the peer. */
  join(request: Omit<JoinRequest, 'peerId' | 'key'>): Promise<void> {
    this.#request = request;
    return this.#join();
  }

  /** Sends `track` for `kind` in the call, and in the session prepared for the next one. */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const sending of [this.peerCall?.session, this.#prepared]) {
      sending?.replaceTrack(kind, track).catch((error) => console.warn('p2p-video-call: replaceTrack failed', error));
    }
  }

  /**
   * The call is up once the peer connection is and our camera and microphone are in it (joined
   * early, the connection may be up before they are open): state `connected`, `call-connected`.
   */
  connected(): void {
    const { machine, media } = this.#ctx;
    const call = this.peerCall;
    if (machine.state === 'connected' || call?.session.state !== 'connected' || !media.stream) return;
    call.watchQuality();
    this.#rebuilds = 0;
    // A rebuilt call that works again has the whole policy again.
    call.session.giveUpAfterMs = RECOVERY_POLICY.giveUpAfterMs;
    machine.go('connected');
    this.#ctx.emit(new CallConnectedEvent({ peerId: call.peer.id }));
  }

  /** Closes the call with the peer (the prepared session and the relay connection are the attempt's). */
  close(): void {
    this.#closePeer();
    this.quality = null;
  }

  // What the relay says (SignalingHandlers).

  signal(message: SignalMessage): void {
    const call = this.peerCall;
    // `call?.peer.id === …` would do the same in other bytes, and the bundle's pinned SRI with them.
    // eslint-disable-next-line @typescript-eslint/prefer-optional-chain
    if (call && message.from === call.peer.id) void call.session.receive(message);
  }

  peerJoined(message: PeerJoinedMessage): void {
    // The same participant again (the relay restarted): keep the call.
    if (message.peerId === this.peerCall?.peer.id) return this.peerCall.session.assignRole(message.polite);
    this.#meet(message, message.polite, { offerTaken: message.offerTaken === true });
  }

  peerLeft({ peerId }: { peerId: string }): void {
    if (peerId !== this.peerCall?.peer.id) return;
    this.left = this.peerCall.peer.name;
    this.#closePeer();
    this.#ctx.data.end();
    this.quality = null;
    this.#ctx.emit(new PeerLeftEvent({ peerId }));
    this.#ctx.emit(new CallEndedEvent({ reason: 'peer-left' }));
    this.#wait();
  }

  disconnected(): void {
    const { machine } = this.#ctx;
    if (!machine.in('waiting', 'connecting', 'connected')) return;
    // An established call keeps its media peer to peer: it stays `connected` while the relay
    // is away; everything else waits for the relay.
    if (machine.state !== 'connected') machine.go('reconnecting');
    this.#ctx.emit(new CallReconnectingEvent({ reason: 'signaling-lost' }));
  }

  rejoined(data: JoinData): void {
    const { machine, ice } = this.#ctx;
    ice.useRelay(data.iceServers);
    const session = this.peerCall?.session;
    const peer = data.peers.find((p) => p.peerId === this.peerCall?.peer.id);
    if (session && peer) {
      session.assignRole(data.polite);
      // Messages may have been lost while the relay was away: an unfinished negotiation restarts.
      if (session.state !== 'connected') void session.restartIce('signaling-restored');
    } else if (!session && data.peers[0]) {
      return this.#meetFirst(data);
    }
    if (!session) {
      // Prepared with the old ICE servers: prepare again with the new ones.
      this.#prepared.drop();
      if (machine.in('reconnecting', 'waiting')) return this.#wait();
    }
    if (machine.state === 'reconnecting') machine.go('connecting');
    if (session?.state === 'connected' && machine.state !== 'connected') machine.go('connected');
  }

  rejoinFailed(error: CallError): void {
    this.#ctx.fail(error);
  }

  async #join(): Promise<void> {
    const joined = this.#signaling.join(this.#request!);
    // While the relay answers: the peer connection for a peer already in the room (then we are
    // polite), on the page's ICE servers until the relay's arrive.
    this.#prepared.prepare(true);
    const data = await joined;
    if (this.#over()) return;
    this.#ctx.ice.useRelay(data.iceServers);
    this.#prepared.configure(this.#ctx.ice.configuration);
    if (data.peers[0]) this.#meetFirst(data);
    else this.#wait();
  }

  /** Meets the first peer of a join ack, and answers the offer it left at the relay, if any. */
  #meetFirst(data: JoinData): void {
    this.#meet(data.peers[0], data.polite, { offer: data.offer });
  }

  /** Alone in the room: wait for a peer, with a session prepared for it. */
  #wait(): void {
    this.#ctx.machine.enterWithMedia('waiting', this.#ctx.media.stream !== null);
    // The later joiner is polite, so the one waiting offers: make that offer now.
    this.#prepared.prepare(false);
    void this.#prepared.leaveOffer(this.#cancelled);
  }

  /** A peer is in the room with us: start negotiating with it. */
  #meet(peer: PeerInfo, polite: boolean, joined: { offerTaken?: boolean; offer?: OfferInit | undefined }): void {
    const ctx = this.#ctx;
    this.left = null;
    this.#closePeer();
    let session: CallSession;
    try {
      session = this.#prepared.takeOrMake(polite);
    } catch (error) {
      // RTCPeerConnection throws on a configuration it can't use; this runs in a socket handler.
      return ctx.fail(error);
    }
    // The last resort gets a short try: past it, the call fails.
    if (this.#rebuilds > 0) session.giveUpAfterMs = RECOVERY_POLICY.rebuildGiveUpAfterMs;
    const sessionState = (s: CallSession) => this.#sessionState(s);
    const quality = (sample: CallQuality) => this.#quality(sample);
    this.peerCall = new PeerCall(peer, session, this.#signaling, { emit: ctx.emit, changed: ctx.changed, sessionState, quality }, joined);
    ctx.data.use(session.channel);
    ctx.emit(new PeerJoinedEvent({ peerId: peer.peerId, name: peer.name }));
    // Until the camera is open (joined early), the other side takes ours as on.
    if (ctx.media.stream) session.sendMediaState(ctx.mediaState());
    ctx.machine.enterWithMedia('connecting', ctx.media.stream !== null);
  }

  /** A quality sample: `quality-change` when its level is not the last one's (also across a rebuild). */
  #quality(quality: CallQuality): void {
    const changed = quality.level !== this.quality?.level;
    this.quality = quality;
    if (changed) this.#ctx.emit(new QualityChangeEvent(quality));
    this.#ctx.changed();
  }

  #sessionState(session: CallSession): void {
    if (session !== this.peerCall?.session) return;
    const { state, reason } = session;
    if (state === 'connected') {
      this.connected();
    } else if (state === 'reconnecting') {
      this.#ctx.machine.go('reconnecting');
      this.#ctx.emit(new CallReconnectingEvent({ reason }));
    } else if (state === 'failed' && this.#rebuilds < RECOVERY_POLICY.rebuildLimit && this.#signaling.connected) {
      void this.#rebuild();
    } else if (state === 'failed') {
      const code = reason === 'negotiation-failed' ? 'negotiation-failed' : 'ice-failed';
      this.#ctx.fail(new CallError(code, 'The connection to the other person was lost and could not be restored.'));
    }
  }

  /**
   * The last resort before giving up: ICE restarts did not bring the connection back, so both
   * sides start over with new peer connections. Leaving and joining the room again does that
   * through the ordinary path (the other side sees peer-left, then peer-joined).
   */
  async #rebuild(): Promise<void> {
    this.#rebuilds++;
    this.#closePeer();
    this.#ctx.machine.go('reconnecting');
    this.#ctx.emit(new CallReconnectingEvent({ reason: 'rebuild' }));
    try {
      await this.#signaling.leave();
      if (!this.#over()) await this.#join();
    } catch (error) {
      if (!this.#over()) this.#ctx.fail(error);
    }
  }

  #closePeer(): void {
    this.#ctx.data.use(null);
    this.peerCall?.close();
    this.peerCall = null;
  }

  #over(): boolean {
    return this.#cancelled.aborted;
  }
}
