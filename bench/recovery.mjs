#!/usr/bin/env node
// Recovery benchmark: how long video takes to come back after a network outage, for the product
// and, in the same run with the same method, PeerJS and the in-page floor.
//
//   npm run bench:recovery                          (builds, then runs this in a loopback-only namespace)
//   npm run bench:recovery -- --trials 5 --outages 1,3,10,30 --browser firefox
//
// Three systems, one after the other, each in a browser of its own (Debian's headless Chromium
// or Firefox for both visitors):
//   product  two visitors of the demo page served by the real relay CLI (lib/server/cli/cli.js on a
//            free loopback port, as bench:connect starts it), each in a window of its own, joining
//            one room through `?room=…&autostart`; nothing set but the element's defaults;
//   peerjs   PeerJS 1.5.5 with its own server (peer 1.0.2), two visitors, a window each, one
//            calling the other as PeerJS's README shows, no public STUN (bench/connect-baselines.mjs);
//   floor    two bare RTCPeerConnections in one page, nothing done when the network goes.
// Per system: set the call up, wait until remote video plays on both sides; then per trial (in
// rounds: each round cuts every outage length once, in the order given): all UDP dropped with
// nftables (test/support/network-faults.mjs; the relay's and PeerJS's TCP stay up) for the outage,
// healed, and the time from the heal to the first of 3 remote frames presented after it measured
// on each side (requestVideoFrameCallback, as firstFrameAfter in test/e2e/harness.ts); not back
// within 30 s is "not back". Between trials the call must be connected with video on both sides
// again; a call that ended (or whose video did not come back) is set up anew, and the report says so.
//
// Options:
//   --trials N                   trials per outage length per system (default 5)
//   --outages 1,3,10,30          outage lengths in seconds (default 1,3,10,30)
//   --browser chromium|firefox   the browser of both visitors (default chromium)
//   --systems product,peerjs,floor   which systems (default all three)
//   --quiet-wait S               before each cut, wait up to S seconds for half a second in which
//                                other processes use < 0.25 cores (default 0; see waitForQuiet)
//   --json                       one JSON document on stdout instead of text
// Progress goes to stderr, the report to stdout. Exit status: 0 if every trial was measured
// ("not back" is a measurement), 1 otherwise, 2 on bad options, 130/143 on SIGINT/SIGTERM. The
// network faults are healed and the browsers, the relay and the PeerJS server stopped in every case.

// The modules: recovery/options (the command line), recovery/systems (setting up each call),
// recovery/page (what runs in the pages), recovery/runner (one system's trials), recovery/report
// (the figures and their text); and, shared with bench:connect, connect/cleanup, connect/relay,
// connect-baselines (PeerJS's server and page) and support/machine-load.

import { assertLoopbackOnly } from '../test/support/browsers.mjs';
import { networkFaults } from '../test/support/network-faults.mjs';
import { startBaselines } from './connect-baselines.mjs';
import { cleanupAll, cleanups, isInterrupted, stopOnSignals } from './connect/cleanup.mjs';
import { RelayDied, startRelay } from './connect/relay.mjs';
import { commandLine } from './connect/report.mjs';
import { cpuProbe, loadAverage, machineInfo } from './support/machine-load.mjs';
import { OptionError, parseOptions, SYSTEM_LABEL, usage } from './recovery/options.mjs';
import { recoveryStats, renderText } from './recovery/report.mjs';
import { runSystem } from './recovery/runner.mjs';

stopOnSignals();

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    process.stderr.write(`recovery: ${error.message}\n${usage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage());
    return 0;
  }
  assertLoopbackOnly('bench/recovery.mjs (it starts browsers that use WebRTC)');

  const log = {
    progress: (line) => process.stderr.write(`  ${line}\n`),
    error: (line) => process.stderr.write(`\n*** ${line}\n\n`),
  };
  const report = { command: commandLine('bench/recovery.mjs', 'bench:recovery'), options, results: [] };
  const net = await networkFaults();
  const closeNet = () => net.close();
  cleanups.add(closeNet);
  let relay = null;
  try {
    report.machine = await machineInfo();
    const env = { net };
    if (options.systems.includes('product')) {
      const started = await startRelay();
      relay = started.relay;
      Object.assign(env, { origin: started.origin, relay });
      report.relay = started.command.replace(/--port \d+/, '--port <free port>');
      log.progress(`relay up at ${started.origin}`);
    }
    if (options.systems.some((s) => s !== 'product')) {
      env.baselines = await startBaselines();
      cleanups.add(() => env.baselines.stop());
    }
    for (const system of options.systems) {
      if (isInterrupted()) break;
      log.progress(`${SYSTEM_LABEL[system]}: launching ${options.browser}`);
      try {
        report.results.push(await runSystem(system, env, options, log));
      } catch (error) {
        if (isInterrupted()) break;
        log.error(`${SYSTEM_LABEL[system]} FAILED: ${error instanceof RelayDied ? error.message : (error.stack ?? error)}`);
        report.results.push({
          system,
          version: '?',
          setups: 0,
          resetups: [],
          trials: [],
          failures: [],
          error: String(error.message ?? error),
        });
        if (error instanceof RelayDied) break;
      }
    }
  } finally {
    await net.close();
    cleanups.delete(closeNet);
    report.relayOutput = relay?.output() ?? '';
    await cleanupAll();
  }
  if (isInterrupted()) return 130;
  report.cpuProbeAfterMs = cpuProbe();
  report.loadavgAfter = loadAverage();
  report.stats = recoveryStats(report.results, options);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderText(report, options)}\n`);
  const expected = options.trials * options.outages.length;
  const ok = report.results.length === options.systems.length && report.results.every((r) => !r.error && r.trials.length === expected);
  return ok ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanupAll();
    // peer 1.0.2's PeerServer keeps interval timers that its close() does not stop (see connect-time.mjs).
    process.exit(code);
  },
  async (error) => {
    const expected = /loopback-only|npm run build|the relay|nft /.test(String(error?.message));
    process.stderr.write(`recovery: ${expected ? error.message : (error.stack ?? error)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
