import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { CallController } from './call-controller.js';
import type { CallState } from './call-state.js';
import { styles } from './p2p-video-call.styles.js';
import { statusText } from './status-text.js';

/**
 * A 1:1 video call in one element: camera preview, the other person's video, a status line
 * and mute / camera / hang-up controls. Two visitors on pages with the same `room` (and the
 * same relay) see and hear each other, peer to peer.
 *
 * @summary A drop-in 1:1 video call.
 *
 * @example
 * ```html
 * <script type="module" src="https://relay.example.com/p2p-video-call.js"></script>
 * <p2p-video-call room="support-4711" signaling="https://relay.example.com"></p2p-video-call>
 * ```
 *
 * @fires call-state-change - Every state change; `detail: { state, previous }`.
 * @fires media-ready - The local camera/microphone stream was obtained; `detail: { stream }`.
 * @fires media-error - getUserMedia failed; `detail: { name, message }` (`NotAllowedError`, `NotFoundError`, `NotReadableError`, …).
 * @fires peer-joined - The other peer entered the room; `detail: { peerId, name }`.
 * @fires call-connected - Media flows both ways; `detail: { peerId }`.
 * @fires call-reconnecting - ICE or signaling was lost and recovery started; `detail: { reason }`.
 * @fires remote-media-change - The other peer turned mic or camera on/off; `detail: { audio, video }`.
 * @fires peer-left - The other peer left or was lost; `detail: { peerId }`. The state goes back to `waiting`.
 * @fires call-ended - `detail: { reason }`: `'hangup'` (local), `'peer-left'` or `'error'`.
 * @fires call-error - `detail: { code, message }`; codes: `room-full`, `unauthorized`, `invalid-room`, `signaling-unreachable`, `negotiation-failed`, `ice-failed`, `media-denied`, `invalid-ice-servers`, `signaling-error`.
 *
 * @csspart local-video - Your own camera (muted, mirrored).
 * @csspart remote-video - The other person's video.
 * @csspart status - The status line (a live region).
 * @csspart controls - The row of buttons.
 * @csspart mute-button - Microphone on/off.
 * @csspart camera-button - Camera on/off.
 * @csspart hangup-button - Hang up.
 * @csspart start-button - Start (with `manual`), call again, or try again after a failure.
 *
 * @cssprop [--p2p-video-call-background=#111] - Background.
 * @cssprop [--p2p-video-call-color=#fff] - Text color.
 * @cssprop [--p2p-video-call-font=15px/1.4 system-ui, sans-serif] - Font.
 * @cssprop [--p2p-video-call-radius=12px] - Corner radius.
 * @cssprop [--p2p-video-call-aspect-ratio=16 / 9] - Aspect ratio of the video area.
 * @cssprop [--p2p-video-call-fit=contain] - `object-fit` of the remote video (`cover` fills the area, cropping).
 * @cssprop [--p2p-video-call-button-background=#333] - Button background.
 * @cssprop [--p2p-video-call-pressed-background=#8a5a00] - Background of a pressed (muted / camera off) button.
 * @cssprop [--p2p-video-call-hangup-background=#c62828] - Hang-up button background.
 * @cssprop [--p2p-video-call-accent=#6ea8ff] - Focus ring.
 *
 * @cssstate idle - Not started.
 * @cssstate requesting-media - Waiting for camera/microphone permission.
 * @cssstate joining - Joining the room on the relay.
 * @cssstate waiting - In the room, alone.
 * @cssstate connecting - Negotiating with the other peer.
 * @cssstate connected - Talking.
 * @cssstate reconnecting - Recovering a lost connection.
 * @cssstate ended - Hung up; media released.
 * @cssstate failed - Could not go on; see the status line.
 */
export class P2PVideoCall extends LitElement {
  static override styles = styles;
  static override properties = {
    room: { reflect: true },
    signaling: { reflect: true },
    iceServers: { attribute: 'ice-servers' },
    iceTransportPolicy: { attribute: 'ice-transport-policy' },
    name: { reflect: true },
    token: {},
    muted: { type: Boolean, reflect: true },
    cameraOff: { type: Boolean, reflect: true, attribute: 'camera-off' },
    manual: { type: Boolean, reflect: true },
  };

  /** Room to join (required). Setting it on a connected element starts the call; changing it rejoins. */
  declare room: string;
  /** URL of the relay; default: the page's origin. */
  declare signaling: string;
  /** JSON array of `RTCIceServer`, used in addition to what the relay hands out. */
  declare iceServers: string;
  /** `relay` to send media only through TURN (hides IP addresses from the other peer). */
  declare iceTransportPolicy: RTCIceTransportPolicy | undefined;
  /** Display name sent to the other peer. */
  declare name: string;
  /** Access token, for relays that require one. */
  declare token: string;
  /** The microphone is off while present. */
  declare muted: boolean;
  /** The camera is off while present. */
  declare cameraOff: boolean;
  /** Do not start on connect: wait for `start()`. */
  declare manual: boolean;

  readonly #call = new CallController(this, () => this.requestUpdate());
  #internals?: ElementInternals;
  #started = false;
  readonly #onPageHide = () => this.hangUp();

  constructor() {
    super();
    this.room = this.signaling = this.iceServers = this.name = this.token = '';
    this.muted = this.cameraOff = this.manual = false;
    try {
      this.#internals = this.attachInternals();
    } catch {
      // Custom states are a progressive enhancement.
    }
  }

  /** The call's state (also exposed as a CSS custom state, `:state(connected)`). */
  get state(): CallState {
    return this.#call.state;
  }
  /** Your camera and microphone, while the call holds them. */
  get localStream(): MediaStream | null {
    return this.#call.localStream;
  }
  /** The other person's audio and video. */
  get remoteStream(): MediaStream | null {
    return this.#call.remoteStream;
  }
  /** The other person in the room, if any. */
  get peer(): { id: string; name: string } | null {
    return this.#call.peer;
  }

  /**
   * Starts the call (or starts it again). Resolves once the call is under way or has failed;
   * never rejects: failures are `media-error` / `call-error` events.
   */
  start(): Promise<void> {
    if (!this.room) throw new Error('<p2p-video-call>: set the room attribute before start().');
    this.#started = true;
    return this.#call.start({
      room: this.room,
      signaling: this.signaling || location.origin,
      name: this.name || undefined,
      token: this.token || undefined,
      iceServers: this.iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      muted: this.muted,
      cameraOff: this.cameraOff,
    });
  }

  /** Hangs up: leaves the room and releases the camera and microphone. */
  hangUp(): void {
    this.#started = false;
    this.#call.hangUp();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('pagehide', this.#onPageHide);
    // Moved in the DOM (removed, then added again): pick the call up again.
    if (this.hasUpdated && this.room && !this.manual) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('pagehide', this.#onPageHide);
    this.hangUp();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('muted')) this.#call.setMuted(this.muted);
    if (changed.has('cameraOff')) this.#call.setCameraOff(this.cameraOff);
    // A new room: join it if we are to start by ourselves, or if a call is running.
    if (changed.has('room') && this.room && (!this.manual || this.#started)) void this.start();
  }

  protected override updated(): void {
    const states = this.#internals?.states;
    try {
      states?.clear();
      states?.add(this.state);
    } catch {
      // Older engines accept only `--dashed` states; skip.
    }
  }

  protected override render() {
    const call = this.#call;
    const state = call.state;
    const remote = call.remoteMedia;
    const active = !['idle', 'ended', 'failed'].includes(state);
    const status = statusText(state, call.peer?.name ?? '', call.errorMessage);
    // live(): Lit re-assigns object values on every render, and assigning srcObject, even the
    // same stream, reloads the video (HTML "media element load algorithm"): it flickers, and
    // after a reconnect autoplay sometimes never resumed. Assign only when it really changed.
    return html`
      <div class="stage">
        <video part="remote-video" autoplay playsinline .srcObject=${live(call.remoteStream)} ?hidden=${!call.remoteStream}></video>
        ${remote && !remote.video ? html`<p class="note">Camera off</p>` : nothing}
        <video part="local-video" autoplay playsinline muted .muted=${true} .srcObject=${live(call.localStream)} ?hidden=${!call.localStream}></video>
      </div>
      <p part="status" role="status" aria-live="polite">${status}${remote && !remote.audio ? ' Their microphone is off.' : ''}</p>
      <div part="controls">
        <button part="mute-button" aria-pressed=${this.muted} @click=${() => (this.muted = !this.muted)}>
          ${this.muted ? 'Unmute' : 'Mute'}
        </button>
        <button part="camera-button" aria-pressed=${this.cameraOff} @click=${() => (this.cameraOff = !this.cameraOff)}>
          ${this.cameraOff ? 'Start camera' : 'Stop camera'}
        </button>
        <button part="hangup-button" ?disabled=${!active} @click=${() => this.hangUp()}>Hang up</button>
        ${active
          ? nothing
          : html`<button part="start-button" ?disabled=${!this.room} @click=${() => this.start()}>
              ${state === 'failed' ? 'Try again' : state === 'ended' ? 'Call again' : 'Start call'}
            </button>`}
      </div>
    `;
  }
}

if (!customElements.get('p2p-video-call')) customElements.define('p2p-video-call', P2PVideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'p2p-video-call': P2PVideoCall;
  }
}
