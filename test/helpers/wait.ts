// Waiting in browser tests: always for an event or a condition, always with a bound. The one
// browser-side wait helper (node-side: test/support/wait.mjs).

/**
 * Resolves with the next `type` event on `target` (for which `where` holds, when given); rejects
 * after `timeout` ms.
 */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(
  target: EventTarget,
  type: K,
  timeout?: number,
  where?: (event: GlobalEventHandlersEventMap[K]) => boolean,
): Promise<GlobalEventHandlersEventMap[K]>;
export function nextEvent<E extends Event = Event>(
  target: EventTarget,
  type: string,
  timeout?: number,
  where?: (event: E) => boolean,
): Promise<E>;
export function nextEvent(
  target: EventTarget,
  type: string,
  timeout = 15_000,
  where: (event: Event) => boolean = () => true,
): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, onEvent);
      reject(new Error(`no ${type} event within ${timeout} ms`));
    }, timeout);
    const onEvent = (event: Event) => {
      if (!where(event)) return;
      clearTimeout(timer);
      target.removeEventListener(type, onEvent);
      resolve(event);
    };
    target.addEventListener(type, onEvent);
  });
}

/** Polls `condition` (sync or async) every 20 ms until it is truthy; rejects after `timeout` ms. */
export async function until<T>(condition: () => T | Promise<T>, message: string, timeout = 15_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeout} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once `video` has presented `frames` new frames (it is playing, not frozen). */
export function framesPresented(video: HTMLVideoElement, frames = 3, timeout = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => {
      const { top, bottom } = video.getBoundingClientRect();
      const state = `paused=${video.paused} readyState=${video.readyState} size=${video.videoWidth}x${video.videoHeight} top=${Math.round(top)} bottom=${Math.round(bottom)} viewport=${innerHeight} visibility=${document.visibilityState}`;
      reject(new Error(`only ${seen} of ${frames} video frames within ${timeout} ms (${state})`));
    }, timeout);
    const onFrame = () => {
      if (++seen >= frames) {
        clearTimeout(timer);
        resolve();
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
}
