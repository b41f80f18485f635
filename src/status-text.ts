import type { CallState } from './call-state.js';
import { STRINGS } from './strings.js';

/** What the status line says in each state: a sentence a person (and a screen reader) can use. */
export function statusText(state: CallState, peerName: string, error: string): string {
  if (state === 'failed' && error) return error;
  return STRINGS.status[state].replace('{name}', peerName || STRINGS.otherPerson);
}

/** Aliases of getUserMedia error names that mean the same to a person. */
const SAME: Record<string, keyof typeof STRINGS.mediaError> = {
  SecurityError: 'NotAllowedError',
  OverconstrainedError: 'NotFoundError',
  AbortError: 'NotReadableError',
};

/** Human-readable explanation of a getUserMedia failure, by `DOMException.name`. */
export function mediaErrorText(name: string): string {
  const texts: Record<string, string> = STRINGS.mediaError;
  return texts[SAME[name] ?? name] ?? texts.default;
}
