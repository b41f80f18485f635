import { RECOVERY_POLICY } from './recovery-policy.js';

/**
 * When a session restarts ICE during an outage: at the waits of the {@link RECOVERY_POLICY}
 * from the moment the outage was seen (0, 300, 1000… ms, then every `restartEveryMs`), until
 * `giveUpAfterMs`, held as data as LiveKit holds its reconnect delays. Also the one-off wait
 * before something counts as an outage (the connect timeout, ICE `disconnected`'s grace).
 *
 * @example
 * ```ts
 * const schedule = new RestartSchedule(() => 40_000, (reason) => pc.restartIce(), (reason) => fail(reason));
 * schedule.begin('media-lost');   // restarts now, then on the schedule
 * schedule.reset();               // the connection is back
 * ```
 */
export class RestartSchedule {
  /** When the outage began (`performance.now()`), or `null` between outages. */
  #startedAt: number | null = null;
  #restarts = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wait: ReturnType<typeof setTimeout> | undefined;
  readonly #giveUpAfterMs: () => number;
  readonly #due: (reason: string) => void;
  readonly #giveUp: (reason: string) => void;

  /**
   * @param giveUpAfterMs - how long an outage may last before `giveUp` (read at each restart).
   * @param due - restart now (called on the schedule).
   * @param giveUp - the outage lasted too long.
   */
  constructor(giveUpAfterMs: () => number, due: (reason: string) => void, giveUp: (reason: string) => void) {
    this.#giveUpAfterMs = giveUpAfterMs;
    this.#due = due;
    this.#giveUp = giveUp;
  }

  /** Whether an outage is under way. */
  get running(): boolean {
    return this.#startedAt !== null;
  }

  /**
   * An outage is seen: restarts begin, the first `after` ms from now (default: the schedule's
   * first wait), unless they already have for this outage. Then `begin(reason, 0)` restarts now
   * only if the first restart is still to come.
   */
  begin(reason: string, after?: number): void {
    if (this.running && (after !== 0 || this.#restarts > 0)) return;
    this.#startedAt ??= performance.now();
    this.#restarts = 0;
    this.#next(reason, after);
  }

  /** Calls `then` in `ms` unless waited for again, reset or cancelled first (one wait at a time). */
  wait(ms: number, then: () => void): void {
    clearTimeout(this.#wait);
    this.#wait = setTimeout(then, ms);
  }

  /** The connection is up: no outage, nothing armed. */
  reset(): void {
    this.#startedAt = null;
    this.cancel();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#wait);
  }

  #next(reason: string, after?: number): void {
    const { restartDelaysMs, restartEveryMs } = RECOVERY_POLICY;
    const delay = after ?? restartDelaysMs[this.#restarts] ?? restartEveryMs;
    const left = this.#startedAt! + this.#giveUpAfterMs() - performance.now();
    clearTimeout(this.#timer);
    if (delay >= left) {
      this.#timer = setTimeout(() => this.#giveUp(reason), Math.max(0, left));
      return;
    }
    this.#timer = setTimeout(() => {
      this.#restarts++;
      this.#next(reason);
      this.#due(reason);
    }, delay);
  }
}
