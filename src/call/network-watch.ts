/** `navigator.connection` (Network Information API: Chromium), absent from the DOM types. */
type Connection = (EventTarget & { readonly type?: string }) | undefined;

/**
 * Tells when the device's network changed: the browser's `online` event (back from offline)
 * and, where there is one, a new `navigator.connection.type` (Wi-Fi to mobile; its `change`
 * also fires when only the estimates move, which is no reason to restart). A peer connection's
 * path may be gone then, and the old one's checks back off: the call restarts ICE at once rather
 * than on its schedule, as LiveKit does.
 */
export class NetworkWatch {
  /** Stops listening. */
  readonly stop: () => void;

  /** @param changed - called on each change, from a browser event. */
  constructor(changed: () => void) {
    const connection = (navigator as Navigator & { connection?: Connection }).connection;
    let type = connection?.type;
    // Compared with the type before, which becomes the new one.
    const onConnection = () => type !== (type = connection?.type) && changed();
    addEventListener('online', changed);
    connection?.addEventListener('change', onConnection);
    this.stop = () => {
      removeEventListener('online', changed);
      connection?.removeEventListener('change', onConnection);
    };
  }
}
