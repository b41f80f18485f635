// Cleanup: everything bench:connect starts is stopped on every exit path, including SIGINT/SIGTERM.
import { withTimeout } from '../../test/support/wait.mjs';

/** @type {Set<() => Promise<unknown>>} */
export const cleanups = new Set();

/** Runs every queued cleanup once (each bounded at 10 s). */
export async function cleanupAll() {
  const tasks = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(tasks.map((task) => withTimeout(Promise.resolve().then(task), 10_000, 'cleanup')));
}

let interrupted = false;
/** Whether SIGINT or SIGTERM arrived: the run stops at the next trial. */
export const isInterrupted = () => interrupted;

/** On SIGINT/SIGTERM: stop everything, then exit 130/143; a second signal exits at once. */
export function stopOnSignals() {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      if (interrupted) process.exit(code); // a second signal: the user means it
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping browsers and the relay…\n`);
      cleanupAll().finally(() => process.exit(code));
    });
  }
}
