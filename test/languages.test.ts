// <p2p-video-call> in other languages: the `lang` attribute, `<html lang>`, the `strings`
// override, statuses from error codes, and tables refused when they don't match the bundle.
import { expect } from '@open-wc/testing';
import '../src/index.js';
import { INTEGRITY } from '../src/i18n/lang/integrity.js';
import { registerLanguage } from '../src/i18n/localize.js';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import type { CallErrorEvent } from '../src/call/events.js';
import { EN, type Strings } from '../src/i18n/strings.js';
import { addCall, connectPair, newRoom, part } from './helpers/calls.js';
import { startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { refuseMedia } from './helpers/media-stub.js';
import { nextEvent, until } from './helpers/wait.js';

let relay: RelayHandle;
before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));

const tables = new Map<string, Strings>([['en', EN]]);
/** A built-in table, as the element fetches it. */
async function table(code: string): Promise<Strings> {
  if (!tables.has(code)) tables.set(code, (await (await fetch(`/src/i18n/lang/${code}.json`)).json()) as Strings);
  return tables.get(code)!;
}

/** Every text of a table, with `{name}` as the element fills it in for `name`. */
function allowed(t: Strings, name: string): Set<string> {
  const out = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value !== 'string') return void Object.values(value as object).forEach(add);
    const filled = value.replace('{name}', name || t.otherPerson);
    out.add(filled).add(filled[0].toUpperCase() + filled.slice(1));
  };
  add(t);
  return out;
}

/**
 * What a person sees or hears of the element: each element's own text (the status may be
 * several sentences of the table) and every accessible name. Device names in the menu are the
 * browser's, not ours, and are left out.
 */
function textsOf(el: P2PVideoCall): string[] {
  const texts: string[] = [];
  for (const node of el.shadowRoot!.querySelectorAll('*')) {
    if (node.closest('select')) continue;
    const own = [...node.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent!.trim())
      .join(' ')
      .trim();
    if (own) texts.push(own);
    const label = node.getAttribute('aria-label');
    if (label) texts.push(label);
  }
  return texts;
}

/** Asserts every text of the element is one of the table's (a status may join several). */
function expectAllIn(el: P2PVideoCall, t: Strings, name = '') {
  const ok = allowed(t, name);
  const texts = textsOf(el);
  expect(texts.length).to.be.greaterThan(5);
  for (const text of texts) {
    // Sentences, and the parts of the quality indicator ("level · reason · path").
    const sentences = text.split(/(?<=[.。…])\s*(?=\S)| · /u);
    expect(ok.has(text) || sentences.every((s) => ok.has(s)), `"${text}" is not in the table`).to.equal(true);
  }
}

const statusOf = (el: P2PVideoCall) => el.shadowRoot?.querySelector('[part="status"]')?.textContent?.trim();
const langOf = (el: P2PVideoCall) => el.shadowRoot!.querySelector('.texts')!.getAttribute('lang');

function addIdle(attributes: Record<string, string> = {}): P2PVideoCall {
  return addCall(newRoom('lang'), relay.url, { manual: '', ...attributes });
}

describe('<p2p-video-call> languages', () => {
  afterEach(() => {
    document.querySelectorAll('p2p-video-call').forEach((el) => el.remove());
    document.documentElement.lang = 'en';
  });

  it('renders every text in the language of its lang attribute, and all of them again when it changes', async () => {
    const [de, ja] = await Promise.all([table('de'), table('ja')]);
    const el = addIdle({ lang: 'de' });
    await until(() => statusOf(el) === de.status.idle, 'German status');
    expectAllIn(el, de);
    expect(part(el, 'hangup-button').textContent.trim()).to.equal(de.hangUp);
    expect(part(el, 'remote-video').getAttribute('aria-label')).to.equal('Video von der anderen Person');
    expect(langOf(el)).to.equal('de');

    el.lang = 'ja';
    await until(() => statusOf(el) === ja.status.idle, 'Japanese status');
    expectAllIn(el, ja);
    expect(langOf(el)).to.equal('ja');

    el.removeAttribute('lang');
    await until(() => statusOf(el) === EN.status.idle, 'English again');
    expectAllIn(el, EN);
  });

  it('follows <html lang> when it has no lang of its own, and the nearest ancestor with one before it', async () => {
    const [fr, es, pt] = await Promise.all([table('fr'), table('es'), table('pt')]);
    document.documentElement.lang = 'fr-CA';
    const el = addIdle();
    await until(() => statusOf(el) === fr.status.idle, 'French from <html lang>');
    expectAllIn(el, fr);

    document.documentElement.lang = 'es-MX';
    await until(() => statusOf(el) === es.status.idle, 'Spanish after <html lang> changed');
    expectAllIn(el, es);

    const section = document.createElement('section');
    section.lang = 'pt-BR';
    document.body.append(section);
    section.append(el);
    await until(() => statusOf(el) === pt.status.idle, 'Portuguese from the ancestor');
    expectAllIn(el, pt);
    section.remove();
  });

  it('falls back to English for a language it lacks, or for Traditional Chinese, and matches script and region tags', async () => {
    const zh = await table('zh');
    const el = addIdle({ lang: 'sv' });
    await el.updateComplete;
    expect(statusOf(el)).to.equal(EN.status.idle);
    expect(langOf(el)).to.equal('en');

    el.lang = 'zh-Hans-CN';
    await until(() => statusOf(el) === zh.status.idle, 'Simplified Chinese');
    el.lang = 'zh-TW';
    await until(() => statusOf(el) === EN.status.idle, 'English for Traditional Chinese');
  });

  it('shows the page’s strings instead of any text, over a built-in language or for one it lacks', async () => {
    const de = await table('de');
    const el = addIdle({ lang: 'de' });
    el.strings = { hangUp: 'Tschüss', status: { idle: 'Gleich geht es los.' } };
    await until(() => statusOf(el) === 'Gleich geht es los.', 'overridden status');
    expect(part(el, 'hangup-button').textContent.trim()).to.equal('Tschüss');
    expect(part(el, 'mute-button').textContent.trim()).to.equal(de.mute);

    // Swedish is not built in: the page brings its texts, and they are marked as Swedish.
    const sv = addIdle({ lang: 'sv' });
    sv.strings = { hangUp: 'Lägg på', status: { idle: 'Redo att ringa.' } };
    await until(() => statusOf(sv) === 'Redo att ringa.', 'Swedish status');
    expect(part(sv, 'hangup-button').textContent.trim()).to.equal('Lägg på');
    expect(langOf(sv)).to.equal('sv');
  });

  it('takes a table a page registers (a bundle, or a language not built in), for the language and its regions', async () => {
    registerLanguage('eo', { ...EN, hangUp: 'Fini', status: { ...EN.status, idle: 'Preta por voki.' } });
    const el = addIdle({ lang: 'eo-XX' });
    await until(() => statusOf(el) === 'Preta por voki.', 'the registered table');
    expect(part(el, 'hangup-button').textContent.trim()).to.equal('Fini');
    expect(langOf(el)).to.equal('eo');
  });

  it('says why a call failed from the error code, in its language, never from the error’s own message', async () => {
    const [de, ja] = await Promise.all([table('de'), table('ja')]);
    const el = addIdle({ lang: 'de', 'ice-servers': 'not json' });
    await until(() => statusOf(el) === de.status.idle, 'German');
    const error = nextEvent<CallErrorEvent>(el, 'call-error');
    void el.start();
    expect((await error).detail.code).to.equal('invalid-ice-servers');
    await el.updateComplete;
    expect(statusOf(el)).to.equal(de.error['invalid-ice-servers']);
    expect(part(el, 'start-button').textContent.trim()).to.equal(de.tryAgain);

    const restore = refuseMedia('NotAllowedError', { message: 'denied by the test' });
    try {
      const denied = addIdle({ lang: 'ja' });
      await until(() => statusOf(denied) === ja.status.idle, 'Japanese');
      const failed = nextEvent<CallErrorEvent>(denied, 'call-error');
      void denied.start();
      expect((await failed).detail.code).to.equal('media-denied');
      await denied.updateComplete;
      expect(statusOf(denied)).to.equal(ja.mediaError.NotAllowedError);
    } finally {
      restore();
    }
  });

  it('refuses a table whose bytes differ from the hash in the bundle, and stays in English', async () => {
    const hash = INTEGRITY.nl;
    INTEGRITY.nl = `sha256-${'A'.repeat(43)}=`; // what a tampered copy on a CDN would fail
    const warn = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const el = addIdle({ lang: 'nl' });
      const [message] = await until(() => warnings[0], 'a warning', 5000);
      expect(String(message)).to.contain('"nl"');
      await el.updateComplete;
      expect(statusOf(el)).to.equal(EN.status.idle);
      expect(langOf(el)).to.equal('en');
    } finally {
      console.warn = warn;
      INTEGRITY.nl = hash!;
    }
  });

  it('holds a whole call in German: statuses, quality, the other person’s name in the video’s name', async () => {
    const de = await table('de');
    const { first, second } = await connectPair(relay.url, { lang: 'de' }, 'lang-call');
    await until(() => statusOf(first) === 'Verbunden mit Second.' && statusOf(second) === 'Verbunden mit First.', 'German statuses');
    await until(() => !!first.shadowRoot!.querySelector('[part="quality"]'), 'quality shown');
    // The level, then the path (and a reason when not good), all in German.
    const [level, ...rest] = part(first, 'quality').textContent.trim().split(' · ');
    expect(Object.values(de.quality)).to.include(level);
    expect(rest.at(-1)).to.equal(de.path.direct);
    expect(part(first, 'remote-video').getAttribute('aria-label')).to.equal('Video von Second');
    expectAllIn(first, de, 'Second');
    expectAllIn(second, de, 'First');
  });
});
