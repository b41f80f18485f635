/**
 * The states of a call, in the order a successful call passes through them.
 * `previewing` shows the camera and the device choice before joining (`preview()`).
 * `ended` means hung up locally (media released); `failed` means it could not go on.
 */
export type CallState =
  'idle' | 'previewing' | 'requesting-media' | 'joining' | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'failed';

/** Codes of `call-error`. */
export type CallErrorCode =
  | 'room-full'
  | 'unauthorized'
  | 'invalid-room'
  | 'signaling-unreachable'
  | 'negotiation-failed'
  | 'ice-failed'
  | 'media-denied'
  | 'invalid-ice-servers'
  | 'signaling-error'
  /** Too many calls started from the visitor's address in a minute (the relay's limit). */
  | 'rate-limited'
  /** Too many connections open from the visitor's address (the relay's limit). */
  | 'too-many-connections'
  /** The relay is at its connection limit. */
  | 'server-busy';

/** Why a call ended (`call-ended`). */
export type CallEndReason = 'hangup' | 'peer-left' | 'error';

/** An error a page can handle: thrown by nothing, reported as `call-error`. */
export class CallError extends Error {
  constructor(
    readonly code: CallErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Why a call failed, as far as the status line needs it. */
export interface Failure {
  code: CallErrorCode;
  /** For `media-denied`: the `DOMException` name of the camera/microphone failure. */
  media?: string;
}
