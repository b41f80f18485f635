/** `navigator.connection` (Network Information API: Chromium), absent from the DOM types. */
type Connection = EventTarget | undefined;

/**
 * Tells when the device's network changed: the browser's `online` event (back from offline)
 * and, where there is one, `navigator.connection`'s `change` (another network, Wi-Fi to
 * mobile). A peer connection's path may be gone then, and the old one's checks back off: the
 * call restarts ICE at once rather than on its schedule, as LiveKit does.
 */
export class NetworkWatch {
  readonly #changed: () => void;
  readonly #connection = (navigator as Navigator & { connection?: Connection }).connection;

  /** @param changed - called on each change, from a browser event. */
  constructor(changed: () => void) {
    this.#changed = changed;
    addEventListener('online', changed);
    this.#connection?.addEventListener('change', changed);
  }

  stop(): void {
    removeEventListener('online', this.#changed);
    this.#connection?.removeEventListener('change', this.#changed);
  }
}
