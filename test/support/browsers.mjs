// Launching Debian's Chromium and Firefox for tests, with the flags and prefs verified in
// /work/shared/BROWSER-TESTING.md: fake camera and microphone, permissions granted, ICE
// allowed on loopback (the tests run in a loopback-only network namespace), and nothing that
// phones home. Shared by web-test-runner.config.mjs and test/e2e/harness.ts.

import { networkInterfaces } from 'node:os';

/** @typedef {'chromium' | 'firefox'} BrowserKind */

/** Debian's real Chromium binary (not the /usr/bin/chromium wrapper, which adds flags that phone home). */
export const chromiumPath = () => process.env.CHROME_PATH || '/usr/lib/chromium/chromium';
export const firefoxPath = () => process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** Chromium command line flags (headless is set separately). */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  // Three fake cameras (fake_device_0..2); there are always three fake microphones and speakers.
  '--use-fake-device-for-media-stream=device-count=3',
  '--allow-loopback-in-peer-connection',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebRtcHideLocalIpsWithMdns,NetworkTimeServiceQuerying',
  '--component-updater=url-source=http://127.0.0.1:9/',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  // Each page gets its own window (openWindow), but a window that is not focused or is
  // covered must still run its timers and paint its video at full rate.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
]);

/** Firefox prefs. Needs MOZ_REMOTE_SETTINGS_DEVTOOLS=1 in its environment (see firefoxEnv). */
export const FIREFOX_PREFS = Object.freeze({
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Firefox gathers loopback candidates only once camera/microphone permission counts as granted
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.force_interface': 'lo',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'dom.push.connection.enabled': false,
  'app.update.enabled': false,
  'toolkit.telemetry.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'extensions.blocklist.enabled': false,
  // off: Chromium and Firefox then negotiate VP8 with each other, and nothing is downloaded
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-manager.url': '',
  'app.normandy.enabled': false,
  'geo.provider.network.url': '',
  'services.settings.server': 'http://127.0.0.1:9/',
  // The counterpart of Chromium's background flags, for a window that is not focused or a tab
  // that is not selected: no clamping of timers to 1 s, no budget throttling, keep decoding video.
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'media.suspend-background-video.enabled': false,
});

/** The environment for a browser process: without this variable Firefox ignores services.settings.server. */
export const browserEnv = () => ({ ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' });

/**
 * puppeteer-core `launch()` options for `kind`. Firefox is driven over WebDriver BiDi.
 *
 * @param {BrowserKind} kind
 * @returns {import('puppeteer-core').LaunchOptions}
 */
export function launchOptions(kind) {
  if (kind === 'chromium') {
    return {
      browser: 'chrome',
      executablePath: chromiumPath(),
      headless: true,
      args: [...CHROMIUM_ARGS],
      env: browserEnv(),
    };
  }
  if (kind === 'firefox') {
    return {
      browser: 'firefox',
      executablePath: firefoxPath(),
      headless: true,
      extraPrefsFirefox: { ...FIREFOX_PREFS },
      env: browserEnv(),
    };
  }
  throw new Error(`Unknown browser kind ${JSON.stringify(kind)}: use 'chromium' or 'firefox'`);
}

/** Windows are created one after another per browser: Chromium windows created at the same moment can stay hidden. */
const windowQueue = new WeakMap();
let windowCounter = 0;

/**
 * Opens an about:blank page in a new window of `browser` (not a tab: a background tab has its
 * timers throttled and its video not painted). Calls for one browser are serialised.
 *
 * @param {import('puppeteer-core').Browser} browser
 * @returns {Promise<import('puppeteer-core').Page>}
 */
export function openWindow(browser) {
  drainOutput(browser);
  const previous = windowQueue.get(browser) ?? Promise.resolve();
  const next = previous
    .catch(() => {
      // The previous caller has its own failure.
    })
    .then(() => createWindow(browser));
  windowQueue.set(browser, next);
  return next;
}

/**
 * Keeps reading the browser's stderr and drops it. puppeteer reads it only until the DevTools
 * address shows, then leaves the pipe full: once 64 KiB of log lines are in it (Chromium logs
 * every "UDP send ... failed with error 11" when a file fills loopback's socket buffer), the
 * next thread that logs blocks, and with it the page that waits on that thread.
 *
 * @param {import('puppeteer-core').Browser} browser
 */
function drainOutput(browser) {
  const stderr = browser.process()?.stderr;
  // puppeteer paused it when it stopped reading: a listener alone would not start it again.
  if (stderr && !stderr.listenerCount('data')) stderr.on('data', () => undefined).resume();
}

/** @param {import('puppeteer-core').Browser} browser */
async function createWindow(browser) {
  // `protocol` is marked @internal in puppeteer-core's types but set by both implementations
  // ('cdp' | 'webDriverBiDi'); puppeteer-core is pinned to ~24.8 in package.json.
  const protocol = /** @type {{ protocol?: string }} */ (/** @type {unknown} */ (browser)).protocol;
  if (protocol !== 'cdp' && protocol !== 'webDriverBiDi') {
    throw new Error(`openWindow: unknown browser protocol ${protocol}; check the puppeteer-core version`);
  }
  if (protocol === 'cdp') {
    // CDP Target.createTarget({ newWindow: true }); puppeteer 24.8's newPage() makes a tab.
    const marker = `about:blank#p2p-window-${++windowCounter}`;
    const session = await browser.target().createCDPSession();
    try {
      await session.send('Target.createTarget', { url: marker, newWindow: true });
    } finally {
      await session.detach().catch(() => {
        // Detached already (its window closed): nothing to free.
      });
    }
    const target = await browser.waitForTarget((t) => t.url() === marker, { timeout: 10_000 });
    const page = await target.page();
    if (!page) throw new Error('openWindow: the new window has no page');
    return page;
  }
  // WebDriver BiDi browsingContext.create({ type: 'window' }); puppeteer exposes only 'tab'
  // through newPage(), so go through its user context, then find the page it made for it.
  const context = /** @type {any} */ (browser.defaultBrowserContext());
  if (!context.userContext?.createBrowsingContext) {
    throw new Error('openWindow: this puppeteer-core version has no BiDi userContext; check the version');
  }
  const before = new Set(await context.pages());
  await context.userContext.createBrowsingContext('window');
  const pages = /** @type {import('puppeteer-core').Page[]} */ (await context.pages());
  const page = pages.find((p) => !before.has(p));
  if (!page) throw new Error('openWindow: the new window has no page');
  return page;
}

/**
 * Throws unless this process runs where the only network interface is loopback (the
 * namespace made by scripts/loopback-only.sh). Set P2P_ALLOW_NETWORK=1 to skip the check.
 *
 * @param {string} what what is about to start, for the message
 */
export function assertLoopbackOnly(what) {
  if (process.env.P2P_ALLOW_NETWORK === '1') return;
  const others = Object.entries(networkInterfaces())
    .filter(([, addresses]) => addresses?.some((a) => !a.internal))
    .map(([name]) => name);
  if (others.length > 0) {
    throw new Error(
      `${what} must run in a loopback-only network namespace, but this one has ${others.join(', ')}.\n` +
        `Run it through scripts/loopback-only.sh (npm run test:browser / npm run test:e2e do), ` +
        `or set P2P_ALLOW_NETWORK=1 to run it here anyway.`,
    );
  }
}
