import type { CallState } from './call-state.js';

/**
 * Every word the element shows, in one table (English). `{name}` stands for the other person.
 */
export const STRINGS = {
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
  quality: { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', lost: 'Connection lost' },
} as const;
