// Writes the drop-in bundle's Subresource Integrity value next to it
// (dist/p2p-video-call.js.integrity; the relay serves it at /p2p-video-call.js.integrity) and
// prints the script tag that pins this build.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const file = new URL('../dist/p2p-video-call.js', import.meta.url);
const integrity = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
writeFileSync(new URL('../dist/p2p-video-call.js.integrity', import.meta.url), `${integrity}\n`);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
console.log(
  `integrity: <script type="module" src="https://YOUR-RELAY/p2p-video-call@${version}.js" integrity="${integrity}" crossorigin="anonymous"></script>`,
);
