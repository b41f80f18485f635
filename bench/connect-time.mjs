#!/usr/bin/env node
// Connect-time benchmark: how long two <p2p-video-call> elements in one page take to be in a
// call, through the REAL relay CLI, in Debian's headless Chromium and Firefox.
//
//   npm run bench:connect                          (builds, then runs this in a loopback-only namespace)
//   npm run bench:connect -- --trials 50 --browsers firefox --json
//
// Per browser: one window on the relay's own origin (its demo page, which loads the drop-in
// bundle from /p2p-video-call.js; `signaling` then defaults to the page's origin). Per trial,
// in a fresh room: insert a first element, wait for it to be `waiting` (alone in the room),
// let the second visitor arrive --gap ms later (a first visitor is never joined within the same
// millisecond; it has settled), then t0 = performance.now(), insert a second element with the same room and measure until
//   (a) `call-connected` has fired on both elements,
//   (b) the first remote video frame was presented on both (requestVideoFrameCallback on each
//       element's [part="remote-video"], metadata.presentationTime).
// The second element's time includes its getUserMedia (fake devices), its WebSocket
// connection to the relay, the join, and the whole offer/answer + ICE + DTLS negotiation.
// Then both hang up, the elements are removed, and the relay’s metrics must show no
// connection left before the next trial. Warm-up trials (default 1) are run first and are
// not in the statistics.
//
// Options (environment variables in brackets):
//   --browsers chromium,firefox   [BENCH_BROWSERS]  which browsers, in this order
//   --trials N                    [BENCH_TRIALS]    measured trials per browser (default 20)
//   --warmup N                    [BENCH_WARMUP]    warm-up trials per browser, excluded (default 1)
//   --timeout MS                  [BENCH_TIMEOUT]   bound on every wait inside a trial (default 20000)
//   --json                                          one JSON document on stdout instead of text
//   --per-trial                                     also print every trial's figures (text mode)
//   --quiet-wait S                [BENCH_QUIET_WAIT] before each trial, wait up to S seconds (default 0)
//                                                   for half a second in which other processes use
//                                                   < 0.25 cores (for a shared machine; see cpuSnapshot)
//   --warm                                          the warm case: before t0 the second element already
//                                                   shows its preview (camera open, relay connected, not
//                                                   joined: preview()); t0 = start(). Baselines likewise:
//                                                   camera (and PeerJS server connection) ready, t0 = the call
//   --gap MS                      [BENCH_GAP]       the second visitor arrives MS after the first is
//                                                   waiting (default 500; the baselines likewise: after
//                                                   the first's camera and server connection). 0 is the
//                                                   worst case: both arrive at once, and the first's own
//                                                   work while it waits competes with the second's
//   --fresh-page                                    load the page again before every trial, so that each
//                                                   call is the first one of its page (as for a visitor)
//   --trace                                         wrap RTCPeerConnection in the page to time each
//                                                   negotiation step (a breakdown; off by default so the
//                                                   headline figures measure the unmodified element)
// Exit status: 0 if every trial of every browser succeeded, 1 otherwise, 2 on bad options,
// 130/143 on SIGINT/SIGTERM. Browsers and the relay are stopped in every case.

// The modules: connect/options (the command line), connect/cleanup (stopping everything on every
// exit path), connect/relay (the relay CLI), connect/browser-runner (one browser's trials, each run
// in the page by connect/page-trial, traced by connect/trace), connect/statistics and
// connect/report (the figures and their text); support/machine-load (other processes' load).

import { assertLoopbackOnly } from '../test/support/browsers.mjs';
import { startBaselines } from './connect-baselines.mjs';
import { benchBrowser } from './connect/browser-runner.mjs';
import { cleanupAll, cleanups, isInterrupted, stopOnSignals } from './connect/cleanup.mjs';
import { BROWSER_LABEL, OptionError, parseOptions, usage } from './connect/options.mjs';
import { RelayDied, startRelay } from './connect/relay.mjs';
import { commandLine, renderText } from './connect/report.mjs';
import { browserStats } from './connect/statistics.mjs';
import { cpuProbe, loadAverage, machineInfo } from './support/machine-load.mjs';

stopOnSignals();

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    process.stderr.write(`connect-time: ${error.message}\n${usage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage());
    return 0;
  }
  assertLoopbackOnly('bench/connect-time.mjs (it starts browsers that use WebRTC)');

  const log = {
    // progress goes to stderr so that stdout is only the report (text or JSON)
    progress: (line) => process.stderr.write(`  ${line}\n`),
    error: (line) => process.stderr.write(`\n*** ${line}\n\n`),
  };
  const machine = await machineInfo();
  const { origin, metricsUrl, relay, command: relayCommand } = await startRelay();
  log.progress(`relay up at ${origin}`);
  const baselines = options.baselines ? await startBaselines() : null;
  if (baselines) cleanups.add(() => baselines.stop());

  const report = {
    command: commandLine(),
    machine,
    relay: relayCommand.replace(/--port \d+/, '--port <free port>'),
    options: {
      trials: options.trials,
      warmup: options.warmup,
      timeoutMs: options.timeout,
      quietWaitSeconds: options.quietWait,
      gapMs: options.gap,
      freshPage: options.freshPage,
      trace: options.trace,
      warm: options.warm,
    },
    browsers: [],
  };
  for (const kind of options.browsers) {
    if (isInterrupted()) break;
    log.progress(`${BROWSER_LABEL[kind]}: launching`);
    try {
      const result = await benchBrowser(kind, { origin, metricsUrl, relay, baselines }, options, log);
      const stats = browserStats(result, options);
      result.loadavgAfter = loadAverage();
      report.browsers.push({ ...result, stats });
    } catch (error) {
      if (isInterrupted()) break;
      log.error(`${BROWSER_LABEL[kind]} FAILED: ${error instanceof RelayDied ? error.message : (error.stack ?? error)}`);
      report.browsers.push({ browser: kind, error: String(error.message ?? error), trials: [], warmups: [], failures: [] });
      if (error instanceof RelayDied) break; // nothing more can be measured
    }
  }
  await cleanupAll();
  if (isInterrupted()) return 130;
  report.cpuProbeAfterMs = cpuProbe(); // the signal handler exits; print no partial report

  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderText(report, options)}\n`);
  const ok = report.browsers.every((b) => !b.error && b.failures.length === 0 && b.trials.length === options.trials);
  return ok ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanupAll();
    // peer 1.0.2's PeerServer keeps interval timers (message expiry, broken-connection checks)
    // that its close() does not stop: exit rather than wait for an event loop that never drains.
    process.exit(code);
  },
  async (error) => {
    // expected failures (not in the namespace, not built, relay down) read best without a stack
    const expected = /loopback-only network namespace|npm run build|the relay/.test(String(error?.message));
    process.stderr.write(`connect-time: ${expected ? error.message : (error.stack ?? error)}\n`);
    await cleanupAll();
    process.exitCode = 1;
  },
);
