#!/usr/bin/env node
// `npm start`'s prestart: builds only when something the build reads is newer than what it
// wrote (or an output is missing), so a second `npm start` starts at once instead of
// rebuilding everything. `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What the build reads: its sources and its configuration. */
const INPUTS = [
  'src',
  'server',
  'demo',
  'package.json',
  'tsconfig.json',
  'rollup.config.mjs',
  'custom-elements-manifest.config.mjs',
  'scripts',
];
/** What it writes, each one needed by `npm start`. */
const OUTPUTS = [
  'lib/server/cli/cli.js',
  'lib/src/index.js',
  'dist/p2p-video-call.js',
  'dist/p2p-video-call.js.integrity',
  'custom-elements.json',
];

/** The newest modification time under `path` (a file or a folder), in ms; 0 if it does not exist. */
function newest(path) {
  let stats;
  try {
    stats = statSync(join(ROOT, path));
  } catch {
    return 0;
  }
  // Tests are not built: editing one needs no build.
  if (!stats.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stats.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(join(ROOT, path))) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

function oldestOutput() {
  let oldest = Infinity;
  for (const output of OUTPUTS) {
    try {
      oldest = Math.min(oldest, statSync(join(ROOT, output)).mtimeMs);
    } catch {
      return 0; // missing: build
    }
  }
  return oldest;
}

const inputs = Math.max(...INPUTS.map(newest));
if (oldestOutput() >= inputs) {
  console.error('p2p-video-call: the build is up to date (npm run build rebuilds it).');
} else {
  console.error('p2p-video-call: building (sources changed since the last build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
