/** The width the first video frames are encoded at (a camera wider than this is scaled down). */
export const START_WIDTH = 640;
/** How long after the connection is up full resolution is allowed. */
export const RAMP_AFTER_MS = 300;
/** How long after that the resolution is held while the bandwidth estimate grows. */
export const HOLD_RESOLUTION_MS = 10_000;
/** The width of the first frames after an outage, and for how long (ms). */
export const RECOVERY_WIDTH = 320;
export const RECOVERY_HOLD_MS = 1500;
/** How long the encoding is off to make a key frame (ms): over a frame at 30 fps. */
const KEY_FRAME_GAP_MS = 40;

/**
 * Starts a camera's video at {@link START_WIDTH} and lets it go to full resolution once the
 * call is up. Why: a new connection's first bandwidth estimate (about 300 kbit/s) cannot carry
 * 720p, so the encoder drops its first frames and starts over smaller: measured here, the first
 * remote frame of a 1280x720 camera came about 130 ms later than at 640x480 (bench:connect).
 * Scaling the sender down (`scaleResolutionDownBy`, no renegotiation) until 0.3 s after
 * `connected` gives the fast first frame of a small camera and the sharpness of the large one.
 * Full resolution is then held for {@link HOLD_RESOLUTION_MS} (`degradationPreference:
 * 'maintain-resolution'`: frame rate and quality give way first) while the bandwidth estimate
 * grows; Firefox's `balanced` adaptation otherwise took 12–14 s to climb back to 720p on a fast
 * path (Chromium: 0.4 s). After that the browser adapts as it would by itself (`balanced`).
 *
 * @example
 * ```ts
 * const ramp = new ResolutionRamp(() => videoSender);
 * await pc.setLocalDescription(); await ramp.hold();   // after each description, until ramped
 * ramp.connected();                                   // when the transport is up
 * ```
 */
export class ResolutionRamp {
  readonly #sender: () => RTCRtpSender | undefined;
  #ramped = false;
  /** The ramp, then the end of the hold. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The end of the small frames after an outage. */
  #recovery: ReturnType<typeof setTimeout> | undefined;

  constructor(sender: () => RTCRtpSender | undefined) {
    this.#sender = sender;
  }

  /** Scales the video down to {@link START_WIDTH}, unless ramped already. Never rejects. */
  async hold(): Promise<void> {
    const sender = this.#sender();
    const width = sender?.track?.getSettings().width ?? 0;
    if (this.#ramped || !sender || width <= START_WIDTH) return;
    await this.#set(width / START_WIDTH);
  }

  /**
   * The transport is up: full resolution in {@link RAMP_AFTER_MS}, held for
   * {@link HOLD_RESOLUTION_MS} (`degradationPreference: 'maintain-resolution'`), then the
   * browser's own adaptation (`balanced`) again.
   */
  connected(): void {
    if (this.#ramped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#ramped = true;
      this.#timer = setTimeout(() => void this.#set(undefined, 'balanced'), HOLD_RESOLUTION_MS);
      void this.#set(1, 'maintain-resolution');
    }, RAMP_AFTER_MS);
  }

  /**
   * Media is back after an outage: the video starts again with a key frame, at
   * {@link RECOVERY_WIDTH} for {@link RECOVERY_HOLD_MS}. The encoding is turned off for a frame
   * and on again (`setParameters`, no renegotiation): a page has no other way to ask for a key
   * frame, and the receiver's own request may not have got through (Chromium receiving Firefox
   * waited 1–3 s for a decodable frame after a 3 s cut; a changed scale alone did not make
   * Firefox send one). Small, because the sender's estimate of what it can send starved during
   * the outage. Never rejects; the encoding is on again whatever happens.
   */
  async recover(): Promise<void> {
    const width = this.#sender()?.track?.getSettings().width ?? 0;
    const small = this.#ramped && width > RECOVERY_WIDTH;
    await this.#set(small ? width / RECOVERY_WIDTH : undefined, undefined, false);
    await new Promise((resolve) => setTimeout(resolve, KEY_FRAME_GAP_MS));
    // On again, even if another parameter change came in between (one more try for that).
    if (!(await this.#set(undefined, undefined, true))) await this.#set(undefined, undefined, true);
    if (!small) return;
    clearTimeout(this.#recovery);
    this.#recovery = setTimeout(() => void this.#set(1), RECOVERY_HOLD_MS);
  }

  /** Cancels a pending ramp (the session closed). */
  stop(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#recovery);
  }

  /** Changes the video encoding; whether the browser took it. */
  async #set(by?: number, preference?: RTCDegradationPreference, active?: boolean): Promise<boolean> {
    const sender = this.#sender();
    if (!sender) return true;
    const parameters = sender.getParameters();
    const [encoding] = parameters.encodings ?? [];
    if (!encoding) return true;
    if (by !== undefined) encoding.scaleResolutionDownBy = by;
    if (active !== undefined) encoding.active = active;
    if (preference) parameters.degradationPreference = preference;
    try {
      await sender.setParameters(parameters);
      return true;
    } catch {
      // The connection closed meanwhile, or the browser refused: it sends what it sends. A
      // browser without degradationPreference still gets its full resolution.
      return !!preference && !!by && this.#set(by);
    }
  }
}
