import { DeviceList, setSpeaker } from '../media/devices.js';
import { DEVICE_OF, LocalMedia } from '../media/local-media.js';
import type { MediaStateInit } from '../protocol.js';
import type { CallAttempt } from './call-attempt.js';
import { CallError } from './call-state.js';
import type { CallStateMachine } from './call-state-machine.js';
import { DeviceChangeEvent, DevicesChangeEvent, MediaErrorEvent, MediaReadyEvent, ScreenShareChangeEvent } from './events.js';

/** What {@link CallMedia} reports to, and asks of, the call. */
export interface CallMediaHost {
  emit: (event: Event) => void;
  changed: () => void;
  /** The attempt under way, whose sessions send our tracks. */
  attempt(): CallAttempt | null;
  readonly machine: CallStateMachine;
  /** Ends the call on a camera/microphone failure (`report`: also a `call-error`). */
  fail(error: CallError, mediaError: MediaErrorEvent, report: boolean, name: string): void;
}

/**
 * The call's side of the camera, microphone, screen and speaker: {@link LocalMedia} and the
 * {@link DeviceList}, kept across attempts (no second permission prompt), their events, and
 * what the other peer is told we send. Opening them is where a denied camera fails the call.
 */
export class CallMedia {
  readonly deviceList = new DeviceList();
  readonly local: LocalMedia;
  readonly #host: CallMediaHost;

  constructor(host: CallMediaHost) {
    this.#host = host;
    const { emit } = host;
    this.deviceList.addEventListener('change', () => {
      emit(new DevicesChangeEvent({ devices: this.deviceList.devices }));
      host.changed();
    });
    this.local = new LocalMedia(this.deviceList, {
      trackChange: (kind, track) => {
        host.attempt()?.replaceTrack(kind, track);
        this.apply();
      },
      deviceChange: (kind, deviceId, label) => {
        emit(new DeviceChangeEvent({ kind: DEVICE_OF[kind], deviceId, label }));
        this.apply();
      },
      screenChange: (sharing) => {
        emit(new ScreenShareChangeEvent({ sharing }));
        this.apply();
      },
      error: ({ name, message }) => emit(new MediaErrorEvent({ name, message })),
    });
  }

  /** What the other peer gets from us now. */
  state(): Required<MediaStateInit> {
    const local = this.local;
    return { audio: local.sending('audio'), video: local.sending('video'), screen: local.screen !== null };
  }

  /** Tells the other peer what it gets from us now, and re-renders. */
  apply(): void {
    this.#host.attempt()?.peerCall?.session.sendMediaState(this.state());
    this.#host.changed();
  }

  /**
   * Opens camera and microphone (once) for `attempt`: whether they are open and it still runs.
   * A missing device is reported (`media-error`) and the call goes on with the others; anything
   * else that leaves nothing to send fails the call.
   */
  async open(attempt: CallAttempt): Promise<boolean> {
    const { local, deviceList } = this;
    const host = this.#host;
    const fresh = !local.stream;
    void deviceList.watch();
    try {
      await local.open();
    } catch (error) {
      if (attempt.signal.aborted) return false;
      const { name = 'Error', message = '' } = error as DOMException;
      const denied = name === 'NotAllowedError' || name === 'SecurityError';
      // The status says it in the element's language; the event carries the browser's words.
      host.fail(new CallError('media-denied', `${name}: ${message}`), new MediaErrorEvent({ name, message }), denied, name);
      return false;
    }
    if (attempt.signal.aborted) return false;
    // Sessions made while it opened (joined early) send it from now on.
    if (fresh) attempt.mediaOpened();
    this.apply();
    if (fresh) host.emit(new MediaReadyEvent({ stream: local.stream! }));
    host.machine.mediaOpened();
    attempt.connected();
    return true;
  }

  /**
   * Plays the other person's audio in `element` on a speaker (`''`: the default), where the
   * browser can choose one; `device-change` when it did, `media-error` when it could not (the
   * call goes on with the speaker it had).
   */
  async useSpeaker(element: HTMLMediaElement, deviceId: string): Promise<void> {
    try {
      await setSpeaker(element, deviceId);
    } catch (error) {
      const { name, message } = error as DOMException;
      return this.#host.emit(new MediaErrorEvent({ name, message }));
    }
    const label = this.deviceList.devices.find((d) => d.kind === 'speaker' && d.deviceId === deviceId)?.label ?? '';
    this.#host.emit(new DeviceChangeEvent({ kind: 'speaker', deviceId, label }));
  }

  /** Releases camera, microphone and screen, and stops watching the devices. */
  release(): void {
    this.local.close();
    this.deviceList.unwatch();
  }
}
