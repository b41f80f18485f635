// bench:recovery's figures (medians per outage length and system, "not back" counted as longer
// than any time) and their text: one table, then each system's details and the machine's load.
import { machineLines } from '../connect/report.mjs';
import { NPROC, QUIET_CORES } from '../support/machine-load.mjs';
import { pad, row, times } from '../support/report.mjs';
import { median, round1, summarize } from '../support/statistics.mjs';
import { BROWSER_LABEL, FRAMES_BACK, GIVE_UP_MS, SYSTEM_LABEL } from './options.mjs';

/** The median of `values` (ms, or null for "not back", which sorts after every time); null if that is "not back". */
function medianBack(values) {
  if (values.length === 0) return undefined;
  const m = median(values.map((v) => (v === null ? Infinity : v)));
  return Number.isFinite(m) ? round1(m) : null;
}

/** The figures of `trials` (of one system and outage length). */
function summary(trials) {
  const sideCount = Math.max(0, ...trials.map((t) => t.sides.length));
  return {
    n: trials.length,
    back: trials.filter((t) => t.both !== null).length,
    both: medianBack(trials.map((t) => t.both)),
    sides: Array.from({ length: sideCount }, (_, i) => medianBack(trials.map((t) => t.sides[i]))),
    backTimes: summarize(trials.map((t) => t.both).filter((v) => v !== null)),
  };
}

/** Per system: per outage length, the figures of all its trials and of those on a quiet machine. */
export function recoveryStats(results, options) {
  return Object.fromEntries(
    results.map((r) => {
      const perOutage = Object.fromEntries(
        options.outages.map((seconds) => {
          const trials = r.trials.filter((t) => t.seconds === seconds);
          const quiet = trials.filter((t) => typeof t.otherCores === 'number' && t.otherCores < QUIET_CORES);
          return [seconds, { ...summary(trials), quiet: summary(quiet) }];
        }),
      );
      const cores = r.trials.map((t) => t.otherCores).filter((v) => typeof v === 'number');
      return [r.system, { perOutage, otherCores: summarize(cores), busy: cores.filter((c) => c >= QUIET_CORES).length }];
    }),
  );
}

/** More frames than this per side during an outage (from 0.5 s after the cut) and the cut did not stop the video. */
const MOVING_FRAMES = 10;

const ms = (v) => (v === undefined ? '-' : v === null ? 'not back' : String(Math.round(v)));

/** product/PeerJS, product − floor, and whether the targets hold, for one outage length. */
function compare(product, peerjs, floor) {
  const p = product?.both;
  const ratio =
    p == null || peerjs?.both === undefined ? '-' : peerjs.both === null ? 'PeerJS not back' : p === null ? '-' : times(p, peerjs.both);
  const minus = p == null || floor?.both == null ? '-' : `${p >= floor.both ? '+' : ''}${Math.round(p - floor.both)} ms`;
  const verdicts = [];
  if (product && floor) {
    if (floor.both === null) verdicts.push('floor not back');
    else verdicts.push(p !== null && p <= floor.both + 1000 ? '≤ floor+1 s: ok' : '≤ floor+1 s: MISSED');
  }
  if (product && peerjs) {
    if (peerjs.both === null) verdicts.push('PeerJS not back');
    else verdicts.push(p !== null && p < peerjs.both ? '< PeerJS: ok' : '< PeerJS: MISSED');
  }
  return { ratio, minus, verdict: verdicts.join(', ') || '-' };
}

/** The table of medians, from `pick(stats of one system and outage)`. */
function table(report, options, pick) {
  // a system without trials here (not measured, or no quiet trial) has no figures
  const get = (system, seconds) => {
    const s = report.stats[system] && pick(report.stats[system].perOutage[seconds]);
    return s?.n ? s : undefined;
  };
  const widths = [6, 8, 8, 9, 5, 12, 5, 11, 5, 16, 15];
  // group headings, each right-aligned over the columns it spans: [heading, columns]
  const groups = [
    ['', 1],
    ['<p2p-video-call>', 4],
    ['PeerJS', 2],
    ['floor', 2],
    ['product/', 1],
    ['product −', 1],
  ];
  let column = 0;
  const spans = groups.map(([, n]) => {
    const width = widths.slice(column, column + n).reduce((a, b) => a + b, 0) + n - 1;
    column += n;
    return width;
  });
  const out = [
    `  ${row(
      groups.map(([heading]) => heading),
      spans,
    )}`,
    `  ${row(['outage', 'first', 'second', 'both', 'back', 'both', 'back', 'both', 'back', 'PeerJS', 'floor'], widths)}   targets`,
  ];
  for (const seconds of options.outages) {
    const [product, peerjs, floor] = ['product', 'peerjs', 'floor'].map((s) => get(s, seconds));
    const { ratio, minus, verdict } = compare(product, peerjs, floor);
    const backOf = (s) => (s ? `${s.back}/${s.n}` : '-');
    out.push(
      `  ${row(
        [
          `${seconds} s`,
          ms(product?.sides[0]),
          ms(product?.sides[1]),
          ms(product?.both),
          backOf(product),
          ms(peerjs?.both),
          backOf(peerjs),
          ms(floor?.both),
          backOf(floor),
          ratio,
          minus,
        ],
        widths,
      )}   ${verdict}`,
    );
  }
  return out;
}

/** The report as text (stdout without --json). */
export function renderText(report, options) {
  const browser = BROWSER_LABEL[options.browser];
  const out = [];
  out.push(`p2p-video-call: video back after a network outage (all UDP dropped, TCP up), ${browser} ↔ ${browser}, headless`);
  out.push(`command: ${report.command}`);
  out.push(...machineLines(report.machine, report.cpuProbeAfterMs));
  if (report.relay)
    out.push(`relay:   ${report.relay} (the product's relay, its defaults; per-address limits lifted for loopback, as in bench:connect)`);
  out.push(
    `trials:  ${options.trials} per outage length per system, outages ${options.outages.join(', ')} s; in rounds (each round cuts every length once, in this order);` +
      ` one call per system, kept from trial to trial while it lasts`,
  );
  out.push(
    `times:   median ms from the heal (the nftables rules deleted) to the first of ${FRAMES_BACK} remote frames presented after it` +
      ` (requestVideoFrameCallback); "not back" = not within ${GIVE_UP_MS / 1000} s, counted as longer than any time; "both" = the later side`,
  );
  out.push(
    '         product: two visitors of the demo page on the real relay, a window each; PeerJS: two visitors, a window each, one calling the other;' +
      ' floor: two bare RTCPeerConnections in one page',
  );
  out.push('');
  out.push(...table(report, options, (s) => s));
  out.push('  targets: product ≤ floor + 1000 ms; product < PeerJS where PeerJS recovers at all');
  for (const r of report.results) {
    const st = report.stats[r.system];
    out.push('');
    out.push(`${SYSTEM_LABEL[r.system]} (${r.version}): ${r.trials.length} trials measured, call set up ${r.setups} time(s)`);
    for (const seconds of options.outages) {
      const s = st.perOutage[seconds];
      const b = s.backTimes;
      out.push(
        `  ${pad(`${seconds} s`, 6)}: back ${s.back}/${s.n}; per side ${s.sides.map(ms).join(' / ')}` +
          (b ? `; both: median ${b.median}, p90 ${b.p90}, min ${b.min}, max ${b.max} (of those back)` : ''),
      );
    }
    // a frame or two late from a jitter buffer is no matter; half a second of video is
    const moving = r.trials.filter((t) => t.framesDuringOutage.some((n) => n > MOVING_FRAMES));
    if (moving.length) {
      out.push(
        `  NOTE: video kept playing during ${moving.length} outage(s), frames per side (${moving.map((t) => `${t.seconds} s: ${t.framesDuringOutage.join('/')}`).join(', ')}): was it cut?`,
      );
    }
    for (const why of r.resetups) out.push(`  set up again: ${why}`);
    const cores = st.otherCores;
    if (cores) {
      out.push(
        `  other processes on the machine during the trials: median ${cores.median} cores, max ${cores.max} (of ${NPROC}); ` +
          `busy trials (≥ ${QUIET_CORES} cores): ${st.busy} of ${r.trials.length}`,
      );
      if (cores.median >= QUIET_CORES)
        out.push('  WARNING: the machine was busy with other work during these trials: the figures above are inflated');
    }
    for (const f of r.failures) out.push(`  FAILED ${f.error}`);
    if (r.error) out.push(`  FAILED: ${r.error}`);
  }
  const busy = report.results.some((r) => report.stats[r.system].busy > 0);
  if (busy) {
    out.push('');
    out.push(`the same, from the trials in which other processes used < ${QUIET_CORES} cores only:`);
    out.push(...table(report, options, (s) => s.quiet));
  }
  out.push('');
  out.push(`what each side said during its trials (the product: element states; PeerJS and the floor: ICE states):`);
  for (const r of report.results) {
    for (const t of r.trials) out.push(`  ${SYSTEM_LABEL[r.system]} ${t.seconds} s #${t.round}: ${t.said.join('; ')}`);
  }
  out.push(`relay output (LOG_LEVEL=warn): ${report.relayOutput?.trim() ? `\n${report.relayOutput.trimEnd()}` : '(none)'}`);
  out.push(`load average after: ${report.loadavgAfter.join(' ')}`);
  return out.join('\n');
}
