import type { CallState, Failure } from '../call/call-state.js';
import { EN, type Strings } from './strings.js';

/**
 * A text with `{name}` filled in: the other person's name, or the language's word for them
 * (capitalised when it starts the sentence).
 */
export function fill(text: string, name: string, t: Strings): string {
  const filled = text.replace('{name}', name || t.otherPerson);
  return !name && text.startsWith('{name}') ? filled[0].toUpperCase() + filled.slice(1) : filled;
}

/**
 * What the status line says: a sentence a person (and a screen reader) can use, from the state
 * and, in `failed`, the error code; never from what a server or the browser said.
 */
export function statusText(t: Strings, state: CallState, peerName: string, failure: Failure | null): string {
  if (state === 'failed' && failure) {
    return failure.code === 'media-denied' ? mediaErrorText(failure.media ?? '', t) : fill(t.error[failure.code], peerName, t);
  }
  return fill(t.status[state], peerName, t);
}

/** Aliases of getUserMedia error names that mean the same to a person. */
const SAME: Record<string, keyof Strings['mediaError']> = {
  SecurityError: 'NotAllowedError',
  OverconstrainedError: 'NotFoundError',
  AbortError: 'NotReadableError',
};

/** Human-readable explanation of a getUserMedia failure, by `DOMException.name`. */
export function mediaErrorText(name: string, t: Strings = EN): string {
  const texts: Record<string, string> = t.mediaError;
  return texts[SAME[name] ?? name] ?? texts.default;
}
