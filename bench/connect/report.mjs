// bench:connect's printed report: the command that ran, and the text rendering of the figures.
import { BASELINES } from '../connect-baselines.mjs';
import { QUIET_CORES } from '../support/machine-load.mjs';
import { pad, times } from '../support/report.mjs';
import { summarize } from '../support/statistics.mjs';
import { BROWSER_LABEL } from './options.mjs';
import { METRICS } from './statistics.mjs';
import { TRACE_PHASES } from './trace.mjs';

/** The command line that ran this, as someone would type it again (`script` run by npm script `npmScript`). */
export function commandLine(script = 'bench/connect-time.mjs', npmScript = 'bench:connect') {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  const direct = ['node', script, ...args].join(' ');
  if (process.env.npm_lifecycle_event === npmScript) {
    return `npm run ${npmScript}${args.length ? ` -- ${args.join(' ')}` : ''}   (= npm run build && sh scripts/loopback-only.sh ${direct})`;
  }
  return direct;
}

/** The report's `machine:` and `load:` lines (`machine` from machineInfo(), `cpuProbeAfterMs` from cpuProbe()). */
export function machineLines(m, cpuProbeAfterMs) {
  return [
    `machine: node ${m.node}, nproc ${m.nproc} (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, network: ${m.network}`,
    `load:    before the run, other processes used ${m.otherCoresBefore ?? '?'} of ${m.nproc} cores; load average ${m.loadavg.join(' ')}; ` +
      `CPU probe ${m.cpuProbeMs} ms before, ${cpuProbeAfterMs ?? '?'} ms after (a fixed piece of work, to compare runs)`,
  ];
}

/** The report as text (stdout without --json). */
export function renderText(report, options) {
  const out = [];
  const m = report.machine;
  out.push('p2p-video-call: time to connect (two <p2p-video-call> elements in one page, real relay)');
  out.push(`command: ${report.command}`);
  out.push(...machineLines(m, report.cpuProbeAfterMs));
  out.push(`relay:   ${report.relay}`);
  out.push(
    `trials:  ${options.trials} per browser, each in a fresh room (+${options.warmup} warm-up, not counted); every wait bounded at ${options.timeout} ms` +
      `; the second visitor arrives ${options.gap} ms after the first is waiting` +
      (options.quietWait ? `; up to ${options.quietWait} s wait for a quiet machine before each` : '') +
      (options.freshPage ? '; the page is loaded again before each trial' : '; all trials in one page'),
  );
  if (options.warm) {
    out.push("times:   WARM: ms from the second element's start() (t0), its camera open and its relay connection up (preview());");
    out.push('         the first one waits alone in the room; the join and the negotiation are included');
  } else {
    out.push('times:   ms from inserting the second element (t0) while the first one waits alone in the room;');
    out.push("         the second element's getUserMedia (fake devices), WebSocket connection, join and negotiation are included");
  }
  for (const b of report.browsers) {
    out.push('');
    if (b.error) {
      out.push(`${BROWSER_LABEL[b.browser]}: FAILED: ${b.error}`);
      continue;
    }
    out.push(
      `${BROWSER_LABEL[b.browser]} (${b.version}, headless; launch ${b.launchMs} ms): ${b.trials.length}/${options.trials} trials succeeded`,
    );
    out.push(`  ${'metric'.padEnd(44)}${pad('median', 8)}${pad('p90', 8)}${pad('min', 8)}${pad('max', 8)}`);
    for (const [key, label] of METRICS) {
      const s = b.stats[key];
      if (!s) continue;
      out.push(`  ${label.padEnd(44)}${pad(s.median, 8)}${pad(s.p90, 8)}${pad(s.min, 8)}${pad(s.max, 8)}`);
    }
    if (b.stats.baselines) {
      const product = { connectedBoth: b.stats.connectedBoth, frameBoth: b.stats.frameBoth };
      const peer = b.stats.baselines.peerjs;
      const floor = b.stats.baselines.floor;
      const ratio = (x, y) => (x && y ? times(x.median, y.median) : '-');
      const t0 = options.warm
        ? 'the second visitor calls, its camera and its server connection ready'
        : 'the second visitor starts, before its camera and its signaling connection';
      out.push(`  same run, same method (t0: ${t0}):`);
      out.push(
        `    ${'implementation'.padEnd(28)}${pad('connected', 11)}${pad('p90', 7)}${pad('frame', 8)}${pad('p90', 7)}   frame vs PeerJS   frame vs floor   connected vs PeerJS`,
      );
      for (const [label, st] of [
        ['<p2p-video-call>', product],
        ['PeerJS 1.5.5 + peer 1.0.2', peer],
        ['in-page floor', floor],
      ]) {
        if (!st?.connectedBoth) continue;
        out.push(
          `    ${label.padEnd(28)}${pad(st.connectedBoth.median, 11)}${pad(st.connectedBoth.p90, 7)}${pad(st.frameBoth.median, 8)}${pad(st.frameBoth.p90, 7)}` +
            `   ${ratio(st.frameBoth, peer?.frameBoth).padStart(15)}   ${ratio(st.frameBoth, floor?.frameBoth).padStart(14)}   ${ratio(st.connectedBoth, peer?.connectedBoth).padStart(19)}`,
        );
      }
      out.push(`    first frame sizes: PeerJS ${peer?.frameSizes.join(', ')}; floor ${floor?.frameSizes.join(', ')}`);
      for (const [name, label] of BASELINES) for (const f of b.baselines[name].failures) out.push(`  FAILED ${label}: ${f}`);
    }
    const alone = b.stats.firstToWaiting;
    const aloneMedia = b.stats.firstToMediaReady;
    if (alone) {
      out.push(
        `  first element alone (before t0), insert → waiting: median ${alone.median}, p90 ${alone.p90}, min ${alone.min}, max ${alone.max}` +
          ` (of which getUserMedia: median ${aloneMedia.median})`,
      );
    }
    const other = b.stats.otherCores;
    if (other) {
      out.push(
        `  other processes on the machine during the trials: median ${other.median} cores, max ${other.max} (of ${m.nproc}); load average after: ${b.loadavgAfter.join(' ')}`,
      );
      if (other.median >= QUIET_CORES)
        out.push(`  WARNING: the machine was busy with other work during these trials: the figures above are inflated`);
      const q = b.stats.quiet;
      if (q.trials < b.trials.length) {
        out.push(
          `  the ${q.trials} trials in which other processes used < ${QUIET_CORES} cores:` +
            (q.trials
              ? ` (a) median ${q.connectedBoth.median}, p90 ${q.connectedBoth.p90}; (b) median ${q.frameBoth.median}, p90 ${q.frameBoth.p90}`
              : ''),
        );
      }
    }
    if (b.stats.phases) {
      out.push(`  --trace breakdown (ms from t0; RTCPeerConnection wrapped)       median     p90     min     max`);
      for (const [key, label] of TRACE_PHASES) {
        const s = b.stats.phases[key];
        if (s) out.push(`    ${label.padEnd(58)}${pad(s.median, 8)}${pad(s.p90, 8)}${pad(s.min, 8)}${pad(s.max, 8)}`);
      }
      const glare = b.trials.filter((t) => (t.phases?.offers ?? 0) > 1).length;
      out.push(`    trials with more than one offer (renegotiation/glare): ${glare}`);
    }
    for (const [i, w] of b.warmups.entries()) {
      out.push(
        `  warm-up ${i + 1} (excluded): (a) ${w.connectedBoth}, (b) ${w.frameBoth}, ${options.warm ? '' : `second's getUserMedia ${w.secondMediaReady}; `}first alone → waiting ${w.firstToWaiting} (getUserMedia ${w.firstToMediaReady})` +
          (w.otherCores === null ? '' : `, other processes ${w.otherCores} cores`),
      );
    }
    const sizes = [...new Set(b.trials.flatMap((t) => t.frameSizes))];
    const lag = summarize(b.trials.map((t) => t.frameCallbackLag));
    if (sizes.length)
      out.push(`  first remote frame size(s): ${sizes.join(', ')}; rVFC callback ran ${lag?.median} ms (median) after presentationTime`);
    if (options.perTrial) {
      out.push(`  per trial, (a) connected: ${b.trials.map((t) => t.connectedBoth).join(' ')}`);
      out.push(`  per trial, (b) frame:     ${b.trials.map((t) => t.frameBoth).join(' ')}`);
      out.push(`  per trial, other cores:   ${b.trials.map((t) => t.otherCores).join(' ')}`);
    }
    const restarted = b.trials.filter((t) => t.reconnects > 0).length;
    if (restarted) out.push(`  NOTE: ${restarted} trials saw call-reconnecting (an ICE restart) during the set-up`);
    for (const f of b.failures) out.push(`  FAILED ${f.error}`);
  }
  return out.join('\n');
}
