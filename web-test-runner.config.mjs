// Browser tests: test/**/*.test.ts in Debian's Chromium (CDP) and Firefox (WebDriver BiDi),
// both driven by puppeteer-core through @web/test-runner-chrome. Run through
// scripts/loopback-only.sh (npm run test:browser): see /work/shared/BROWSER-TESTING.md.
//
//   BROWSERS=chromium npm run test:browser                 one browser (chromium, firefox, or both comma-separated)
//   npm run test:browser -- --files test/environment.test.ts   one file

import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { relayPlugin } from './test/plugins/relay-plugin.mjs';
import { assertLoopbackOnly, launchOptions, openWindow } from './test/support/browsers.mjs';
import { failureSummaryReporter } from './test/support/failure-summary-reporter.mjs';

assertLoopbackOnly('web-test-runner');

const KINDS = /** @type {const} */ (['chromium', 'firefox']);
const wanted = (process.env.BROWSERS ?? KINDS.join(','))
  .split(',')
  .map((name) => name.trim().toLowerCase())
  .filter(Boolean);
for (const name of wanted) {
  if (!KINDS.includes(/** @type {any} */ (name))) {
    throw new Error(`BROWSERS: unknown browser ${JSON.stringify(name)}; use ${KINDS.join(', ')}`);
  }
}

/** @param {'chromium' | 'firefox'} kind */
const launcher = (kind) =>
  chromeLauncher({
    puppeteer: puppeteerCore,
    launchOptions: launchOptions(kind),
    // Each test file's page is a window of its own, never a background tab (whose timers are
    // throttled and whose video is not painted). wtr reuses it for the next file.
    createPage: ({ browser }) => openWindow(browser),
  });

export default {
  files: ['test/**/*.test.ts', '!test/e2e/**'],
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }), relayPlugin()],
  browsers: KINDS.filter((kind) => wanted.includes(kind)).map(launcher),
  // One file at a time per browser: calls are CPU-heavy (fake camera, encoders) and timing-sensitive.
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  reporters: [defaultReporter(), failureSummaryReporter()],
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
};
