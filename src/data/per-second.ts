/**
 * A budget of `limit` a calendar second (`Date.now()`): what the other side may make this side
 * do per second (chat lines shown, file offers taken), so a flood is cut off, not queued.
 */
export class PerSecond {
  readonly #limit: number;
  #second = 0;
  #used = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether one more fits in this second's budget (and takes it). */
  take(): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#second) [this.#second, this.#used] = [second, 0];
    return ++this.#used <= this.#limit;
  }
}
