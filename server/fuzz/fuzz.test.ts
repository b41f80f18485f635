// The bounded fuzz run of `npm test` (see server/fuzz/relay-fuzz.ts for what is generated and
// what must hold): a fixed seed, and a random one printed for replay
// (`npm run fuzz -- --seed N`), on one node and on two nodes sharing Redis.
import { describe, it } from 'node:test';
import { REGRESSIONS } from './regressions.js';
import { fuzzRelay, replaySequence } from './relay-fuzz.js';
import { sharedRedis } from '../test-support/relay-clients.js';

const FIXED_SEED = 20261127;
const randomSeed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('fuzzing the relay (fast-check)', () => {
  for (const { name, actions } of REGRESSIONS) {
    it(`regression: ${name} (one node, then two on Redis)`, async () => {
      await replaySequence(actions);
      await replaySequence(actions, (await sharedRedis()).url);
    });
  }

  for (const store of ['memory', 'redis'] as const) {
    for (const [label, seed] of [
      ['fixed seed', FIXED_SEED],
      ['random seed', randomSeed],
    ] as const) {
      it(`${store === 'memory' ? 'one node' : 'two nodes on Redis'}, ${label} ${seed}`, { timeout: 120_000 }, async (t) => {
        const redis = store === 'redis' ? (await sharedRedis()).url : undefined;
        const total = { runs: 0, actions: 0, received: 0, acksOk: 0 };
        await fuzzRelay({
          seed,
          numRuns: 12,
          timeLimitMs: 20_000,
          redis,
          onRun: (f) =>
            Object.assign(total, {
              runs: total.runs + 1,
              actions: total.actions + f.actions,
              received: total.received + f.received,
              acksOk: total.acksOk + f.acksOk,
            }),
        });
        t.diagnostic(
          `${total.runs} sequences, ${total.actions} actions, ${total.acksOk} ok acks, ${total.received} signals delivered; ` +
            `seed ${seed} (replay: npm run fuzz -- --seed ${seed}${redis ? ' --redis' : ''})`,
        );
      });
    }
  }
});
