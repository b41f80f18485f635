// What else the shared machine is doing, recorded next to a benchmark's figures.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Load average and the CPU share used by other processes over half a second. */
export async function machineLoad() {
  const ticks = () => readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const own = () => process.cpuUsage();
  const [t0, o0] = [ticks(), own()];
  await new Promise((r) => setTimeout(r, 500));
  const [t1, o1] = [ticks(), own()];
  const d = t1.map((v, i) => v - t0[i]);
  const total = d.reduce((a, b) => a + b, 0);
  const busyCores = ((total - d[3] - d[4]) / total) * os.cpus().length;
  const ownCores = (o1.user - o0.user + o1.system - o0.system) / 1e6 / 0.5;
  return { loadavg1: os.loadavg()[0], otherCores: Math.max(0, busyCores - ownCores) };
}

