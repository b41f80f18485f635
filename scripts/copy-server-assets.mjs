// After tsc: copies the relay's Lua scripts (server/**/*.lua) next to their compiled modules in
// lib/server/, where they read them (`new URL('./x.lua', import.meta.url)`).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'server');

for (const entry of readdirSync(SOURCE, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.lua')) continue;
  const from = join(entry.parentPath ?? entry.path, entry.name);
  const to = join(ROOT, 'lib', 'server', relative(SOURCE, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
