// The built-in languages other than English (src/i18n/lang/<code>.json, written by hand): writes
// src/i18n/lang/integrity.ts, the Subresource Integrity hash of each table that the element checks
// when it fetches one, and copies the tables next to the modules that fetch them
// (lib/src/i18n/lang/ for the npm package, dist/lang/ for the drop-in bundle). Runs before tsc.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const source = new URL('../src/i18n/lang/', import.meta.url);
const codes = readdirSync(source)
  .filter((file) => /^[a-z]{2,3}\.json$/.test(file))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();
const hashes = codes.map((code) => {
  const bytes = readFileSync(new URL(`${code}.json`, source));
  JSON.parse(bytes.toString('utf8')); // a broken table fails the build, not a visitor's page
  return [code, `sha256-${createHash('sha256').update(bytes).digest('base64')}`];
});
const lines = hashes.map(([code, hash]) => `  ${code}: '${hash}',`).join('\n');
writeFileSync(
  new URL('integrity.ts', source),
  `// Written by scripts/build-languages.mjs (npm run build): do not edit.\n` +
    `/** Subresource Integrity of each built-in language table in this folder, by language code. */\n` +
    `export const INTEGRITY: Record<string, string> = {\n${lines}\n};\n`,
);
for (const target of ['../lib/src/i18n/lang/', '../dist/lang/']) {
  const dir = new URL(target, import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const code of codes) copyFileSync(new URL(`${code}.json`, source), new URL(`${code}.json`, dir));
}
console.log(`languages: en (built in), ${codes.join(', ')}`);
