import type { CallQuality } from '../media/call-stats.js';
import type { MediaKind } from '../media/local-media.js';
import { SignalingClient } from '../signaling/signaling-client.js';
import type { CallContext } from './call-context.js';
import type { CallOptions } from './call-options.js';
import { CallRoom } from './call-room.js';
import type { PeerCall } from './peer-call.js';
import { PreparedSession } from './prepared-session.js';

/**
 * One call attempt: what `start()` (or `preview()`) begins and `hangUp()`, a new `start()` or
 * a failure ends. It owns the relay connection, the session prepared for the next peer and the
 * {@link CallRoom} (everything that happens in the room, recovery included). Closing it aborts
 * {@link CallAttempt.signal}: every async step that resumes after that does nothing.
 */
export class CallAttempt {
  readonly #abort = new AbortController();
  readonly #ctx: CallContext;
  #signaling: SignalingClient | null;
  #prepared: PreparedSession | null;
  readonly #room: CallRoom | null;

  /**
   * @param url - the relay (`null`: a preview without one).
   * @param warm - the attempt before (a preview): its relay connection and prepared session are
   *   taken over when it used the same relay, so joining is then one message.
   */
  constructor(ctx: CallContext, url: string | null, warm?: CallAttempt | null) {
    this.#ctx = ctx;
    const kept = warm && warm.#signaling?.url === url ? warm.#handOver() : null;
    const signaling = (this.#signaling = kept?.signaling ?? (url ? new SignalingClient(url) : null));
    this.#prepared = kept?.prepared ?? (signaling && new PreparedSession(ctx.media, ctx.ice, signaling));
    this.#room = signaling && new CallRoom(ctx, signaling, this.#prepared!, this.#abort.signal);
  }

  /** Aborted once this attempt is over. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The call with the other peer, if one is met. */
  get peerCall(): PeerCall | null {
    return this.#room?.peerCall ?? null;
  }

  /** Who left the room (see `CallRoom.left`). */
  get left(): string | null {
    return this.#room?.left ?? null;
  }

  /** The call's quality while connected (refreshed every 2 s), else `null`. */
  get quality(): CallQuality | null {
    return this.#room?.quality ?? null;
  }

  /** Camera first, and the relay connection meanwhile (without joining); then the session for a peer already there. */
  async preview(): Promise<void> {
    this.#signaling?.connect().catch(() => {
      // Safe to drop here: the failure is reported by start(), which awaits the same connection.
    });
    if (await this.#ctx.openMedia(this)) this.#prepared?.prepare(true);
  }

  /**
   * Camera and microphone, then the room; both at once when the browser needs no one's
   * permission for the camera (open already, or allowed before: no `requesting-media`).
   */
  async start(options: CallOptions): Promise<void> {
    const { media, machine } = this.#ctx;
    const signaling = this.#signaling!;
    try {
      this.#ctx.ice.usePage(options.iceServers, options.iceTransportPolicy);
    } catch (error) {
      return this.#ctx.fail(error);
    }
    if (options.muted !== undefined) media.setEnabled('audio', !options.muted);
    if (options.cameraOff !== undefined) media.setEnabled('video', !options.cameraOff);
    // Connect to the relay while the camera opens. Its handshake waits until we know whether
    // to join at once: then the join goes in it (a round trip less).
    signaling.holdHandshake();
    const connected = signaling.connect();
    connected.catch(() => {
      // Not lost: `connected` is awaited below, after the media outcome, and fails the call there.
    });
    const opened = this.#ctx.openMedia(this);
    // A camera that is open, or was allowed before, asks the person nothing: join while it
    // starts (a real one takes 0.3–1 s), and send its tracks once they exist. Otherwise the
    // person decides first (that may take seconds), and a refusal never reaches the room.
    if (!media.stream && !(await media.permitted())) {
      signaling.releaseHandshake();
      if (this.#over()) return;
      machine.go('requesting-media');
      if (!(await opened)) return;
    }
    if (this.#over()) return;
    machine.go('joining');
    try {
      const joined = this.#room!.join({ room: options.room, name: options.name, token: options.token });
      joined.catch(() => {
        // Not lost: awaited just below, after `connected`, so a failed connection is reported as such first.
      });
      await connected;
      await joined;
    } catch (error) {
      if (!this.#over()) this.#ctx.fail(error);
    }
  }

  /** Camera and microphone are open now: sessions made meanwhile (joined early) send them. */
  mediaOpened(): void {
    for (const kind of ['audio', 'video'] as const) this.replaceTrack(kind, this.#ctx.media.track(kind));
  }

  /** Sends `track` for `kind` in the call, and in the session prepared for the next one. */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.#room?.replaceTrack(kind, track);
  }

  /** The camera opened: the call is up if the connection is (see {@link CallRoom.connected}). */
  connected(): void {
    this.#room?.connected();
  }

  /** Ends the attempt: the peer connections, and the relay connection (leaving the room; `away`: keeping the seat). */
  close(away = false): void {
    this.#abort.abort();
    this.#room?.close();
    this.#prepared?.drop();
    this.#signaling?.close(away);
  }

  /** The relay connection and prepared session, for the attempt after this one. */
  #handOver(): { signaling: SignalingClient | null; prepared: PreparedSession | null } {
    const kept = { signaling: this.#signaling, prepared: this.#prepared };
    this.#signaling = this.#prepared = null;
    return kept;
  }

  #over(): boolean {
    return this.#abort.signal.aborted;
  }
}
