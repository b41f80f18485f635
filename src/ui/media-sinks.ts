/**
 * Shows `stream` in `video`, only when it changed: Lit re-assigns object values on every render,
 * and assigning srcObject, even the same stream, reloads the video (HTML "media element load
 * algorithm"): it flickers, and after a reconnect autoplay sometimes never resumed.
 */
export function showStream(video: HTMLVideoElement, stream: MediaStream | null): void {
  if (video.srcObject !== stream) video.srcObject = stream;
}

/** The call's state as the element's CSS custom state (`:state(connected)`), where supported. */
export function showState(internals: ElementInternals | undefined, state: string): void {
  const states = internals?.states;
  try {
    states?.clear();
    states?.add(state);
  } catch {
    // Older engines accept only `--dashed` states, or have none: skip.
  }
}
