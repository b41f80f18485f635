// `npm run fuzz -- --minutes N [--seed S] [--redis] [--both]`: the relay fuzzer for as long as
// asked (default 5 minutes), on one node, or two sharing a Redis started for it (--redis), or
// both one after the other (--both). Prints progress each minute and, at the end, the heap
// after garbage collection against the heap after the first sequence: the relay (in this
// process) must hold nothing once everyone has gone.
import { fuzzRelay } from './relay-fuzz.js';
import { startRedis } from '../../test/support/redis.mjs';

const args = process.argv.slice(2);
const value = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const minutes = Number(value('--minutes') ?? 5);
const seed = Number(value('--seed') ?? Math.floor(Math.random() * 2 ** 31));
const stores = args.includes('--both') ? ['memory', 'redis'] : args.includes('--redis') ? ['redis'] : ['memory'];
if (!(minutes > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--minutes N] [--seed S] [--redis | --both]');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

for (const store of stores) {
  const redis = store === 'redis' ? await startRedis() : undefined;
  const started = Date.now();
  const totals = { runs: 0, actions: 0, received: 0, acksOk: 0 };
  let baseline = 0;
  let lastReport = started;
  console.log(`fuzzing the relay (${store === 'redis' ? 'two nodes on Redis' : 'one node'}) for ${minutes} min, seed ${seed}`);
  try {
    await fuzzRelay({
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      timeLimitMs: (minutes * 60_000) / stores.length,
      redis: redis?.url,
      onRun: (f) => {
        totals.runs++;
        totals.actions += f.actions;
        totals.received += f.received;
        totals.acksOk += f.acksOk;
        if (totals.runs === 1) baseline = heap();
        if (Date.now() - lastReport > 60_000) {
          lastReport = Date.now();
          const min = ((Date.now() - started) / 60_000).toFixed(1);
          console.log(
            `  ${min} min: ${totals.runs} sequences, ${totals.actions} actions, ${totals.acksOk} ok acks, ${totals.received} signals delivered; heap ${heap().toFixed(1)} MB`,
          );
        }
      },
    });
    const end = heap();
    console.log(
      `  done: ${totals.runs} sequences, ${totals.actions} actions, ${totals.acksOk} ok acks, ${totals.received} signals delivered, no property failed;` +
        ` heap after GC ${end.toFixed(1)} MB vs ${baseline.toFixed(1)} MB after the first sequence${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
    );
  } finally {
    await redis?.stop();
  }
}
