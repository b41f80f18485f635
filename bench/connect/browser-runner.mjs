// One browser's run of bench:connect: launch it, open the relay's demo page (and the baselines'
// page), run the warm-ups and the trials, each followed by the baselines under the same conditions.
import puppeteer from 'puppeteer-core';
import { launchOptions, openWindow } from '../../test/support/browsers.mjs';
import { waitFor, withTimeout } from '../../test/support/wait.mjs';
import { BASELINES, pageBaselineTrial } from '../connect-baselines.mjs';
import { cpuSnapshot, otherCores, waitForQuiet } from '../support/machine-load.mjs';
import { cleanups, isInterrupted } from './cleanup.mjs';
import { BROWSER_LABEL } from './options.mjs';
import { pageTrial } from './page-trial.mjs';
import { assertRelayRunning, relayCounts } from './relay.mjs';
import { pageInstallTrace, tracePhases } from './trace.mjs';

/**
 * Runs every trial of `options` in browser `kind` against the relay at `origin`; resolves with
 * the browser's version, launch time, warm-ups, trials, failures and baselines. The browser is
 * closed in every case.
 */
export async function benchBrowser(kind, { origin, metricsUrl, relay, baselines }, options, log) {
  const launchStarted = performance.now();
  const launch = launchOptions(kind);
  // Firefox rounds performance.now() to 1 ms by default (a fingerprinting defence): medians of
  // whole milliseconds tie. Full precision for the measurement.
  if (kind === 'firefox') launch.extraPrefsFirefox = { ...launch.extraPrefsFirefox, 'privacy.reduceTimerPrecision': false };
  const browser = await puppeteer.launch({
    ...launch,
    // Our own SIGINT/SIGTERM handlers close the browser after the relay's cleanup is queued.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const closeBrowser = () => browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  cleanups.add(closeBrowser);
  try {
    const launchMs = Math.round(performance.now() - launchStarted);
    const version = await browser.version();
    const page = await openWindow(browser);
    /** @type {string[]} */
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
    page.on('console', (message) => {
      const text = message.text();
      // the demo page has no favicon
      if (message.type() === 'error' && !/favicon|status of 404/.test(text)) pageErrors.push(text);
    });
    const loadPage = async () => {
      await page.goto(`${origin}/`, { waitUntil: 'load', timeout: options.timeout });
      await withTimeout(
        page.evaluate(() => customElements.whenDefined('p2p-video-call').then(() => true)),
        options.timeout,
        `customElements.whenDefined('p2p-video-call') in ${kind} (page errors: ${summarizeErrors(pageErrors) || 'none'})`,
      );
      const secure = await page.evaluate(() => isSecureContext);
      if (!secure) throw new Error(`${origin}/ is not a secure context in ${kind}`);
      if (options.trace) await page.evaluate(pageInstallTrace);
    };
    // The page asks the relay's metrics listener (another origin) through this.
    await page.exposeFunction('relayConnections', async () => (await relayCounts(metricsUrl)).connections);
    await loadPage();
    // PeerJS and the floor, in a window of their own, kept open like the product's.
    const basePage = baselines ? await openWindow(browser) : null;
    if (basePage) await basePage.goto(`${baselines.origin}/`, { waitUntil: 'load', timeout: options.timeout });
    /** @type {Record<string, { warmups: object[], trials: object[], failures: string[] }>} */
    const others = Object.fromEntries(BASELINES.map(([name]) => [name, { warmups: [], trials: [], failures: [] }]));

    const warmups = [];
    const trials = [];
    const failures = [];
    const total = options.warmup + options.trials;
    for (let i = 0; i < total; i++) {
      if (isInterrupted()) throw new Error('interrupted');
      assertRelayRunning(relay);
      pageErrors.length = 0;
      const warmup = i < options.warmup;
      const label = warmup ? `warm-up ${i + 1}` : `trial ${i - options.warmup + 1}`;
      const room = `bench-${kind}-${Date.now().toString(36)}-${i}`;
      if (options.freshPage && i > 0) await loadPage();
      if (options.quietWait > 0) await waitForQuiet(options.quietWait);
      const cpuBefore = cpuSnapshot();
      try {
        const result = await withTimeout(
          page.evaluate(pageTrial, room, options.timeout, options.warm, options.gap),
          // the page bounds each of its waits; this bounds the whole evaluate on top
          options.timeout * 3 + 5000,
          `${label} in ${kind}: page.evaluate did not return`,
        );
        // Let the relay forget the room before the next trial: no connection may be left.
        await waitFor(
          async () => {
            const counts = await relayCounts(metricsUrl);
            return counts.connections === 0 && counts.participants === 0 ? counts : null;
          },
          { timeout: options.timeout, interval: 20, message: `the relay to show 0 connections after ${label}` },
        );
        result.otherCores = otherCores(cpuBefore, cpuSnapshot());
        if (result.trace) result.phases = tracePhases(result.trace);
        (warmup ? warmups : trials).push({ room, ...result });
        log.progress(
          `${BROWSER_LABEL[kind]} ${label}: connected ${result.connectedBoth} ms, first frame ${result.frameBoth} ms` +
            (result.otherCores === null ? '' : ` (other processes: ${result.otherCores} cores)`),
        );
      } catch (error) {
        if (isInterrupted()) throw error;
        // give the relay's exit a moment to be noticed: a refused connection usually means it died
        await Promise.race([relay.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
        assertRelayRunning(relay);
        const message = `${BROWSER_LABEL[kind]} ${label} FAILED: ${error.message}${pageErrors.length ? `\n  page errors: ${summarizeErrors(pageErrors)}` : ''}`;
        failures.push({ trial: label, room, error: message });
        log.error(message);
        // Leave nothing behind for the next trial.
        await page
          .evaluate(() => document.querySelectorAll('p2p-video-call[room^="bench-"]').forEach((el) => (el.hangUp(), el.remove())))
          .catch(() => {
            // A crashed page holds nothing either.
          });
      }
      // The baselines right after, under the same conditions.
      for (const [name, label] of basePage ? BASELINES : []) {
        const cpu = cpuSnapshot();
        try {
          const result = await basePage.evaluate(pageBaselineTrial, name, baselines.peerPort, options.timeout, options.warm, options.gap);
          result.otherCores = otherCores(cpu, cpuSnapshot());
          (warmup ? others[name].warmups : others[name].trials).push(result);
          log.progress(
            `${BROWSER_LABEL[kind]} ${label} ${label2(warmup, i, options)}: connected ${Math.round(result.connectedBoth)} ms, first frame ${Math.round(result.frameBoth)} ms`,
          );
        } catch (error) {
          const message = `${BROWSER_LABEL[kind]} ${label} ${label2(warmup, i, options)} FAILED: ${error.message}`;
          others[name].failures.push(message);
          log.error(message);
        }
      }
    }
    return { browser: kind, version, launchMs, warmups, trials, failures, baselines: basePage ? others : null };
  } finally {
    cleanups.delete(closeBrowser);
    await withTimeout(closeBrowser(), 15_000, `closing ${kind}`).catch(() => browser.process()?.kill('SIGKILL'));
  }
}

/** A trial's label: `warm-up 1`, `trial 3`. */
const label2 = (warmup, i, options) => (warmup ? `warm-up ${i + 1}` : `trial ${i - options.warmup + 1}`);

/** Distinct messages with their counts, at most five. */
function summarizeErrors(errors) {
  const counts = new Map();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  const lines = [...counts].slice(0, 5).map(([e, n]) => (n > 1 ? `${e} (×${n})` : e));
  if (counts.size > 5) lines.push(`… ${counts.size - 5} more`);
  return lines.join(' | ');
}
