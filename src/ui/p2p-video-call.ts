import { LitElement, type PropertyValues } from 'lit';
import { CallController } from '../call/call-controller.js';
import { DEFAULT_MAX_FILE_SIZE } from '../data/file-transfers.js';
import type { CallState } from '../call/call-state.js';
import { Localizer } from '../i18n/localize.js';
import type { StringsOverride } from '../i18n/strings.js';
import type { CallQuality } from '../media/call-stats.js';
import type { DeviceInfo } from '../media/devices.js';
import { AutoHide } from './auto-hide.js';
import { callView } from './call-view.js';
import { showState, showStream } from './media-sinks.js';
import { styles } from './p2p-video-call.styles.js';

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
 *
 * Events: one class each in `src/call/events.ts` (the manifest lists them from there).
 *
 * @csspart local-video - Your own camera (muted, mirrored): a small overlay in a call, the whole picture before it.
 * @csspart remote-video - The other person's video.
 * @csspart status - The status line (a live region).
 * @csspart controls - The call bar: one row of icon buttons (their names are their tooltips); during a call it hides after 4 s without pointer, touch or keyboard activity on the element (never while a menu or the chat is open or the keyboard's focus is in it), and comes back on any.
 * @csspart mute-button - Microphone on/off.
 * @csspart camera-button - Camera on/off.
 * @csspart hangup-button - Hang up.
 * @csspart more-button - Opens and closes the menu of the buttons that do not fit in the call bar (screen, chat, settings, picture-in-picture, full screen, in that order of staying).
 * @csspart more-menu - Those buttons, with their names (closes on Escape and once one is chosen).
 * @csspart muted-mark - A struck-through microphone on your own picture while you are muted.
 * @csspart start-button - Start (with `manual`), join after `preview()`, call again, or try again after a failure.
 * @csspart settings-button - Opens and closes the device menu.
 * @csspart device-menu - Camera, microphone and speaker choice (closes on Escape).
 * @csspart screen-button - Share the screen / stop sharing (absent where the browser cannot share one).
 * @csspart quality - The connection quality indicator (a word and bars).
 * @csspart pip-button - The other person's video in picture-in-picture (where supported).
 * @csspart fullscreen-button - The call in full screen (where supported).
 * @csspart placeholder - The other person's initials and name while their camera is off.
 * @csspart chat-button - Opens and closes the chat; its name has the count of unread lines and files.
 * @csspart chat - The chat panel, over the video: the lines and files of this call, the input, Attach (closes on Escape).
 * @csspart chat-input - Where a chat line is typed: Enter sends, Shift+Enter starts a new line (at most 2,000 characters).
 * @csspart attach-button - Sends files (they may also be dropped on the chat).
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
 * @cssprop [--p2p-video-call-start-background=#2e7d32] - Start / Join / Call again / Try again button background.
 * @cssprop [--p2p-video-call-accent=#6ea8ff] - Focus ring.
 * @cssprop [--p2p-video-call-good=#4caf50] - Quality bars when the connection is good.
 * @cssprop [--p2p-video-call-fair=#ffb300] - … fair.
 * @cssprop [--p2p-video-call-poor=#e53935] - … poor or lost.
 *
 * @cssstate idle - Not started.
 * @cssstate previewing - Showing the camera and the device choice before joining (`preview()`).
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
    camera: { reflect: true },
    microphone: { reflect: true },
    speaker: { reflect: true },
    lang: {},
    strings: { attribute: false },
    maxFileSize: { type: Number, attribute: 'max-file-size' },
    noChat: { type: Boolean, reflect: true, attribute: 'no-chat' },
    _menuOpen: { state: true },
    _chatOpen: { state: true },
    _moreOpen: { state: true },
    _width: { state: true },
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
  /** Camera device id (`''`: the browser's default). Changing it mid-call switches at once, without renegotiating. */
  declare camera: string;
  /** Microphone device id (`''`: the browser's default). Changing it mid-call switches at once. */
  declare microphone: string;
  /** Speaker device id for the other person's audio (`''`: default), where the browser can choose (`setSinkId`). */
  declare speaker: string;
  /**
   * Language of every text (BCP 47: `de`, `pt-BR`, `zh-CN`…). Without it, the nearest ancestor's
   * `lang`, then `<html lang>` (followed when it changes), then English. Built in: `en`, `de`,
   * `es`, `fr`, `it`, `ja`, `nl`, `pl`, `pt`, `zh` (Simplified); others get English, or the
   * page's own `strings`.
   */
  declare lang: string;
  /**
   * Texts to show instead of the built-in ones, in any language: some or all of the entries of
   * `src/i18n/strings.ts`, e.g. `{ hangUp: 'Leave', status: { waiting: 'Your doctor will be with you shortly.' } }`.
   */
  declare strings: StringsOverride;
  /** The largest file (bytes) this element takes from the other person (default 100 MiB); a larger one is refused before any byte moves (`file-error` `too-large` on both sides). */
  declare maxFileSize: number;
  /** No chat button or panel (app messages and files still work). */
  declare noChat: boolean;
  declare _menuOpen: boolean;
  declare _chatOpen: boolean;
  declare _moreOpen: boolean;
  /** The element's width (px), for which buttons fit in the call bar; 0 until measured. */
  declare _width: number;

  readonly #call = new CallController(this, () => this.requestUpdate());
  readonly #texts = new Localizer(this);
  #internals?: ElementInternals;
  // A reload or a closing tab (the page cannot tell which): the seat is kept for the relay's grace.
  readonly #onPageHide = () => this.#call.hangUp(true);
  readonly #onFullscreen = () => this.requestUpdate();
  /** Whether the last input on the element was a key (not a pointer). */
  #keys = false;
  // During a call the bar goes after 4 s without activity, never while something of it is in use.
  readonly #bar = new AutoHide(
    4000,
    // Keyboard focus inside (a click focuses its button too, which must not keep the bar up): the
    // last input a key, and `activeElement`, which holds while the window is in the background
    // too (`:focus-within` and `:focus-visible` then match nothing).
    () =>
      this.state === 'connected' &&
      !this._menuOpen &&
      !this._moreOpen &&
      !this._chatOpen &&
      !(this.#keys && this.shadowRoot?.activeElement),
    () => this.requestUpdate(),
  );
  // Measured in the next frame, before its layout: a new bar then never resizes the element
  // while resize observers run (which would be an error on the page).
  readonly #resize = new ResizeObserver(([entry]) =>
    requestAnimationFrame(() => {
      this._width = Math.round(entry.contentRect.width);
    }),
  );

  constructor() {
    super();
    this.room = this.signaling = this.iceServers = this.name = this.token = '';
    this.camera = this.microphone = this.speaker = '';
    this.muted = this.cameraOff = this.manual = this._menuOpen = this.noChat = this._chatOpen = this._moreOpen = false;
    this._width = 0;
    this.maxFileSize = 100 << 20; // DEFAULT_MAX_FILE_SIZE, written out for the manifest
    this.strings = {};
    // Activity on the element shows the call bar again.
    for (const type of ['pointermove', 'pointerdown', 'keydown', 'focusin']) this.addEventListener(type, () => this.#bar.wake());
    // How the focus got in: a key (`keydown` sorts before `p`), or a press.
    for (const type of ['keydown', 'pointerdown']) this.addEventListener(type, () => (this.#keys = type < 'p'));
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
  /** Your camera and microphone, while the call holds them (the shared screen is not in it). */
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
  /** Cameras, microphones and speakers (labels once camera/microphone permission was granted). */
  get devices(): DeviceInfo[] {
    return this.#call.devices;
  }
  /** Whether your screen is being shared. */
  get screenSharing(): boolean {
    return this.#call.screenSharing;
  }
  /** The call's quality while connected, refreshed every 2 s; `null` otherwise. */
  get quality(): CallQuality | null {
    return this.#call.quality;
  }

  /**
   * Starts the call (or starts it again). Resolves once the call is under way or has failed;
   * never rejects: failures are `media-error` / `call-error` events. After `preview()`, the
   * previewed camera and microphone are used (no second permission prompt).
   */
  start(): Promise<void> {
    if (!this.room) throw new Error('<p2p-video-call>: set the room attribute before start().');
    this._menuOpen = false;
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

  /**
   * Shows your camera and the device menu before joining (state `previewing`), so a person can
   * check how they look and pick devices; `start()` joins with that stream. Never rejects.
   * Meanwhile it connects to the relay (without joining the room), so joining is quick.
   */
  preview(): Promise<void> {
    this._menuOpen = true;
    return this.#call.preview(this.signaling || location.origin);
  }

  /** Hangs up: leaves the room and releases the camera and microphone. */
  hangUp(): void {
    // The "more" menu shut too: left open, it would keep the next call's bar up.
    this._moreOpen = false;
    this.#call.hangUp();
  }

  /**
   * Shares a screen, window or tab in place of the camera, without renegotiating. Never
   * rejects: a cancelled picker is a `media-error` (`NotAllowedError`) and the call goes on.
   */
  shareScreen(): Promise<void> {
    return this.#call.shareScreen();
  }

  /** Stops sharing the screen; the camera is sent again. */
  stopScreenShare(): void {
    this.#call.stopScreenShare();
  }

  /**
   * Sends an app message to the other person, peer to peer: any JSON value of at most 64 KiB
   * serialized, ordered and reliable; `peer-message` on the other side. Sent before the call is
   * up (or while it reconnects) it waits, and goes once the channel opens; dropped when the call
   * ends. Throws `TypeError` for what is not JSON and `RangeError` above 64 KiB; nothing else.
   *
   * @example
   * ```js
   * call.send({ type: 'cursor', x: 10, y: 20 });
   * other.addEventListener('peer-message', (e) => console.log(e.detail.data));
   * ```
   */
  send(data: unknown): void {
    this.#call.data.send(data);
  }

  /**
   * Sends a file to the other person, peer to peer, read in slices (a 2 GiB file does not sit
   * in memory). Resolves once the other side has every byte, or the transfer failed; never
   * rejects: `file-progress`, then `file-received` over there, or `file-error` on both sides.
   * Waits while the channel is not open. The chat shows it with a Cancel button.
   */
  sendFile(file: Blob, name?: string): Promise<void> {
    return this.#call.data.files.send(file, name);
  }

  /** Cancels a transfer (the `id` of its `file-progress`), either way: `file-error` `cancelled` on both sides. */
  cancelFile(id: string): void {
    this.#call.data.files.cancel(id);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('pagehide', this.#onPageHide);
    document.addEventListener('fullscreenchange', this.#onFullscreen);
    this.#resize.observe(this);
    this.#bar.wake();
    // Moved in the DOM (removed, then added again): pick the call up again.
    if (this.hasUpdated && this.room && !this.manual) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('pagehide', this.#onPageHide);
    document.removeEventListener('fullscreenchange', this.#onFullscreen);
    this.#resize.disconnect();
    this.#bar.stop();
    this.hangUp();
    // The received files' links: nothing shows them any more.
    this.#call.data.chat.clear();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings')) this.#texts.overrides = this.strings;
    // Hidden during a call: back for whatever comes next (reconnecting, ended…).
    if (this.#bar.hidden && this.state !== 'connected') this.#bar.wake();
    // No attribute (null) or not a number: the default.
    const max = this.maxFileSize;
    this.#call.data.files.maxFileSize = typeof max == 'number' && max >= 0 ? max : DEFAULT_MAX_FILE_SIZE;
    if (changed.has('lang') && this.isConnected) this.#texts.update();
    if (changed.has('muted')) this.#call.setMuted(this.muted);
    if (changed.has('cameraOff')) this.#call.setCameraOff(this.cameraOff);
    if (changed.has('camera')) void this.#call.setDevice('video', this.camera ?? '');
    if (changed.has('microphone')) void this.#call.setDevice('audio', this.microphone ?? '');
    // A new room: join it if we are to start by ourselves, or if a call is running.
    if (changed.has('room') && this.room && (!this.manual || this.#call.started)) void this.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    showState(this.#internals, this.state);
    const video = this.#part<HTMLVideoElement>('remote-video')!;
    showStream(video, this.remoteStream);
    // While sharing, your own picture is what you share.
    showStream(this.#part<HTMLVideoElement>('local-video')!, this.#call.screenStream ?? this.localStream);
    // The first render with the default speaker has nothing to change.
    if (changed.has('speaker') && (this.speaker || changed.get('speaker'))) void this.#call.useSpeaker(video, this.speaker ?? '');
  }

  #part<E extends HTMLElement>(name: string): E | null {
    return this.renderRoot?.querySelector<E>(`[part~="${name}"]`) ?? null;
  }

  /** @internal Whether the call bar is hidden now (a call without activity), for the view. */
  get _barHidden(): boolean {
    return this.#bar.hidden;
  }

  /** The focus back on a button of the call bar, or on "more" while that one is in its closed menu. */
  #focusButton(name: string): void {
    const button = this.#part(name);
    (button?.offsetParent ? button : this.#part('more-button'))?.focus();
  }

  /** @internal Opens or closes the device menu (and moves the focus), for the view. */
  async _toggleMenu(open = !this._menuOpen): Promise<void> {
    this._menuOpen = open;
    await this.updateComplete;
    // Into the menu when it opens, back to its button when it closes (WAI-ARIA disclosure pattern).
    if (open) this.#part('device-menu')?.querySelector('select')?.focus();
    else this.#focusButton('settings-button');
  }

  /**
   * @internal Opens or closes the call bar's "more" menu, for the view: the focus on its first
   * button when it opens; back on "more" when it closes, unless what was chosen in it took the
   * focus elsewhere (the device menu, the chat).
   */
  async _toggleMore(open = !this._moreOpen): Promise<void> {
    this._moreOpen = open;
    await this.updateComplete;
    const menu = this.#part('more-menu');
    // Not `:focus`, which matches nothing while the window is in the background.
    const focused = this.shadowRoot?.activeElement;
    if (open) menu?.querySelector('button')?.focus();
    else if (!focused || menu?.contains(focused)) this.#part('more-button')?.focus();
  }

  /** @internal Opens or closes the chat (its lines are read while open), and moves the focus, for the view. */
  async _toggleChat(open = !this._chatOpen): Promise<void> {
    const chat = this.#call.data.chat;
    chat.reading = this._chatOpen = open;
    if (open) chat.read();
    await this.updateComplete;
    if (open) this.#part('chat-input')?.focus();
    else this.#focusButton('chat-button');
  }

  protected override render() {
    return callView(this, this.#call, this.#texts);
  }
}

if (!customElements.get('p2p-video-call')) customElements.define('p2p-video-call', P2PVideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'p2p-video-call': P2PVideoCall;
  }
}
