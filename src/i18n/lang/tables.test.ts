// The built-in language tables (src/lang/<code>.json) against the English one in src/strings.ts:
// complete, nothing extra, placeholders kept, and in step with the hashes the bundle checks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EN } from '../strings.js';
import { INTEGRITY } from './integrity.js';

const folder = new URL('./', import.meta.url);
const codes = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -5));

/** Every text of a table by its path (`status.waiting`, `hangUp`, …). */
function entries(table: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(table) as Array<[string, unknown]>) {
    if (value && typeof value === 'object') for (const [k, v] of entries(value, `${prefix}${key}.`)) out.set(k, v);
    else out.set(`${prefix}${key}`, value);
  }
  return out;
}

const english = entries(EN);

describe('language tables', () => {
  it('has the nine languages the element promises', () => {
    assert.deepEqual(codes.sort(), ['de', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt', 'zh']);
  });

  for (const code of codes) {
    it(`${code}: has every English entry, no other, each a non-empty text with no placeholder English lacks`, () => {
      const table = entries(JSON.parse(readFileSync(new URL(`${code}.json`, folder), 'utf8')) as object);
      assert.deepEqual([...table.keys()].sort(), [...english.keys()].sort());
      for (const [path, text] of table) {
        assert.equal(typeof text, 'string', path);
        const value = text as string;
        assert.ok(value.length > 0 && value === value.trim(), `${code} ${path}: empty or padded`);
        assert.ok(!/[<>]/.test(value), `${code} ${path}: markup`);
        const placeholders: string[] = value.match(/\{\w+\}/g) ?? [];
        const known: string[] = (english.get(path) as string).match(/\{\w+\}/g) ?? [];
        for (const p of placeholders) assert.ok(known.includes(p), `${code} ${path}: unknown placeholder ${p}`);
        // A name in a short label or a sentence about the other person must stay in it.
        if (/^(status|remoteVideo|remoteScreen)/.test(path)) assert.deepEqual(placeholders, known, `${code} ${path}: {name} lost`);
      }
    });
  }

  it('is in step with src/lang/integrity.ts (run `npm run build` after editing a table)', () => {
    for (const code of codes) {
      const bytes = readFileSync(new URL(`${code}.json`, folder));
      assert.equal(INTEGRITY[code], `sha256-${createHash('sha256').update(bytes).digest('base64')}`, code);
    }
    assert.deepEqual(Object.keys(INTEGRITY).sort(), codes.sort());
  });
});
