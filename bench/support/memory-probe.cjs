// Preloaded into a relay process by bench/relay-load.mjs (node --expose-gc --require …):
// answers 'memory' over the IPC channel with its RSS and, after full garbage collections, its
// JS heap. Changes nothing else in the process.
process.on('message', (message) => {
  if (message !== 'memory') return;
  for (let i = 0; i < 3; i++) global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ rss, heapUsed });
});
