/**
 * Hides something after a while without activity and shows it again on any: the call bar
 * during a call. `canHide()` is asked when the time is up (no menu open, no focus inside, a
 * call going on); while it says no, the bar stays and the count starts again.
 */
export class AutoHide {
  /** Whether it is hidden now. */
  hidden = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #delayMs: number;
  readonly #canHide: () => boolean;
  readonly #onChange: () => void;

  constructor(delayMs: number, canHide: () => boolean, onChange: () => void) {
    this.#delayMs = delayMs;
    this.#canHide = canHide;
    this.#onChange = onChange;
  }

  /** Activity (a pointer, a key, the focus, a new state): shown, and the count starts again. */
  wake(): void {
    clearTimeout(this.#timer);
    if (this.hidden) {
      this.hidden = false;
      this.#onChange();
    }
    this.#timer = setTimeout(() => {
      if (!this.#canHide()) return this.wake();
      this.hidden = true;
      this.#onChange();
    }, this.#delayMs);
  }

  /** No more counting (the element left the page); shown. */
  stop(): void {
    clearTimeout(this.#timer);
    this.hidden = false;
  }
}
