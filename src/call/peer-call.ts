import { CallStatsMonitor, type CallQuality } from '../media/call-stats.js';
import type { MediaStateInit, OfferInit, PeerInfo } from '../protocol.js';
import type { CallSession } from '../session/call-session.js';
import type { SignalingClient } from '../signaling/signaling-client.js';
import type { CallError } from './call-state.js';
import { RemoteMediaChangeEvent } from './events.js';
import { NetworkWatch } from './network-watch.js';

/** What a {@link PeerCall} reports to the call it is part of. */
export interface PeerCallHandlers {
  /** Fires an event of the element. */
  emit(event: Event): void;
  /** Something shown changed (a track, the other side's media). */
  changed(): void;
  /** The session's state changed (see `CallSession.state`). */
  sessionState(session: CallSession): void;
  /** A quality sample, every 2 s once {@link PeerCall.watchQuality} started. */
  quality(quality: CallQuality): void;
}

/**
 * The call with one other peer: the session negotiating with it through the relay, its
 * statistics, and what the other side sends (its stream, whether its microphone and camera
 * are on). Made when the peer is met, closed when it leaves or the connection is rebuilt.
 */
export class PeerCall {
  /** Who the other peer is. */
  readonly peer: { readonly id: string; readonly name: string };
  readonly session: CallSession;
  /** The other peer's microphone/camera/screen, once it told us. */
  remoteMedia: Required<MediaStateInit> | null = null;
  readonly #stats: CallStatsMonitor;
  /** A new network: ICE restarts at once. */
  readonly #network: NetworkWatch;
  #closed = false;

  /**
   * Starts negotiating with `peer` on `session`. `offerTaken`: the peer took our prepared
   * session's offer from the relay and answers that; `offer`: the one it left there for us.
   */
  constructor(
    peer: PeerInfo,
    session: CallSession,
    signaling: SignalingClient,
    handlers: PeerCallHandlers,
    joined: { offerTaken?: boolean; offer?: OfferInit | undefined } = {},
  ) {
    this.peer = { id: peer.peerId, name: peer.name };
    this.session = session;
    const to = peer.peerId;
    session.attach(
      (message) =>
        message.candidate
          ? signaling.post({ to, ...message })
          : void signaling
              .signal({ to, ...message })
              // Refused (rate-limited, invalid) or unanswered: said in the console (unless the call
              // is over: the hang-up closed the connection under it); the call's own recovery (ICE
              // restart, rebuild) handles what it breaks.
              .catch((error: CallError) => this.#closed || console.warn('p2p-video-call: message not relayed', error.code, error)),
      joined.offerTaken === true,
    );
    // Its offer first: the browser applies it while the page hears of the peer.
    if (joined.offer) void session.receive({ description: joined.offer });
    this.#stats = new CallStatsMonitor(session.pc, (quality) => handlers.quality(quality));
    this.#network = new NetworkWatch(() => void session.restartIce('network-change'));
    session.addEventListener('statechange', () => handlers.sessionState(session));
    session.addEventListener('track', () => handlers.changed());
    session.addEventListener('remotemedia', () => {
      const { audio, video, screen } = session.remoteMedia!;
      // Until told otherwise, the other side's microphone and camera count as on.
      const known = this.remoteMedia ?? { audio: true, video: true, screen: false };
      this.remoteMedia = { audio, video, screen };
      if (audio !== known.audio || video !== known.video || screen !== known.screen) {
        handlers.emit(new RemoteMediaChangeEvent({ audio, video, screen }));
      }
      handlers.changed();
    });
  }

  /** Starts the quality samples (once connected). */
  watchQuality(): void {
    this.#stats.start();
  }

  /** Closes the session and stops the samples. */
  close(): void {
    this.#closed = true;
    this.#stats.stop();
    this.#network.stop();
    this.session.close();
  }
}
