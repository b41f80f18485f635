// The figures bench:connect reports per browser: each metric's summary over the trials, those
// on a quiet machine, the --trace phases and the baselines.
import { BASELINES } from '../connect-baselines.mjs';
import { QUIET_CORES } from '../support/machine-load.mjs';
import { summarize } from '../support/statistics.mjs';
import { TRACE_PHASES } from './trace.mjs';

/** The per-trial figures summarised, with their labels in the report. */
export const METRICS = [
  ['connectedBoth', '(a) call-connected on both'],
  ['frameBoth', '(b) first remote frame on both'],
  ['firstConnected', '    first element call-connected'],
  ['secondConnected', '    second element call-connected'],
  ['secondMediaReady', '    second: getUserMedia done (media-ready)'],
  ['secondJoined', '    second: joined, negotiating'],
  ['firstPeerJoined', '    first: peer-joined'],
  ['firstFrame', '    first element remote frame'],
  ['secondFrame', '    second element remote frame'],
];

/** The statistics of one browser's `result` (from benchBrowser). */
export function browserStats(result, options) {
  const stats = {};
  for (const key of [...METRICS.map(([k]) => k), 'firstToWaiting', 'firstToMediaReady', 'otherCores']) {
    stats[key] = summarize(result.trials.map((t) => t[key]).filter(Number.isFinite));
  }
  const quiet = result.trials.filter((t) => typeof t.otherCores === 'number' && t.otherCores < QUIET_CORES);
  stats.quiet = {
    trials: quiet.length,
    connectedBoth: summarize(quiet.map((t) => t.connectedBoth)),
    frameBoth: summarize(quiet.map((t) => t.frameBoth)),
  };
  if (options.trace) {
    stats.phases = {};
    for (const [key] of TRACE_PHASES) {
      stats.phases[key] = summarize(result.trials.map((t) => t.phases?.[key]).filter((v) => typeof v === 'number'));
    }
  }
  if (result.baselines) {
    stats.baselines = {};
    for (const [name] of BASELINES) {
      const b = result.baselines[name];
      stats.baselines[name] = {
        connectedBoth: summarize(b.trials.map((t) => t.connectedBoth)),
        frameBoth: summarize(b.trials.map((t) => t.frameBoth)),
        otherCores: summarize(b.trials.map((t) => t.otherCores).filter((v) => typeof v === 'number')),
        frameSizes: [...new Set(b.trials.flatMap((t) => t.frameSizes))],
      };
    }
  }
  return stats;
}
