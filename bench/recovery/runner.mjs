// One system's run of bench:recovery: launch a browser, set the call up, and for each trial cut
// all UDP for the outage, heal, and time the video's return on each side. The call is kept from
// one trial to the next while it lasts; it is set up again only once it ended (or its video did
// not come back at all).
import puppeteer from 'puppeteer-core';
import { launchOptions } from '../../test/support/browsers.mjs';
import { waitFor, withTimeout } from '../../test/support/wait.mjs';
import { cleanups, isInterrupted } from '../connect/cleanup.mjs';
import { assertRelayRunning } from '../connect/relay.mjs';
import { cpuSnapshot, otherCores, waitForQuiet } from '../support/machine-load.mjs';
import { FRAMES_BACK, GIVE_UP_MS, SYSTEM_LABEL } from './options.mjs';
import { pageFrameAfter, pageFramesBetween } from './page.mjs';
import { SET_UP } from './systems.mjs';

/** Before each cut: the call connected on both sides and this many frames of video on each. */
const STEADY_FRAMES = 10;
/** …and then this long of it, so that a cut does not fall into the end of the last recovery. */
const SETTLE_MS = 1000;
/** Frames presented this long after the cut still come from before it (the jitter buffer). */
const CUT_GRACE_MS = 500;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Launches `kind` for a run (closed by the caller, and by cleanupAll() on a signal). */
async function launch(kind) {
  const options = launchOptions(kind);
  // Full-precision timers in Firefox too (it rounds performance.now() to 1 ms by default).
  if (kind === 'firefox') options.extraPrefsFirefox = { ...options.extraPrefsFirefox, 'privacy.reduceTimerPrecision': false };
  const browser = await puppeteer.launch({ ...options, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  const close = () => withTimeout(browser.close(), 15_000, `closing ${kind}`).catch(() => browser.process()?.kill('SIGKILL'));
  cleanups.add(close);
  return { browser, close: () => (cleanups.delete(close), close()) };
}

/** Waits until `call` is connected on both sides with video playing on each; throws if not within GIVE_UP_MS. */
async function steady(call) {
  await waitFor(() => call.ready(), { timeout: GIVE_UP_MS, interval: 100, message: 'the call to be connected on both sides' });
  const since = Date.now();
  const frames = await Promise.all(call.sides.map((s) => s.page.evaluate(pageFrameAfter, s.key, since, STEADY_FRAMES, 10_000)));
  const still = call.sides.filter((_, i) => frames[i] === null).map((s) => s.label);
  if (still.length) throw new Error(`no remote video on ${still.join(' and ')} (connected)`);
  await sleep(SETTLE_MS);
}

/**
 * One outage: all UDP dropped for `seconds`, then healed (in every case); resolves with the time
 * from the heal to the first of FRAMES_BACK frames on each side (null: not back in GIVE_UP_MS).
 */
async function outage(call, net, seconds) {
  const cpuBefore = cpuSnapshot();
  const cutAt = Date.now();
  let healedAt;
  try {
    await net.dropUdp();
    // The outage itself: a duration, not a wait for something to happen.
    await sleep(seconds * 1000);
  } finally {
    await net.heal();
    // Counted from the moment the rules are gone (`nft delete table` returned).
    healedAt = Date.now();
  }
  const back = await Promise.all(call.sides.map((s) => s.page.evaluate(pageFrameAfter, s.key, healedAt, FRAMES_BACK, GIVE_UP_MS)));
  const during = await Promise.all(call.sides.map((s) => s.page.evaluate(pageFramesBetween, s.key, cutAt + CUT_GRACE_MS, healedAt)));
  const sides = back.map((at) => (at === null ? null : Math.round(at - healedAt)));
  return {
    sides,
    both: sides.includes(null) ? null : Math.max(...sides),
    framesDuringOutage: during,
    otherCores: otherCores(cpuBefore, cpuSnapshot()),
    said: await call.said(cutAt),
  };
}

/**
 * Runs every trial of `options` for system `name`; resolves with the trials, the set-ups, and
 * the failures. The browser and every page are closed in every case.
 */
export async function runSystem(name, env, options, log) {
  const label = SYSTEM_LABEL[name];
  const { browser, close } = await launch(options.browser);
  /** @type {import('./systems.mjs').Call | null} */
  let call = null;
  const result = { system: name, version: await browser.version(), setups: 0, resetups: [], trials: [], failures: [] };
  const setUp = async (why) => {
    if (call) await call.close();
    call = null;
    if (why) {
      result.resetups.push(why);
      log.progress(`${label}: setting the call up again (${why})`);
    }
    call = await SET_UP[name](browser, env);
    result.setups++;
    await steady(call);
  };
  try {
    for (let round = 1; round <= options.trials; round++) {
      for (const seconds of options.outages) {
        if (isInterrupted()) throw new Error('interrupted');
        if (name === 'product') assertRelayRunning(env.relay);
        const trial = `${seconds} s outage, trial ${round}`;
        try {
          if (!call) {
            await setUp(result.failures.length ? 'after the failure above' : null);
          } else {
            const ended = await call.ended();
            if (ended) {
              await setUp(`the call ended: ${ended}`);
            } else {
              try {
                await steady(call);
              } catch (error) {
                await setUp(`still on, but ${error.message}`);
              }
            }
          }
          if (options.quietWait > 0) await waitForQuiet(options.quietWait);
          const measured = await outage(call, env.net, seconds);
          result.trials.push({ seconds, round, ...measured });
          const show = (ms) => (ms === null ? 'not back' : `${ms} ms`);
          log.progress(
            `${label} ${trial}: back after ${call.sides.map((s, i) => `${s.label} ${show(measured.sides[i])}`).join(', ')}` +
              (measured.otherCores === null ? '' : ` (other processes: ${measured.otherCores} cores)`) +
              `; said: ${measured.said.join('; ')}`,
          );
        } catch (error) {
          if (isInterrupted()) throw error;
          const errors = call?.errors() ?? [];
          const message = `${label} ${trial} FAILED: ${error.message}${errors.length ? `\n  page errors: ${[...new Set(errors)].slice(0, 5).join(' | ')}` : ''}`;
          result.failures.push({ seconds, round, error: message });
          log.error(message);
          await call?.close();
          call = null;
          if (name === 'product') assertRelayRunning(env.relay);
        }
      }
    }
    return result;
  } finally {
    await call?.close();
    await close();
  }
}
