// What else the shared machine is doing, recorded next to a benchmark's figures. This machine
// may be shared (other test runs, compilers): on 2 cores that inflates the figures a lot, so the
// benchmarks record how much CPU processes that are not theirs used meanwhile.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Cores this machine offers (as connect-time has always counted them). */
export const NPROC = os.availableParallelism?.() ?? os.cpus().length;
/** Below this many cores used by other processes, a trial counts as run on a quiet machine. */
export const QUIET_CORES = 0.25;

/** The first line of /proc/stat: the whole machine's CPU ticks since boot (user … steal). */
function machineTicks() {
  return readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
}

/** Busy ticks out of `ticks`: all but idle and iowait. */
const busyOf = (ticks) => ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4];

/** Load average and the CPU share used by other processes (not this one) over half a second. */
export async function machineLoad() {
  const own = () => process.cpuUsage();
  const [t0, o0] = [machineTicks(), own()];
  await new Promise((r) => setTimeout(r, 500));
  const [t1, o1] = [machineTicks(), own()];
  const d = t1.map((v, i) => v - t0[i]);
  const total = d.reduce((a, b) => a + b, 0);
  const busyCores = (busyOf(d) / total) * os.cpus().length;
  const ownCores = (o1.user - o0.user + o1.system - o0.system) / 1e6 / 0.5;
  return { loadavg1: os.loadavg()[0], otherCores: Math.max(0, busyCores - ownCores) };
}

/**
 * CPU ticks from /proc: the whole machine's, and this process tree's (the benchmark, its relay
 * and its browsers). null where there is no /proc.
 */
export function cpuSnapshot() {
  try {
    const fields = machineTicks();
    const total = fields.reduce((a, b) => a + b, 0);
    const busy = busyOf(fields);
    /** @type {Map<number, { ppid: number, ticks: number }>} */
    const procs = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // ppid, then utime stime cutime cstime at 11..14
        procs.set(Number(name), {
          ppid: Number(rest[1]),
          ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]),
        });
      } catch {
        // exited meanwhile
      }
    }
    const children = new Map();
    for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let ours = 0;
    const stack = [process.pid];
    while (stack.length) {
      const pid = stack.pop();
      ours += procs.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return { total, busy, ours };
  } catch {
    return null;
  }
}

/** Cores used by processes outside this process tree between two {@link cpuSnapshot}s. */
export function otherCores(before, after) {
  if (!before || !after || after.total <= before.total) return null;
  const other = after.busy - before.busy - (after.ours - before.ours);
  return Math.round((Math.max(0, other) / (after.total - before.total)) * NPROC * 100) / 100;
}

/** Waits up to `seconds` for a 500 ms window in which other processes use < QUIET_CORES cores. */
export async function waitForQuiet(seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last = null;
  while (Date.now() < deadline) {
    const before = cpuSnapshot();
    if (!before) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = otherCores(before, cpuSnapshot());
    if (last !== null && last < QUIET_CORES) return last;
  }
  return last;
}

/** The load average, rounded to hundredths. */
export const loadAverage = () => os.loadavg().map((v) => Math.round(v * 100) / 100);

/**
 * A fixed piece of CPU work (hashing, then an integer loop), in ms: the same machine kind can be
 * faster or slower from one run to the next (a VM's neighbours), which shows here.
 */
export function cpuProbe() {
  const buffer = Buffer.alloc(1 << 20, 7);
  const started = performance.now();
  for (let i = 0; i < 100; i++) createHash('sha256').update(buffer).digest();
  let x = 0;
  for (let i = 0; i < 1.5e7; i++) x = (x + i * 7) % 1000003;
  return Math.round(performance.now() - started) + (x < 0 ? 1 : 0);
}

/** The machine, and one second of it before anything of ours starts: is someone else using it? */
export async function machineInfo() {
  const before = cpuSnapshot();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const otherCoresBefore = otherCores(before, cpuSnapshot());
  const loadavg = loadAverage();
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) osName = `${pretty}, kernel ${os.release()}`;
  } catch {
    // not Linux
  }
  return {
    node: process.version,
    nproc: NPROC,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    network: Object.values(os.networkInterfaces())
      .flat()
      .every((a) => a?.internal)
      ? 'loopback only'
      : 'NOT loopback-only',
    loadavg,
    otherCoresBefore,
    cpuProbeMs: cpuProbe(),
  };
}
