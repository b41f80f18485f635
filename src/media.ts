/** The camera and microphone as a call wants them. */
export const MEDIA_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
};

/** Asks for the camera and microphone. Rejects with the browser's `DOMException`. */
export function getLocalMedia(constraints = MEDIA_CONSTRAINTS): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    // No mediaDevices at all: an insecure context (http:// on a non-local host) or an old browser.
    return Promise.reject(
      new DOMException('Camera access needs a secure (https) page.', 'NotSupportedError'),
    );
  }
  return navigator.mediaDevices.getUserMedia(constraints);
}

/** Stops every track of a stream (turns the camera light off). */
export function stopMedia(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Turns the tracks of one kind on or off without renegotiating. */
export function enableTracks(stream: MediaStream | null | undefined, kind: 'audio' | 'video', on: boolean): void {
  for (const track of stream?.getTracks() ?? []) if (track.kind === kind) track.enabled = on;
}
