// The relay bench:connect measures: the real CLI (lib/server/cli/cli.js) in its own process.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, freePort, LOOPBACK_CLIENTS_ENV, spawnManaged } from '../../test/support/processes.mjs';
import { waitFor } from '../../test/support/wait.mjs';
import { cleanups } from './cleanup.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the relay on a free port; resolves once /healthz answers. Stopped by cleanupAll(). */
export async function startRelay() {
  const missing = ['lib/server/cli/cli.js', 'dist/p2p-video-call.js', 'demo/index.html'].filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run \`npm run build\` first (npm run bench:connect does)`);
  const port = await freePort();
  const metricsPort = await freePort();
  const args = ['lib/server/cli/cli.js', '--port', String(port), '--host', '127.0.0.1'];
  const relay = spawnManaged(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...LOOPBACK_CLIENTS_ENV, METRICS_PORT: String(metricsPort) },
    name: 'relay (lib/server/cli/cli.js)',
  });
  cleanups.add(() => relay.stop());
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (!relay.isRunning()) throw new Error(describeExit(relay));
        const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
        return response.ok;
      },
      { timeout: 15_000, interval: 100, message: `GET ${origin}/healthz` },
    );
  } catch (error) {
    throw new Error(`the relay did not come up: ${error.message}\n--- relay output ---\n${relay.output() || '(none)'}`, { cause: error });
  }
  return { relay, origin, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, command: `LOG_LEVEL=warn node ${args.join(' ')}` };
}

/** Throws (with its last output) if the relay is no longer running. */
export function assertRelayRunning(relay) {
  if (relay.isRunning()) return;
  throw new RelayDied(`the relay died: ${describeExit(relay)}\n--- relay output (last lines) ---\n${relay.output() || '(none)'}`);
}

/** The relay has exited: nothing more can be measured. */
export class RelayDied extends Error {}

export { relayCounts } from '../../test/support/metrics.mjs';
