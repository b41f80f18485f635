// Stand-ins for what a visitor's browser answers about cameras, microphones and screens, one test
// at a time. Each replaces one method and returns the function that puts back what was there
// (media-watch.ts's watcher, when it is installed); calling that twice does no harm.

type MediaMethod = 'getUserMedia' | 'getDisplayMedia';
type Request<M extends MediaMethod> = Parameters<MediaDevices[M]>[0];
type Open<M extends MediaMethod> = (request?: Request<M>) => Promise<MediaStream>;

/**
 * Replaces `navigator.mediaDevices[method]` with `replacement`, which is given the request and
 * the method it replaces (to call through, or not).
 *
 * @example
 * ```ts
 * const restore = stubMedia('getUserMedia', async (constraints, original) => opened.push(await original(constraints)));
 * ```
 */
export function stubMedia<M extends MediaMethod>(
  method: M,
  replacement: (request: Request<M> | undefined, original: Open<M>) => Promise<MediaStream>,
): () => void {
  const media = navigator.mediaDevices;
  const previous = media[method] as Open<M>;
  const original: Open<M> = (request) => previous.call(media, request);
  media[method] = (request?: Request<M>) => replacement(request, original);
  return () => {
    media[method] = previous;
  };
}

/** `method` rejects with a DOMException `name`, as a browser does when it is refused (NotAllowedError) or has nothing (NotFoundError). */
export function refuseMedia(
  name: string,
  { method = 'getUserMedia', message = `stubbed ${name}` }: { method?: MediaMethod; message?: string } = {},
): () => void {
  return stubMedia(method, () => Promise.reject(new DOMException(message, name)));
}

/** getUserMedia as in a browser without devices of these kinds: NotFoundError when one of them is asked for. */
export function withoutDevices(kinds: Array<'audio' | 'video'>): () => void {
  return stubMedia('getUserMedia', (constraints, original) =>
    kinds.some((kind) => constraints?.[kind])
      ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError'))
      : original(constraints),
  );
}

/** getUserMedia waits, as while a person decides, until the returned function is called (which also restores it). */
export function holdMedia(): () => void {
  let release!: () => void;
  const decided = new Promise<void>((resolve) => (release = resolve));
  const restore = stubMedia('getUserMedia', async (constraints, original) => (await decided, original(constraints)));
  return () => {
    release();
    restore();
  };
}

/**
 * The Permissions API answers `state` for camera and microphone: the test browsers grant both
 * (their flags), a visitor's browser often answers `prompt`.
 */
export function permissionsSay(state: PermissionState): () => void {
  const permissions = navigator.permissions;
  // Unbound on purpose: restored as it was, and called with `.call(permissions, …)`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = permissions.query;
  permissions.query = (descriptor) =>
    ['camera', 'microphone'].includes(descriptor.name)
      ? Promise.resolve({ state } as PermissionStatus)
      : original.call(permissions, descriptor);
  return () => {
    permissions.query = original;
  };
}
