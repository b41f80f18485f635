/**
 * Where the `p2p-video-call` package lives on disk, so the relay can find the files it serves
 * (`dist/p2p-video-call.js`, `demo/index.html`) whether it runs compiled (`lib/server/…`),
 * from source (`server/…` under tsx), or installed under `node_modules/p2p-video-call/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'p2p-video-call';

/**
 * Walk up from `start` (default: this module's directory) to the first directory holding a
 * `package.json` named `p2p-video-call`. Returns `null` if there is none.
 */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = start; ;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined; // unreadable or not JSON: not our package.json, keep walking up
  }
}

/** The package's version (from its `package.json`), or `null` when the package is not found. */
export function packageVersion(root: string | null = findPackageRoot()): string | null {
  if (root === null) return null;
  try {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null; // no readable version: the versioned bundle path is simply not served
  }
}
