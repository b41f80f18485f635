// Watches (without changing) getUserMedia and getDisplayMedia: how often they were called, and
// every track they handed out, so tests can count prompts and prove every track was stopped.
const tracks: MediaStreamTrack[] = [];
const calls = { getUserMedia: 0, getDisplayMedia: 0 };
const media = navigator.mediaDevices as MediaDevices & { watched?: boolean };

if (!media.watched) {
  media.watched = true;
  for (const name of ['getUserMedia', 'getDisplayMedia'] as const) {
    // Unbound on purpose: called with `.call(media, …)`. Possibly absent (getDisplayMedia), whatever the DOM types say.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = media[name] as ((c?: MediaStreamConstraints) => Promise<MediaStream>) | undefined;
    if (!original) continue;
    // An own property, so a test that stubs it (and restores it) stubs this wrapper.
    media[name] = async (constraints?: MediaStreamConstraints) => {
      calls[name]++;
      const stream = await original.call(media, constraints);
      tracks.push(...stream.getTracks());
      return stream;
    };
  }
}

/** How many times each was called so far. */
export const mediaCalls = (): Readonly<typeof calls> => ({ ...calls });

/** Tracks handed out so far that are still live. */
export const liveTracks = (): MediaStreamTrack[] => tracks.filter((t) => t.readyState === 'live');

/** The id of a Chromium fake camera, by label (permission is granted by the flags). */
export async function cameraId(label: string): Promise<string> {
  const probe = await navigator.mediaDevices.getUserMedia({ video: true });
  probe.getTracks().forEach((t) => t.stop());
  const camera = (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput' && d.label === label);
  if (!camera) throw new Error(`no camera labelled ${label}`);
  return camera.deviceId;
}
