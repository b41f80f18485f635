import type { CallErrorCode, CallState } from '../call/call-state.js';

/**
 * Every word the element shows, and every accessible name, in one table: English, built in.
 * The other languages are tables of the same shape in `src/lang/<code>.json`, loaded when a
 * page uses them (see `localize.ts`). `{name}` stands for the other person.
 */
export const EN = {
  status: {
    idle: 'Ready to start the call.',
    previewing: 'Check your camera and microphone, then join.',
    'requesting-media': 'Asking for your camera and microphone…',
    joining: 'Joining the call…',
    waiting: 'Waiting for someone to join…',
    connecting: 'Connecting to {name}…',
    connected: 'Connected with {name}.',
    reconnecting: 'Connection lost. Reconnecting…',
    ended: 'Call ended.',
    failed: 'The call failed.',
  } satisfies Record<CallState, string>,
  /** The status in state `failed`, by `call-error` code (`media-denied` uses `mediaError`). */
  error: {
    'room-full': 'This call already has two people in it.',
    unauthorized: 'You are not allowed to join this call.',
    'invalid-room': 'This call link is not valid.',
    'signaling-unreachable': 'Could not reach the call server. Check your connection and try again.',
    'negotiation-failed': 'The call could not be set up in this browser.',
    'ice-failed': 'The connection to {name} was lost and could not be restored.',
    'invalid-ice-servers': 'This page’s call settings are not valid, so the call cannot start.',
    'signaling-error': 'The call server could not take the call. Try again.',
    'rate-limited': 'Too many calls were started from your network. Wait a minute, then try again.',
    'too-many-connections': 'Too many calls are open from your network. Close some, then try again.',
    'server-busy': 'The call server is busy. Try again in a few minutes.',
  } satisfies Record<Exclude<CallErrorCode, 'media-denied'>, string>,
  otherPerson: 'the other person',
  /** getUserMedia failures, by `DOMException.name`; `default` for any other. */
  mediaError: {
    NotAllowedError:
      'Camera and microphone access was blocked. Allow it with the camera icon in the address bar (or the site settings), then try again.',
    NotFoundError: 'No camera or microphone was found. Connect one and try again.',
    NotReadableError: 'Your camera or microphone is in use by another app. Close it and try again.',
    default: 'Could not start your camera and microphone.',
  },
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Stop camera',
  cameraOn: 'Start camera',
  hangUp: 'Hang up',
  start: 'Start call',
  join: 'Join',
  callAgain: 'Call again',
  tryAgain: 'Try again',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  settings: 'Settings',
  /** The call bar's menu of the buttons that do not fit in it. */
  more: 'More',
  devices: 'Devices',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  pip: 'Picture in picture',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  remoteCameraOff: 'Camera off',
  /** Accessible names of the videos. */
  remoteVideo: 'Video of {name}',
  localVideo: 'Your camera',
  remoteScreen: '{name} is sharing their screen.',
  remoteMicOff: 'Their microphone is off.',
  /** Said while you share your screen; also your shared screen's preview's name. */
  youShare: 'You are sharing your screen.',
  /** Said while your microphone is off in a call. */
  youMuted: 'Your microphone is off.',
  /** The status while waiting again after the other person left. */
  peerLeft: '{name} left the call. Waiting for someone to join…',
  quality: { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', lost: 'Connection lost' },
  /** Why the quality is not good (`quality.reason`), after the level in the indicator. */
  qualityReason: { 'packet-loss': 'packets lost', rtt: 'long delay', bandwidth: 'low bandwidth', 'no-media': 'nothing arriving' },
  /** The way the media goes (`quality.path`); `{protocol}` is UDP, TCP or TLS. */
  path: { direct: 'direct', relay: 'relayed (TURN, {protocol})' },
  chat: 'Chat',
  /** After the count of new lines and files on the chat button. */
  unread: 'unread',
  /** Who wrote your own chat lines. */
  you: 'You',
  /** The accessible name of the chat input. */
  message: 'Message',
  attach: 'Attach a file',
  cancel: 'Cancel',
  /** A file transfer that failed, by `file-error` code. */
  fileError: { 'too-large': 'Too large', cancelled: 'Cancelled', interrupted: 'Interrupted' },
};

/** A table of texts: every entry of the English one, in one language. */
export type Strings = { [K in keyof typeof EN]: (typeof EN)[K] extends string ? string : { [L in keyof (typeof EN)[K]]: string } };

/** Texts to use instead of the language's own (the `strings` property): any of them. */
export type StringsOverride = { [K in keyof Strings]?: Strings[K] extends string ? string : Partial<Strings[K]> };
