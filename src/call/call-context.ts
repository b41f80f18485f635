import type { CallData } from '../data/call-data.js';
import type { LocalMedia } from '../media/local-media.js';
import type { MediaStateInit } from '../protocol.js';
import type { CallAttempt } from './call-attempt.js';
import type { CallStateMachine } from './call-state-machine.js';
import type { IceConfiguration } from './ice-configuration.js';

/** What an attempt uses of the call it belongs to (see `CallController`). */
export interface CallContext {
  readonly media: LocalMedia;
  readonly machine: CallStateMachine;
  readonly ice: IceConfiguration;
  /** Messages, chat and files, across the call's peer connections. */
  readonly data: CallData;
  emit: (event: Event) => void;
  changed: () => void;
  /** Ends the call on an error; the attempt is closed by it. */
  fail(cause: unknown): void;
  /** Opens camera and microphone for `attempt`: whether they are open and it is still running. */
  openMedia(attempt: CallAttempt): Promise<boolean>;
  /** What we send now, for the other peer. */
  mediaState(): Required<MediaStateInit>;
}
