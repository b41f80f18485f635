/** The kinds of device a person can choose. */
export type DeviceKind = 'camera' | 'microphone' | 'speaker';

/** One camera, microphone or speaker, as `devices` lists them. */
export interface DeviceInfo {
  kind: DeviceKind;
  deviceId: string;
  /** Empty until the page has camera/microphone permission (browsers hide labels before). */
  label: string;
}

const KINDS: Partial<Record<MediaDeviceKind, DeviceKind>> = {
  videoinput: 'camera',
  audioinput: 'microphone',
  audiooutput: 'speaker',
};

/**
 * The cameras, microphones and speakers of this machine: `enumerateDevices()`, kept current by
 * the `devicechange` event (plugged, unplugged, labels after permission). Fires `change` when
 * the list differs from the one before.
 *
 * @example
 * ```ts
 * const list = new DeviceList();
 * list.addEventListener('change', () => console.log(list.devices));
 * await list.watch();
 * ```
 */
export class DeviceList extends EventTarget {
  /** The devices, in the browser's order. */
  devices: DeviceInfo[] = [];
  #watching = false;
  readonly #onChange = () => void this.refresh();

  /** Lists the devices and follows changes until {@link DeviceList.unwatch}. */
  watch(): Promise<void> {
    if (!this.#watching && navigator.mediaDevices) {
      this.#watching = true;
      navigator.mediaDevices.addEventListener('devicechange', this.#onChange);
    }
    return this.refresh();
  }

  unwatch(): void {
    this.#watching = false;
    navigator.mediaDevices?.removeEventListener('devicechange', this.#onChange);
  }

  /** Lists the devices again; fires `change` if the list changed. Never rejects. */
  async refresh(): Promise<void> {
    let found: MediaDeviceInfo[];
    try {
      found = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
    } catch (error) {
      console.warn('p2p-video-call: enumerateDevices failed', error);
      return;
    }
    // Before permission, browsers list one placeholder per kind with an empty id: not choosable.
    const devices = found.flatMap(({ kind, deviceId, label }) => (KINDS[kind] && deviceId ? [{ kind: KINDS[kind], deviceId, label }] : []));
    if (JSON.stringify(devices) === JSON.stringify(this.devices)) return;
    this.devices = devices;
    this.dispatchEvent(new Event('change'));
  }

  /** The devices of one kind. */
  of(kind: DeviceKind): DeviceInfo[] {
    return this.devices.filter((d) => d.kind === kind);
  }
}

/** `HTMLMediaElement.setSinkId`, where the browser has it. */
type SinkElement = HTMLMediaElement & { setSinkId?(id: string): Promise<void>; sinkId?: string };

/**
 * Plays `element`'s audio on the speaker `deviceId` (`''`: the default). Rejects with a
 * `NotSupportedError` DOMException where the browser cannot choose a speaker (Safari before
 * 18.4, most phones), and with the browser's error for a device that is gone.
 */
export async function setSpeaker(element: HTMLMediaElement, deviceId: string): Promise<void> {
  const sink = element as SinkElement;
  if (!sink.setSinkId) throw new DOMException('This browser cannot choose a speaker.', 'NotSupportedError');
  if (sink.sinkId !== deviceId) await sink.setSinkId(deviceId);
}
