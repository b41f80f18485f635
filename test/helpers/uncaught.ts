// Uncaught errors and unhandled rejections on the test page: what a page's visitors would see
// in the console, and what the element must never cause, whatever the other peer sends.

/** Uncaught errors and rejections on the page from now on; `stop()` ends the watch. */
export function watchUncaught(): { seen: string[]; stop(): void } {
  const seen: string[] = [];
  const onError = (e: ErrorEvent) => seen.push(String(e.error ?? e.message));
  const onRejection = (e: PromiseRejectionEvent) => seen.push(String(e.reason));
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return {
    seen,
    stop: () => {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
    },
  };
}
