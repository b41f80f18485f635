import type { CallState } from './call-state.js';

/** What the status line says in each state: a sentence a person (and a screen reader) can use. */
export function statusText(state: CallState, peerName: string, error: string): string {
  const who = peerName || 'the other person';
  switch (state) {
    case 'idle':
      return 'Ready to start the call.';
    case 'requesting-media':
      return 'Asking for your camera and microphone…';
    case 'joining':
      return 'Joining the call…';
    case 'waiting':
      return 'Waiting for someone to join…';
    case 'connecting':
      return `Connecting to ${who}…`;
    case 'connected':
      return `Connected with ${who}.`;
    case 'reconnecting':
      return 'Connection lost. Reconnecting…';
    case 'ended':
      return 'Call ended.';
    case 'failed':
      return error || 'The call failed.';
  }
}

/** Human-readable explanation of a getUserMedia failure, by `DOMException.name`. */
export function mediaErrorText(name: string): string {
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera and microphone access was blocked. Allow it in your browser and try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera or microphone was found. Connect one and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'Your camera or microphone is in use by another app. Close it and try again.';
    default:
      return 'Could not start your camera and microphone.';
  }
}
