import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { INTEGRITY } from './lang/integrity.js';
import { EN, type Strings, type StringsOverride } from './strings.js';

/** Tables at hand (English, registered ones, ones fetched); the built-in others are in INTEGRITY. */
const tables = new Map<string, Promise<Strings>>([['en', Promise.resolve(EN)]]);

/**
 * The built-in language for a BCP 47 tag, or `'en'`: `de-AT` → `de`, `pt-BR` → `pt`, `zh`,
 * `zh-CN` and `zh-Hans` → `zh` (Simplified Chinese; `zh-TW`, `zh-HK` and `zh-Hant` get English
 * rather than the wrong script).
 */
export function matchLanguage(tag: string): string {
  const [language = '', ...rest] = tag.toLowerCase().split(/[-_]/);
  if (language === 'zh' && rest.some((s) => ['hant', 'tw', 'hk', 'mo'].includes(s))) return 'en';
  return tables.has(language) || Object.hasOwn(INTEGRITY, language) ? language : 'en';
}

/**
 * Gives the elements of this page a language's table, instead of fetching it: for bundles
 * (the tables are in the package, `p2p-video-call/lang/<code>.json`) and for languages that
 * are not built in. Call it before the elements render in that language.
 *
 * @example
 * ```ts
 * import { registerLanguage } from 'p2p-video-call';
 * import de from 'p2p-video-call/lang/de.json';
 * registerLanguage('de', de);
 * ```
 */
export function registerLanguage(code: string, table: Strings): void {
  tables.set(code.toLowerCase(), Promise.resolve(table));
}

/**
 * The table of a built-in language. English is in the bundle; the others are fetched once per
 * page, from `lang/<code>.json` next to this module (the bundle's folder on a relay or CDN),
 * checked against the hash the build put in the bundle (Subresource Integrity), so a pinned
 * script tag pins its texts too. Rejects when the table cannot be had.
 */
export function loadLanguage(code: string): Promise<Strings> {
  let table = tables.get(code);
  if (!table) {
    const url = new URL(`lang/${code}.json`, import.meta.url);
    table = fetch(url, { integrity: INTEGRITY[code] }).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json() as Promise<Strings>;
    });
    tables.set(code, table);
    table.catch(() => tables.delete(code)); // a later element tries again
  }
  return table;
}

/** Elements whose language follows `<html lang>`. */
const following = new Set<Localizer>();
let observer: MutationObserver | null = null;

/**
 * The texts of one element, in its language: its `lang` attribute, else the nearest ancestor's,
 * else `<html lang>` (watched for changes), else English; the way Shoelace's localize
 * controller resolves it. Until another language's table has arrived, the texts stay those
 * shown so far. `overrides` (the element's `strings` property) replace any text.
 */
export class Localizer implements ReactiveController {
  /** The texts to show. */
  strings: Strings = EN;
  /** The language of {@link strings}, for the `lang` attribute of what is rendered. */
  lang = 'en';
  #table: Strings = EN;
  #overrides: StringsOverride = {};
  #wanted = 'en';
  #requested = '';

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    following.add(this);
    observer ??= new MutationObserver(() => following.forEach((l) => l.update()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.update();
  }

  hostDisconnected(): void {
    following.delete(this);
    if (following.size === 0) observer?.disconnect();
  }

  /** Texts to use instead of the language's own; `{}` for none. */
  set overrides(overrides: StringsOverride | null | undefined) {
    this.#overrides = overrides ?? {};
    this.#compose();
  }

  /** Resolves the language again (after the element's `lang` changed, or `<html lang>`). */
  update(): void {
    const host = this.host;
    const tag = host.lang || host.parentElement?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
    this.#requested = tag;
    const code = matchLanguage(tag);
    if (code === this.#wanted) return this.#compose();
    this.#wanted = code;
    loadLanguage(code).then(
      (table) => {
        if (this.#wanted !== code) return; // changed again meanwhile
        this.#table = table;
        this.#compose();
      },
      (error) => console.warn(`p2p-video-call: no texts for language "${code}"; using English.`, error),
    );
  }

  #compose(): void {
    const table = this.#table;
    const overrides = this.#overrides as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...table };
    for (const [key, value] of Object.entries(overrides)) {
      const base = (table as Record<string, unknown>)[key];
      if (typeof base === 'string' && typeof value === 'string') merged[key] = value;
      else if (base && typeof base === 'object' && value && typeof value === 'object') merged[key] = { ...base, ...value };
    }
    this.strings = merged as Strings;
    // Texts a page gave for a language we lack are in that language.
    const loaded = this.#table === EN ? 'en' : this.#wanted;
    this.lang = loaded === 'en' && this.#wanted === 'en' && Object.keys(overrides).length ? this.#requested : loaded;
    this.host.requestUpdate();
  }
}
