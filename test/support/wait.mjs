// Bounded waiting: the only way tests synchronise with browsers and processes. No fixed sleeps.

/**
 * Thrown by a `waitFor` callback to stop waiting at once (e.g. the process being waited for
 * has exited); any other error only counts as "not yet".
 */
export class GiveUp extends Error {}

/**
 * Polls `fn` until it returns a truthy value (or a promise of one), and returns that value.
 * Throws after `timeout` ms with `message` and the last error `fn` threw, if any, or at once
 * when `fn` throws a {@link GiveUp}.
 *
 * @example
 *   const pc = await waitFor(() => page.evaluate(() => window.pc?.iceConnectionState === 'connected'),
 *     { timeout: 5000, message: 'ICE never connected' });
 *
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {{ timeout?: number, interval?: number, message?: string }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(fn, { timeout = 10_000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return /** @type {NonNullable<T>} */ (value);
      lastError = undefined;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${reason}`, {
        cause: lastError,
      });
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Rejects with `message` if `promise` has not settled after `timeout` ms.
 *
 * @template T
 * @param {Promise<T>} promise
 * @param {number} timeout
 * @param {string} message
 * @returns {Promise<T>}
 */
export function withTimeout(promise, timeout, message) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeout} ms: ${message}`)), timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** @param {number} ms */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
