// A @web/test-runner reporter that lists every failed test once more when the run ends, after
// the browsers' logs. CI keeps only the tail of a long output; without this, the name of a
// failed test is printed once, minutes earlier, and lost among the logs of later files.

import path from 'node:path';

/**
 * @param {import('@web/test-runner-core').TestSuiteResult | undefined} suite
 * @param {string[]} trail
 * @returns {Generator<{ name: string, message: string }>}
 */
function* failures(suite, trail = []) {
  if (!suite) return;
  const here = suite.name ? [...trail, suite.name] : trail;
  for (const test of suite.tests) {
    if (!test.passed && !test.skipped) {
      yield { name: [...here, test.name].join(' › '), message: test.error?.message ?? 'failed' };
    }
  }
  for (const child of suite.suites) yield* failures(child, here);
}

/** @returns {import('@web/test-runner-core').Reporter} */
export function failureSummaryReporter() {
  return {
    stop({ sessions }) {
      const lines = [];
      for (const session of sessions) {
        const where = `${session.browser.name} ${path.relative(process.cwd(), session.testFile)}`;
        for (const error of session.errors) lines.push(`${where}: ${error.message}`);
        for (const failure of failures(session.testResults)) {
          lines.push(`${where} › ${failure.name}: ${failure.message.split('\n')[0]}`);
        }
      }
      if (lines.length === 0) return;
      console.log(`\nFailed (${lines.length}):\n${lines.map((line) => `  ✗ ${line}`).join('\n')}\n`);
    },
  };
}
