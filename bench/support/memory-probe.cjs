// Preloaded into a relay process by the benchmarks (node --expose-gc --require …): answers
// 'memory' over the IPC channel with its RSS, its JS heap after full garbage collections, and
// its event loop delay since the last answer (p50, p99, max in ms; sampled every 10 ms); and
// 'cpu' with the CPU time it has used (no GC run for that one).
// Changes nothing else in the process.
const { monitorEventLoopDelay } = require('node:perf_hooks');

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('message', (message) => {
  // CPU time used so far (user + system, µs), without the GCs 'memory' runs.
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
    return;
  }
  if (message !== 'memory') return;
  const eventLoopDelay = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
  delay.reset();
  for (let i = 0; i < 3; i++) global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ rss, heapUsed, eventLoopDelay });
});
