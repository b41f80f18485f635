import type { CallQuality } from '../media/call-stats.js';
import type { DeviceInfo } from '../media/devices.js';
import type { MediaKind } from '../media/local-media.js';
import type { MediaStateInit } from '../protocol.js';
import { CallAttempt } from './call-attempt.js';
import type { CallContext } from './call-context.js';
import { CallData } from '../data/call-data.js';
import { CallMedia } from './call-media.js';
import type { CallOptions } from './call-options.js';
import { CallError, type CallState, type Failure } from './call-state.js';
import { CallStateMachine } from './call-state-machine.js';
import { CallEndedEvent, CallErrorEvent, CallStateChangeEvent, type MediaErrorEvent } from './events.js';
import { IceConfiguration } from './ice-configuration.js';

export type { CallOptions } from './call-options.js';

/**
 * Runs one call from camera to hang-up and turns what happens into the states and events of
 * `<p2p-video-call>`, dispatched on `target` (every event of the element is fired here, and
 * only here). It composes the parts: {@link LocalMedia} and {@link DeviceList} (kept across
 * calls), the {@link CallStateMachine}, the {@link IceConfiguration}, and one
 * {@link CallAttempt} per `start()` or `preview()`. Framework-free: the element is a view over
 * it, and a page can drive it directly.
 *
 * @example
 * ```ts
 * const call = new CallController(document.body, () => render(call));
 * await call.start({ room: 'support-4711', signaling: 'https://relay.example.com' });
 * ```
 */
export class CallController {
  /** The last failure (`failed` state): its code, and the camera/microphone error's name. */
  failure: Failure | null = null;
  /** App messages, the chat and files, peer to peer on the call's data channel. */
  readonly data: CallData;

  readonly #media: CallMedia;
  readonly #machine: CallStateMachine;
  readonly #context: CallContext;
  #attempt: CallAttempt | null = null;
  /** Whether `start()` was called since the last hang-up (a new room then restarts the call). */
  #started = false;

  constructor(
    target: EventTarget,
    onChange: () => void = () => {
      // Nothing to re-render: the element passes its requestUpdate.
    },
  ) {
    const emit = (event: Event): void => void target.dispatchEvent(event);
    const machine = (this.#machine = new CallStateMachine((state, previous) => {
      onChange();
      emit(new CallStateChangeEvent({ state, previous }));
    }));
    const fail = (cause: unknown, mediaError?: MediaErrorEvent, report?: boolean, name?: string): void =>
      this.#fail(cause, mediaError, report, name);
    const media = (this.#media = new CallMedia({ emit, changed: onChange, attempt: () => this.#attempt, machine, fail }));
    this.#context = {
      data: (this.data = new CallData(emit, onChange, () => this.peer?.name ?? '')),
      media: media.local,
      machine,
      ice: new IceConfiguration(),
      emit,
      changed: onChange,
      fail,
      openMedia: (attempt) => media.open(attempt),
      mediaState: () => media.state(),
    };
  }

  /** The call's state. */
  get state(): CallState {
    return this.#machine.state;
  }

  /** Whether `start()` was called and the call not hung up since (it may have failed). */
  get started(): boolean {
    return this.#started;
  }

  /** The other person's audio and video. */
  get remoteStream(): MediaStream | null {
    return this.#attempt?.peerCall?.session.remoteStream ?? null;
  }

  /** While waiting after the other person left: their name (`''` without one); else `null`. */
  get left(): string | null {
    return this.state === 'waiting' ? (this.#attempt?.left ?? null) : null;
  }

  /** The other person in the room, if any. */
  get peer(): { id: string; name: string } | null {
    return this.#attempt?.peerCall?.peer ?? null;
  }

  /** The other peer's microphone/camera/screen, once known. */
  get remoteMedia(): Required<MediaStateInit> | null {
    return this.#attempt?.peerCall?.remoteMedia ?? null;
  }

  /** The call's quality while connected (refreshed every 2 s), else `null`. */
  get quality(): CallQuality | null {
    return this.#attempt?.quality ?? null;
  }

  /** Camera and microphone (not the screen), while held. */
  get localStream(): MediaStream | null {
    return this.#media.local.stream;
  }

  /** Cameras, microphones and speakers (labels once permission was granted). */
  get devices(): DeviceInfo[] {
    return this.#media.deviceList.devices;
  }

  /** The device id in use per kind (`''`: none or unknown). */
  deviceInUse(kind: MediaKind): string {
    return this.#media.local.own(kind)?.getSettings().deviceId ?? '';
  }

  /** Whether the screen is being shared. */
  get screenSharing(): boolean {
    return this.#media.local.screen !== null;
  }

  /** The shared screen as a stream, for your own preview of it (one stream per share). */
  get screenStream(): MediaStream | null {
    const screen = this.#media.local.screen;
    if (this.#screenStream?.getVideoTracks()[0] !== screen) this.#screenStream = screen && new MediaStream([screen]);
    return this.#screenStream;
  }
  #screenStream: MediaStream | null = null;

  /** The peer connection of the current call, if any (for stats and tests). */
  get peerConnection(): RTCPeerConnection | null {
    return this.#attempt?.peerCall?.session.pc ?? null;
  }

  /**
   * Starts (or restarts) the call: camera and microphone, then the room. Never rejects:
   * failures become `media-error`/`call-error` events and the `failed` state. A relay
   * connection opened by {@link CallController.preview} is kept, and the session it prepared.
   */
  start(options: CallOptions): Promise<void> {
    const warm = this.state === 'previewing' ? this.#attempt : null;
    const attempt = this.#begin(options.signaling, warm);
    // A new call's chat.
    this.data.chat.clear();
    this.#started = true;
    return attempt.start(options);
  }

  /**
   * Shows the camera and lists the devices before joining (state `previewing`); `start()` then
   * sends that stream. Never rejects. Does nothing while a call is under way.
   *
   * @param signaling - the relay's URL: connects to it meanwhile (without joining), so that
   *   `start()` with the same URL only has to join. A relay that can't be reached is reported
   *   by `start()`.
   */
  preview(signaling?: string): Promise<void> {
    if (!this.#machine.in('idle', 'ended', 'failed')) return Promise.resolve();
    const attempt = this.#begin(signaling ?? null, null);
    this.#machine.go('previewing');
    return attempt.preview();
  }

  /** Uses another camera or microphone (`''`: the default); mid-call without renegotiating. */
  setDevice(kind: MediaKind, deviceId: string): Promise<void> {
    return this.#media.local.useDevice(kind, deviceId);
  }

  /**
   * Plays the other person's audio in `element` on a speaker (`''`: the default), where the
   * browser can choose one; `device-change` when it did, `media-error` when it could not (the
   * call goes on with the speaker it had).
   */
  useSpeaker(element: HTMLMediaElement, deviceId: string): Promise<void> {
    return this.#media.useSpeaker(element, deviceId);
  }

  /** Shares a screen in place of the camera. Never rejects; a cancelled picker is a `media-error`. */
  shareScreen(): Promise<void> {
    return this.#media.local.shareScreen();
  }

  /** Sends the camera again. */
  stopScreenShare(): void {
    this.#media.local.stopScreenShare();
  }

  /**
   * Hangs up: leaves the room, closes the connection, releases camera and microphone. With
   * `away` (the page is going away: a reload, or the tab closing), the seat is kept for the
   * relay's grace period instead of freed, so that a reload takes it back and nobody else can.
   */
  hangUp(away = false): void {
    this.#started = false;
    if (this.state === 'previewing') this.#machine.go('idle');
    if (this.#machine.in('idle', 'ended')) return this.#teardown(away);
    this.#teardown(away);
    this.#machine.go('ended');
    this.#context.emit(new CallEndedEvent({ reason: 'hangup' }));
  }

  /** Mutes or unmutes the microphone; the other peer is told. */
  setMuted(muted: boolean): void {
    this.#media.local.setEnabled('audio', !muted);
    this.#media.apply();
  }

  /** Turns the camera off or on; the other peer is told. */
  setCameraOff(cameraOff: boolean): void {
    this.#media.local.setEnabled('video', !cameraOff);
    this.#media.apply();
  }

  /**
   * A new attempt in place of the current one, which ends (its relay connection and prepared
   * session are kept when `warm` is it). The camera stays if it is open: no second prompt.
   */
  #begin(url: string | null, warm: CallAttempt | null): CallAttempt {
    const attempt = new CallAttempt(this.#context, url, warm);
    // A call under way ends (a new room); what was sent before a call began still goes.
    if (this.#attempt?.peerCall) this.data.end();
    this.#attempt?.close();
    this.#attempt = attempt;
    this.failure = null;
    return attempt;
  }

  /** Ends the call on an error. A media failure reports `media-error`, and `call-error` only when denied. */
  #fail(cause: unknown, mediaError?: MediaErrorEvent, report = !mediaError, media?: string): void {
    if (!(cause instanceof CallError)) console.warn('p2p-video-call: the call failed', cause);
    const error =
      cause instanceof CallError ? cause : new CallError('negotiation-failed', 'The call could not be set up in this browser.', { cause });
    const inCall = this.#attempt?.peerCall != null;
    this.#teardown();
    this.failure = { code: error.code, media };
    this.#machine.go('failed');
    const emit = this.#context.emit;
    if (mediaError) emit(mediaError);
    if (report) emit(new CallErrorEvent({ code: error.code, message: error.message }));
    if (inCall) emit(new CallEndedEvent({ reason: 'error' }));
  }

  /** Ends the attempt (`away`: keeping the seat), and releases camera and microphone. */
  #teardown(away = false): void {
    this.data.end();
    this.#attempt?.close(away);
    this.#attempt = null;
    this.#media.release();
  }
}
