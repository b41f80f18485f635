// Fails the build when the drop-in bundle grows past its budget. Every visitor pays for it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 28 KB: the budget the data channel issue set (26 KB before it: the in-call controls issue's). What each feature costs and what
// the build leaves out of socket.io-client to pay for it: README "Bundle size", and
// scripts/bundle-trims.mjs. PeerJS alone, without any UI, is 22.7 KB.
const BUDGET_GZIP_BYTES = 28_000;
const file = new URL('../dist/p2p-video-call.js', import.meta.url);
const code = readFileSync(file);
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(`dist/p2p-video-call.js: ${kb(code.length)} minified, ${kb(gzip)} gzip (budget ${kb(BUDGET_GZIP_BYTES)})`);
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`The drop-in bundle is ${gzip - BUDGET_GZIP_BYTES} bytes over its gzip budget.`);
  process.exit(1);
}
