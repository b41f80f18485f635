#!/usr/bin/env node
// Checks that the system tools the tests need are installed (npm `pretest`), and installs the
// missing ones with apt-get when it runs as root; otherwise prints the one command that does.
// Costs a few stat() calls when everything is present.
//
//   Chromium  $CHROME_PATH  or /usr/lib/chromium/chromium   (Debian package chromium)
//   Firefox   $FIREFOX_PATH or /usr/bin/firefox-esr         (firefox-esr)
//   turnserver (coturn), redis-server, unshare (util-linux), ip (iproute2), nft (nftables: the
//   network-fault tests), openssl (the TLS test's self-signed certificates) on PATH or in
//   /usr/sbin, /sbin

import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'].filter(Boolean);

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} command */
function onPath(command) {
  return SEARCH_PATH.some((dir) => isExecutable(join(dir, command)));
}

/**
 * What to check: a file given by an environment variable (a user's own build: apt cannot
 * help if it is missing), or a default file / command that a Debian package provides.
 */
const requirements = [
  { what: 'Chromium', env: 'CHROME_PATH', file: '/usr/lib/chromium/chromium', pkg: 'chromium' },
  { what: 'Firefox', env: 'FIREFOX_PATH', file: '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
  { what: 'coturn', command: 'turnserver', pkg: 'coturn' },
  { what: 'Redis', command: 'redis-server', pkg: 'redis-server' },
  { what: 'unshare', command: 'unshare', pkg: 'util-linux' },
  { what: 'ip', command: 'ip', pkg: 'iproute2' },
  { what: 'nft', command: 'nft', pkg: 'nftables' },
  { what: 'openssl', command: 'openssl', pkg: 'openssl' },
];

/** @returns {{ missing: typeof requirements, badOverrides: string[] }} */
function check() {
  const missing = [];
  const badOverrides = [];
  for (const req of requirements) {
    const override = req.env && process.env[req.env];
    if (override) {
      if (!isExecutable(override)) badOverrides.push(`${req.env}=${override} is not an executable file`);
    } else if (req.file ? !isExecutable(req.file) : !onPath(/** @type {string} */ (req.command))) {
      missing.push(req);
    }
  }
  return { missing, badOverrides };
}

let { missing, badOverrides } = check();
if (badOverrides.length > 0) {
  console.error(`ensure-system-deps: ${badOverrides.join('; ')}. Fix or unset it.`);
  process.exit(1);
}
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((req) => req.pkg))];
const list = missing.map((req) => `${req.what} (${req.pkg})`).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (!isRoot || !onPath('apt-get')) {
  console.error(`ensure-system-deps: the tests need ${list}, which ${missing.length === 1 ? 'is' : 'are'} not installed.`);
  console.error(`Install ${missing.length === 1 ? 'it' : 'them'} with:\n\n  sudo apt-get install -y ${packages.join(' ')}\n`);
  if (!onPath('apt-get')) {
    console.error('(No apt-get here: install the equivalent packages, or point CHROME_PATH / FIREFOX_PATH at your browsers.)');
  }
  process.exit(1);
}

/** @param {string[]} args */
function aptGet(args) {
  console.log(`ensure-system-deps: apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`ensure-system-deps: apt-get ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

console.log(`ensure-system-deps: missing ${list}; installing with apt-get (running as root)`);
const started = Date.now();
aptGet(['update']);
aptGet(['install', '-y', ...packages]);

({ missing } = check());
if (missing.length > 0) {
  console.error(`ensure-system-deps: still missing after apt-get: ${missing.map((req) => req.what).join(', ')}`);
  process.exit(1);
}
console.log(`ensure-system-deps: installed ${packages.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
