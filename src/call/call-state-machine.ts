import type { CallState } from './call-state.js';

/** Where a call under way can go: on in the room (or back to the camera, for a new room), failed, or hung up. */
const FROM_CALL: readonly CallState[] = [
  'joining',
  'waiting',
  'connecting',
  'connected',
  'reconnecting',
  'requesting-media',
  'failed',
  'ended',
];
/** Where a call can go from a state in which nothing runs: preview it, or start it. */
const FROM_REST: readonly CallState[] = ['previewing', 'requesting-media', 'joining', 'failed'];

/**
 * Every state change a call can make, as data: `TRANSITIONS[from]` lists where it may go.
 * `start()` may be called in any state (a new room restarts the call), `hangUp()` ends any
 * call under way, and any step may fail.
 */
export const TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: FROM_REST,
  previewing: ['idle', ...FROM_REST],
  'requesting-media': ['joining', 'failed', 'ended'],
  joining: FROM_CALL,
  waiting: FROM_CALL,
  connecting: FROM_CALL,
  connected: FROM_CALL,
  reconnecting: FROM_CALL,
  ended: FROM_REST,
  failed: [...FROM_REST, 'ended'],
};

/**
 * The call's state, changed only along {@link TRANSITIONS}. `waiting` and `connecting` reached
 * while the camera is still opening (joined early) are entered once it is open
 * ({@link CallStateMachine.enterWithMedia}), so a page sees the usual order: camera, then room.
 */
export class CallStateMachine {
  state: CallState = 'idle';
  readonly #entered: (state: CallState, previous: CallState) => void;
  /** The state to enter once the camera is open. */
  #afterMedia: 'waiting' | 'connecting' | null = null;

  /** @param entered - called after every change (not for a state it is in already). */
  constructor(entered: (state: CallState, previous: CallState) => void) {
    this.#entered = entered;
  }

  /** Goes to `state`; a change the table does not list is a bug, said in the console and not made. */
  go(state: CallState): void {
    this.#afterMedia = null;
    const previous = this.state;
    if (state === previous) return;
    if (!TRANSITIONS[previous].includes(state)) return console.warn(`p2p-video-call: no transition ${previous} → ${state}`);
    this.state = state;
    this.#entered(state, previous);
  }

  /** Goes to `state` now if the camera is open, else once it is ({@link CallStateMachine.mediaOpened}). */
  enterWithMedia(state: 'waiting' | 'connecting', mediaOpen: boolean): void {
    if (mediaOpen) this.go(state);
    else this.#afterMedia = state;
  }

  /** The camera is open: enters the state that waited for it, if any. */
  mediaOpened(): void {
    if (this.#afterMedia) this.go(this.#afterMedia);
  }

  /** Whether the call is in one of `states`. */
  in(...states: CallState[]): boolean {
    return states.includes(this.state);
  }
}
