import { RECOVERY_POLICY } from './recovery-policy.js';

/**
 * When a session restarts ICE: one timer, and the count of restarts since the connection was
 * last up, with the waits of the {@link RECOVERY_POLICY}. When the timer fires the session looks
 * at the transport (an ICE restart on a working transport may never change connectionState, so
 * the state is read, not awaited) and restarts again, or gives up past the limit.
 */
export class RestartSchedule {
  #restarts = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #limit: number;
  readonly #due: (reason: string) => void;

  /** @param due - called when the timer fires, with the reason it was armed for. */
  constructor(limit: number | undefined, due: (reason: string) => void) {
    this.#limit = limit ?? RECOVERY_POLICY.restartDelaysMs.length;
    this.#due = due;
  }

  /** Counts a restart and arms the wait after it; `false` (and nothing armed) past the limit. */
  next(reason: string): boolean {
    const delays = RECOVERY_POLICY.restartDelaysMs;
    if (++this.#restarts > this.#limit) {
      this.cancel();
      return false;
    }
    this.arm(delays[Math.min(this.#restarts, delays.length) - 1], reason);
    return true;
  }

  /** Calls back in `ms` unless armed again or cancelled first. */
  arm(ms: number, reason: string): void {
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#due(reason);
    }, ms);
  }

  /** The connection is up: the count starts again, nothing is armed. */
  reset(): void {
    this.#restarts = 0;
    this.cancel();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
