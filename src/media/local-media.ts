import type { DeviceList } from './devices.js';

/** A kind of track. */
export type MediaKind = 'audio' | 'video';

/** The device kind behind each track kind. */
export const DEVICE_OF = { audio: 'microphone', video: 'camera' } as const;

/** The camera and microphone as a call wants them. */
export const MEDIA_CONSTRAINTS = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
} satisfies Record<MediaKind, MediaTrackConstraints>;

/** What {@link LocalMedia} reports. Called synchronously; a throwing handler is the caller's bug. */
export interface LocalMediaHandlers {
  /** What to send for `kind` changed: another device, the screen, or nothing (device lost). */
  trackChange(kind: MediaKind, track: MediaStreamTrack | null): void;
  /** The device in use changed, chosen or because the one in use went away (`''`: none left). */
  deviceChange(kind: MediaKind, deviceId: string, label: string): void;
  /** Screen sharing started or stopped (also by the browser's own "Stop sharing"). */
  screenChange(sharing: boolean): void;
  /** A camera/microphone/screen failure the call survives (a missing device, a cancelled picker). */
  error(error: DOMException): void;
}

/** getUserMedia errors after which the devices that do work are still worth having. */
const PARTIAL = ['NotFoundError', 'OverconstrainedError', 'NotReadableError'];

function getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    // No mediaDevices at all: an insecure context (http:// on a non-local host) or an old browser.
    return Promise.reject(new DOMException('Camera access needs a secure (https) page.', 'NotSupportedError'));
  }
  return navigator.mediaDevices.getUserMedia(constraints);
}

const stop = (tracks: MediaStreamTrack[]) => tracks.forEach((t) => t.stop());

/**
 * The local side of a call: camera and microphone (one `getUserMedia` for both), the device
 * chosen for each, mute/camera-off, and screen sharing. It decides what each sender should
 * send and says so through {@link LocalMediaHandlers.trackChange}; the call session swaps the
 * track on its sender (no renegotiation).
 *
 * A missing camera or microphone is not fatal: it opens what exists and reports the
 * `NotFoundError`; with neither, the call is receive-only. When the device in use goes away
 * (its track ends without us stopping it), it moves to another device of that kind.
 *
 * @example
 * ```ts
 * const media = new LocalMedia(new DeviceList(), { trackChange: (kind, track) => session.replaceTrack(kind, track), … });
 * preview.srcObject = await media.open();
 * await media.useDevice('video', otherCameraId);
 * ```
 */
export class LocalMedia {
  /**
   * Camera and microphone (never the screen), for the local preview. A new stream object
   * whenever a track changes, so a `<video>` bound to it reloads. `null` until opened.
   */
  stream: MediaStream | null = null;
  /** The shared screen's track, while sharing. */
  screen: MediaStreamTrack | null = null;
  /** The chosen device id per kind (`''`: the browser's default). */
  readonly chosen: Record<MediaKind, string> = { audio: '', video: '' };

  readonly #devices: DeviceList;
  readonly #handlers: LocalMediaHandlers;
  readonly #enabled: Record<MediaKind, boolean> = { audio: true, video: true };
  #opening: Promise<MediaStream> | null = null;
  // Bumped by close() and by each device switch: results of an older request are dropped.
  #generation = 0;
  readonly #switches: Record<MediaKind, number> = { audio: 0, video: 0 };

  constructor(devices: DeviceList, handlers: LocalMediaHandlers) {
    this.#devices = devices;
    this.#handlers = handlers;
  }

  /** The camera or microphone track in use, if any. */
  own(kind: MediaKind): MediaStreamTrack | null {
    return this.stream?.getTracks().find((t) => t.kind === kind) ?? null;
  }

  /** The track to send for `kind`: while the screen is shared, it replaces the camera. */
  track(kind: MediaKind): MediaStreamTrack | null {
    return (kind === 'video' && this.screen) || this.own(kind);
  }

  /** Whether the other side gets something for `kind` (a live, enabled track, or the screen). */
  sending(kind: MediaKind): boolean {
    const track = this.track(kind);
    return !!track && track.readyState === 'live' && (track === this.screen || this.#enabled[kind]);
  }

  /**
   * Whether camera and microphone were allowed before (Permissions API), so that opening them
   * asks the person nothing. `false` when unknown (a browser that can't tell).
   */
  async permitted(): Promise<boolean> {
    try {
      const names = ['camera', 'microphone'] as PermissionName[];
      const states = await Promise.all(names.map((name) => navigator.permissions.query({ name })));
      return states.every((status) => status.state === 'granted');
    } catch {
      return false; // a browser that cannot query camera or microphone: not known to be granted
    }
  }

  /**
   * Opens the camera and microphone, once: later calls (preview, then start) get the same
   * stream. Rejects with the browser's `DOMException` only when nothing usable came of it for a
   * reason other than missing devices (denied permission, devices busy, no secure context).
   */
  open(): Promise<MediaStream> {
    if (this.stream) return Promise.resolve(this.stream);
    this.#opening ??= this.#open().finally(() => (this.#opening = null));
    return this.#opening;
  }

  async #open(): Promise<MediaStream> {
    const generation = this.#generation;
    const tracks: MediaStreamTrack[] = [];
    try {
      tracks.push(...(await getUserMedia({ audio: this.#constraints('audio'), video: this.#constraints('video') })).getTracks());
    } catch (error) {
      const name = (error as DOMException).name;
      if (!PARTIAL.includes(name)) throw error;
      // One of the two is missing, busy, or the chosen device is gone: kind by kind, the chosen
      // device and then the default.
      let missing = false;
      for (const kind of ['audio', 'video'] as const) {
        const track = await this.#openOne(kind);
        if (track) tracks.push(track);
        else missing = true;
      }
      // Busy devices and nothing else: fail as a whole. No devices at all: receive only.
      if (tracks.length === 0 && name !== 'NotFoundError') throw error;
      if (missing && generation === this.#generation) this.#handlers.error(error as DOMException);
    }
    if (generation !== this.#generation) {
      stop(tracks);
      throw new DOMException('The camera was released before it opened.', 'AbortError');
    }
    for (const track of tracks) this.#adopt(track);
    this.stream = new MediaStream(tracks);
    void this.#devices.refresh(); // labels appear once permission is granted
    return this.stream;
  }

  /** One track of `kind`: the chosen device, else the default; `null` when neither opens. */
  async #openOne(kind: MediaKind): Promise<MediaStreamTrack | null> {
    for (const id of new Set([this.chosen[kind], ''])) {
      try {
        return (await getUserMedia({ [kind]: this.#constraints(kind, id) })).getTracks()[0] ?? null;
      } catch {
        // Reported by the caller as the first error.
      }
    }
    return null;
  }

  /**
   * Uses another camera (`video`) or microphone (`audio`); `''` is the browser's default.
   * Before {@link LocalMedia.open} it only records the choice. On a failure (device gone or
   * busy) the old device stays in use and `error` reports why.
   */
  async useDevice(kind: MediaKind, deviceId: string): Promise<void> {
    this.chosen[kind] = deviceId;
    const failure = this.stream && (await this.#switchTo(kind, [deviceId]));
    if (failure) this.#handlers.error(failure);
  }

  /** Turns the microphone (`audio`) or camera (`video`) on or off without renegotiating. */
  setEnabled(kind: MediaKind, on: boolean): void {
    this.#enabled[kind] = on;
    const track = this.own(kind);
    if (track) track.enabled = on;
  }

  /**
   * Shares a screen, window or tab in place of the camera. Never rejects: a cancelled picker
   * or a browser without `getDisplayMedia` reports `error` and nothing changes.
   */
  async shareScreen(): Promise<void> {
    if (this.screen || !this.stream) return;
    const generation = this.#generation;
    let track: MediaStreamTrack | undefined;
    try {
      if (!navigator.mediaDevices?.getDisplayMedia) {
        throw new DOMException('This browser cannot share a screen.', 'NotSupportedError');
      }
      [track] = (await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })).getVideoTracks();
    } catch (error) {
      if (generation === this.#generation) this.#handlers.error(error as DOMException);
      return;
    }
    if (!track) return;
    if (generation !== this.#generation || this.screen) return track.stop();
    // Text and lines stay sharp at the cost of frame rate (W3C mst-content-hint §3).
    track.contentHint = 'detail';
    // The browser's own "Stop sharing" ends the track.
    track.onended = () => track === this.screen && this.stopScreenShare();
    this.screen = track;
    this.#handlers.trackChange('video', track);
    this.#handlers.screenChange(true);
  }

  /** Stops sharing the screen and sends the camera again. */
  stopScreenShare(): void {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    this.#handlers.trackChange('video', this.own('video'));
    screen.stop();
    this.#handlers.screenChange(false);
  }

  /** Stops every track (camera light off); the next {@link LocalMedia.open} starts afresh. */
  close(): void {
    this.#generation++;
    const sharing = !!this.screen;
    stop([...(this.stream?.getTracks() ?? []), ...(this.screen ? [this.screen] : [])]);
    this.stream = this.screen = this.#opening = null;
    if (sharing) this.#handlers.screenChange(false);
  }

  /**
   * Constraints for `kind` on `deviceId` (`''`: the default). A chosen device is required
   * (`exact`): as a mere `ideal` it loses to the other ideals (Chromium then opens its first
   * camera, which faces the user); callers fall back to the default themselves.
   */
  #constraints(kind: MediaKind, deviceId = this.chosen[kind]): MediaTrackConstraints {
    const base = MEDIA_CONSTRAINTS[kind];
    return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
  }

  #adopt(track: MediaStreamTrack): void {
    const kind = track.kind as MediaKind;
    const deviceId = track.getSettings().deviceId ?? '';
    track.enabled = this.#enabled[kind];
    // `ended` fires only when the browser ends the track (device unplugged, permission revoked,
    // driver failure), never after our own stop(): https://w3c.github.io/mediacapture-main/#track-ended
    // A property, not addEventListener: Firefox ESR 153 calls only `onended` for an `ended` it
    // did not dispatch itself (found by test/controls.test.ts). The track is ours: one handler.
    track.onended = () => void this.#lost(track, deviceId);
  }

  /** Puts `track` in place of the one in use for its kind, then stops the old one. */
  #swap(kind: MediaKind, track: MediaStreamTrack | null): void {
    const old = this.own(kind);
    if (track) this.#adopt(track);
    const others = this.stream?.getTracks().filter((t) => t.kind !== kind) ?? [];
    this.stream = new MediaStream(track ? [...others, track] : others);
    if (!(kind === 'video' && this.screen)) this.#handlers.trackChange(kind, track);
    old?.stop(); // after the sender moved on: the old device's light goes off
    this.#handlers.deviceChange(kind, track?.getSettings().deviceId ?? '', track?.label ?? '');
  }

  /**
   * Moves `kind` to the first device of `ids` that opens (`''`: the default) and is not
   * `avoid`. Resolves with the last error when none did, `null` when done or overtaken by a
   * newer switch or close().
   */
  async #switchTo(kind: MediaKind, ids: string[], avoid?: string): Promise<DOMException | null> {
    const switching = ++this.#switches[kind];
    const generation = this.#generation;
    const overtaken = () => switching !== this.#switches[kind] || generation !== this.#generation;
    let failure = new DOMException(`No other ${DEVICE_OF[kind]} was found.`, 'NotFoundError');
    for (const id of ids) {
      let track: MediaStreamTrack;
      try {
        [track] = (await getUserMedia({ [kind]: this.#constraints(kind, id) })).getTracks();
      } catch (error) {
        failure = error as DOMException;
        continue;
      }
      if (overtaken() || track.getSettings().deviceId === avoid) track.stop();
      else this.#swap(kind, track);
      if (track.readyState === 'live' || overtaken()) return null;
    }
    return overtaken() ? null : failure;
  }

  /** The device in use went away: go on with another one of that kind, or without. */
  async #lost(track: MediaStreamTrack, lostId: string): Promise<void> {
    const kind = track.kind as MediaKind;
    if (this.own(kind) !== track) return;
    await this.#devices.refresh();
    const others = this.#devices
      .of(DEVICE_OF[kind])
      .map((d) => d.deviceId)
      .filter((id) => id !== lostId && id !== 'default' && id !== 'communications');
    if (this.own(kind) === track && (await this.#switchTo(kind, [...others, ''], lostId))) this.#swap(kind, null);
  }
}
