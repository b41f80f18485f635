// Counts the intervals this page has running (setInterval not yet cleared), without changing
// them, so a test can prove a finished call left no timer behind.
const live = new Set<number>();
const w = window as Window & { intervalsWatched?: boolean };

if (!w.intervalsWatched) {
  w.intervalsWatched = true;
  const set = window.setInterval.bind(window);
  const clear = window.clearInterval.bind(window);
  window.setInterval = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
    const id = set(handler, ms, ...args);
    live.add(id);
    return id;
  }) as typeof window.setInterval;
  window.clearInterval = ((id?: number) => {
    if (id !== undefined) live.delete(id);
    clear(id);
  }) as typeof window.clearInterval;
}

/** Intervals started and not cleared. */
export const liveIntervals = (): number => live.size;
