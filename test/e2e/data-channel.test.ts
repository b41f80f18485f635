// Messages, chat and files between a Chromium visitor and a Firefox visitor of the demo page,
// peer to peer on the call's data channel, through the real relay process: what differs between
// the two browsers (SCTP message sizes, Blob reading, keyboard input) is crossed here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { closeBrowser, launchBrowser, startRelayProcess, waitFor, type BrowserKind, type RelayProcess } from './harness.js';
import { call as callOf, newRoom, visit, waiting } from './visitors.js';

let relay: RelayProcess;
const browsers = {} as Record<BrowserKind, Browser>;

before(async () => {
  relay = await startRelayProcess();
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});

after(async () => {
  await Promise.all(Object.values(browsers).map((b) => closeBrowser(b)));
  await relay?.stop();
});

interface DataLog {
  messages: unknown[];
  chat: Array<{ text: string; from: string; name: string }>;
  progress: Array<{ id: string; bytes: number; size: number; direction: string }>;
  received: Array<{ id: string; name: string; size: number; type: string; isFile: boolean; sha: string }>;
  errors: Array<{ id: string; name: string; direction: string; code: string }>;
  sent: string[];
  uncaught: string[];
}

declare global {
  interface Window {
    __data: DataLog;
    pwned?: number;
  }
}

/**
 * Run in every page before its own script: records the data events of its element (a received
 * file as its SHA-256), what sendFile() resolved for, and any uncaught error.
 */
const DATA_LOG = `(() => {
  const d = (window.__data = { messages: [], chat: [], progress: [], received: [], errors: [], sent: [], uncaught: [] });
  const on = (type, fn) => addEventListener(type, (e) => { if (e.target && e.target.localName === 'p2p-video-call') fn(e.detail); }, true);
  on('peer-message', (x) => d.messages.push(x.data));
  on('chat-message', (x) => d.chat.push({ text: x.text, from: x.from, name: x.name }));
  on('file-progress', (x) => d.progress.push({ id: x.id, bytes: x.bytes, size: x.size, direction: x.direction }));
  on('file-error', (x) => d.errors.push({ id: x.id, name: x.name, direction: x.direction, code: x.code }));
  on('file-received', async (x) => {
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await x.file.arrayBuffer()));
    d.received.push({ id: x.id, name: x.name, size: x.size, type: x.type, isFile: x.file instanceof File, sha: Array.from(hash).join(',') });
  });
  addEventListener('error', (e) => d.uncaught.push(String(e.error || e.message)));
  addEventListener('unhandledrejection', (e) => d.uncaught.push(String(e.reason)));
})();`;

const call = (t: { after(fn: () => unknown): void }, relayUrl = relay.url) =>
  callOf(t, relayUrl, [browsers.chromium, browsers.firefox], ['Chromium', 'Firefox'], { beforeLoad: DATA_LOG });

const dataOf = (page: Page) => page.evaluate(() => window.__data);

/** Waits until `test` holds for the page's data log; returns the log. */
const until = (page: Page, test: (d: DataLog) => boolean, message: string, timeout = 20_000) =>
  waitFor(
    async () => {
      const d = await dataOf(page);
      return test(d) ? d : undefined;
    },
    { timeout, interval: 50, message },
  );

/** Makes `size` random bytes the page's next file; resolves with their SHA-256. */
const prepareRandomFile = (page: Page, size: number) =>
  page.evaluate(async (size: number) => {
    const bytes = new Uint8Array(size);
    for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
    (window as unknown as { __next: Blob }).__next = new Blob([bytes], { type: 'application/octet-stream' });
    return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))).join(',');
  }, size);

/** Sends the page's prepared file as `name` (recorded in `sent` once sendFile() resolves). */
const startSending = (page: Page, name: string) =>
  page.evaluate((name: string) => {
    void document
      .querySelector('p2p-video-call')!
      .sendFile((window as unknown as { __next: Blob }).__next, name)
      .then(() => window.__data.sent.push(name));
  }, name);

/** Sends `size` random bytes as `name` from the page's element; resolves with their SHA-256. */
async function sendRandomFile(page: Page, size: number, name: string) {
  const sha = await prepareRandomFile(page, size);
  await startSending(page, name);
  return sha;
}

/** Types `text` in the chat of the page's element with the keyboard and presses Enter. */
async function typeChatLine(page: Page, text: string) {
  const open = await page.evaluate(() => !!document.querySelector('p2p-video-call')!.shadowRoot!.querySelector('[part="chat"]'));
  if (!open) await page.click('p2p-video-call >>> [part="chat-button"]');
  await page.waitForSelector('p2p-video-call >>> [part="chat-input"]');
  await page.focus('p2p-video-call >>> [part="chat-input"]');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Progress events of one transfer: bytes never go back, and the last has every byte. */
function assertProgress(d: DataLog, id: string, size: number, what: string) {
  const bytes = d.progress.filter((p) => p.id === id).map((p) => p.bytes);
  assert.ok(bytes.length >= 2, `${what}: ${bytes.length} progress events`);
  assert.ok(
    bytes.every((b, i) => i === 0 || b >= bytes[i - 1]),
    `${what}: progress goes back: ${bytes.join(', ')}`,
  );
  assert.equal(bytes.at(-1), size, `${what}: the last progress`);
}

describe('app messages between Chromium and Firefox', () => {
  it('200 send() calls each way arrive in order, once; 70 KiB throws RangeError and sends nothing', async (t) => {
    const { first: chromium, second: firefox } = await call(t);
    await chromium.page.evaluate(() => {
      const el = document.querySelector('p2p-video-call')!;
      for (let i = 0; i < 200; i++) el.send({ i, from: 'chromium' });
    });
    await firefox.page.evaluate(() => {
      const el = document.querySelector('p2p-video-call')!;
      for (let i = 0; i < 200; i++) el.send(i);
    });
    const atFirefox = await until(firefox.page, (d) => d.messages.length >= 200, '200 messages in Firefox');
    const atChromium = await until(chromium.page, (d) => d.messages.length >= 200, '200 messages in Chromium');
    assert.deepEqual(
      atFirefox.messages,
      Array.from({ length: 200 }, (_, i) => ({ i, from: 'chromium' })),
    );
    assert.deepEqual(
      atChromium.messages,
      Array.from({ length: 200 }, (_, i) => i),
    );

    for (const page of [chromium.page, firefox.page]) {
      const thrown = await page.evaluate(() => {
        try {
          document.querySelector('p2p-video-call')!.send('x'.repeat(70 * 1024));
          return 'nothing';
        } catch (error) {
          return (error as Error).name;
        }
      });
      assert.equal(thrown, 'RangeError');
    }
    await chromium.page.evaluate(() => document.querySelector('p2p-video-call')!.send('last'));
    const after = await until(firefox.page, (d) => d.messages.includes('last'), 'the message after the RangeError');
    assert.equal(after.messages.length, 201, 'nothing of the 70 KiB message arrived');
    assert.deepEqual([(await dataOf(chromium.page)).uncaught, after.uncaught], [[], []]);
  });

  it('a message sent before the call is up (Chromium waiting alone) reaches Firefox once, before what follows', async (t) => {
    const room = newRoom('early');
    const chromium = await visit(browsers.chromium, relay.url, room, 'Chromium', { beforeLoad: DATA_LOG });
    t.after(() => chromium.page.close());
    await waiting(chromium);
    await chromium.page.evaluate(() => document.querySelector('p2p-video-call')!.send({ early: true }));
    const firefox = await visit(browsers.firefox, relay.url, room, 'Firefox', { beforeLoad: DATA_LOG });
    t.after(() => firefox.page.close());
    await chromium.log.waitFor('call-connected', { timeout: 20_000 });
    await chromium.page.evaluate(() => document.querySelector('p2p-video-call')!.send('after'));
    const d = await until(firefox.page, (d) => d.messages.includes('after'), 'the message after connected');
    assert.deepEqual(d.messages, [{ early: true }, 'after']);
  });

  it('messages and chat lines cross both ways while the relay is SIGKILLed', async (t) => {
    const own = await startRelayProcess();
    t.after(() => own.stop());
    const { first: chromium, second: firefox } = await call(t, own.url);
    const marks = [await chromium.log.count(), await firefox.log.count()];
    await own.kill();
    await chromium.log.waitFor('call-reconnecting', { since: marks[0] });
    await firefox.log.waitFor('call-reconnecting', { since: marks[1] });
    await chromium.page.evaluate(() => document.querySelector('p2p-video-call')!.send('from chromium, no relay'));
    await firefox.page.evaluate(() => document.querySelector('p2p-video-call')!.send('from firefox, no relay'));
    await until(firefox.page, (d) => d.messages.includes('from chromium, no relay'), 'Chromium’s message in Firefox');
    await until(chromium.page, (d) => d.messages.includes('from firefox, no relay'), 'Firefox’s message in Chromium');
    await typeChatLine(chromium.page, 'typed in Chromium');
    await typeChatLine(firefox.page, 'typed in Firefox');
    await until(firefox.page, (d) => d.chat.some((c) => c.from === 'remote' && c.text === 'typed in Chromium'), 'the chat line in Firefox');
    await until(
      chromium.page,
      (d) => d.chat.some((c) => c.from === 'remote' && c.text === 'typed in Firefox'),
      'the chat line in Chromium',
    );
  });
});

describe('chat from Chromium to Firefox', () => {
  it('a line typed with the keyboard in Chromium shows as text in Firefox, counted unread, and makes no element', async (t) => {
    const { first: chromium, second: firefox } = await call(t);
    const line = '<img src=x onerror="window.pwned=1"> café ☕';
    await typeChatLine(chromium.page, line);
    const d = await until(firefox.page, (d) => d.chat.length > 0, 'the line in Firefox');
    assert.deepEqual(d.chat, [{ text: line, from: 'remote', name: 'Chromium' }]);
    // The chat renders once a frame at most: the count shows by the next one.
    const button = await waitFor(async () => {
      const text = await firefox.page.$eval('p2p-video-call >>> [part="chat-button"]', (b) => b.textContent.replace(/\s+/g, ' ').trim());
      return text === 'Chat' ? undefined : text;
    });
    assert.equal(button, 'Chat 1 unread');
    await firefox.page.click('p2p-video-call >>> [part="chat-button"]');
    await firefox.page.waitForSelector('p2p-video-call >>> [part="chat"]');
    const shown = await firefox.page.evaluate(() => {
      const chat = document.querySelector('p2p-video-call')!.shadowRoot!.querySelector('[part="chat"]')!;
      return {
        text: chat.querySelector('li:last-child')?.textContent ?? '',
        images: chat.querySelectorAll('img').length,
        pwned: window.pwned,
      };
    });
    assert.ok(shown.text.includes(line), `shown: ${shown.text}`);
    assert.deepEqual([shown.images, shown.pwned], [0, undefined]);
  });
});

describe('files between Chromium and Firefox', () => {
  it('32 MiB Chromium → Firefox and 8 MiB back at the same time: the same bytes, progress increasing on both sides', async (t) => {
    const { first: chromium, second: firefox } = await call(t);
    const [toFirefox, toChromium] = await Promise.all([
      prepareRandomFile(chromium.page, 32 << 20),
      prepareRandomFile(firefox.page, 8 << 20),
    ]);
    await Promise.all([startSending(chromium.page, 'thirty-two.bin'), startSending(firefox.page, 'eight.bin')]);
    const atFirefox = await until(firefox.page, (d) => d.received.length > 0 && d.sent.length > 0, 'both files in Firefox', 120_000);
    const atChromium = await until(chromium.page, (d) => d.received.length > 0 && d.sent.length > 0, 'both files in Chromium', 120_000);
    const [big] = atFirefox.received;
    const [small] = atChromium.received;
    assert.deepEqual(
      { ...big, sha: big.sha === toFirefox },
      { id: big.id, name: 'thirty-two.bin', size: 32 << 20, type: 'application/octet-stream', isFile: true, sha: true },
    );
    assert.deepEqual(
      { ...small, sha: small.sha === toChromium },
      { id: small.id, name: 'eight.bin', size: 8 << 20, type: 'application/octet-stream', isFile: true, sha: true },
    );
    assertProgress(atChromium, big.id, 32 << 20, 'Chromium sending');
    assertProgress(atFirefox, big.id, 32 << 20, 'Firefox receiving');
    assertProgress(atFirefox, small.id, 8 << 20, 'Firefox sending');
    assertProgress(atChromium, small.id, 8 << 20, 'Chromium receiving');
    assert.deepEqual([atChromium.errors, atFirefox.errors, atChromium.uncaught, atFirefox.uncaught], [[], [], [], []]);
  });

  it('a file over Firefox’s max-file-size is refused on both sides before a byte moves; Firefox cancelling mid-transfer stops both', async (t) => {
    const { first: chromium, second: firefox } = await call(t);
    await firefox.page.evaluate(() => document.querySelector('p2p-video-call')!.setAttribute('max-file-size', String(4 << 20)));
    await sendRandomFile(chromium.page, (4 << 20) + 1, 'over.bin');
    const refused = await until(firefox.page, (d) => d.errors.length > 0, 'too-large in Firefox');
    const sender = await until(chromium.page, (d) => d.errors.length > 0, 'too-large in Chromium');
    assert.deepEqual(
      [refused.errors[0], sender.errors[0]],
      [
        { id: refused.errors[0].id, name: 'over.bin', direction: 'receive', code: 'too-large' },
        { id: refused.errors[0].id, name: 'over.bin', direction: 'send', code: 'too-large' },
      ],
    );
    assert.ok(
      refused.progress.every((p) => p.bytes === 0),
      'no byte of the refused file arrived',
    );

    // Big enough to be under way for a while on loopback.
    await firefox.page.evaluate(() => document.querySelector('p2p-video-call')!.removeAttribute('max-file-size'));
    await firefox.page.evaluate(() => {
      // Cancel as soon as bytes arrive, as a person pressing Cancel mid-transfer.
      addEventListener('file-progress', (e) => {
        const { id, bytes, size, direction } = e.detail;
        if (direction === 'receive' && bytes > 0 && bytes < size) document.querySelector('p2p-video-call')!.cancelFile(id);
      });
    });
    await sendRandomFile(chromium.page, 64 << 20, 'fits.bin');
    const cancelled = await until(firefox.page, (d) => d.errors.length > 1, 'cancelled in Firefox');
    const told = await until(chromium.page, (d) => d.errors.length > 1, 'cancelled in Chromium');
    assert.deepEqual(
      [cancelled.errors[1].code, told.errors[1].code, told.errors[1].direction, told.errors[1].name],
      ['cancelled', 'cancelled', 'send', 'fits.bin'],
    );
    assert.deepEqual(cancelled.received, []);
    // sendFile() resolved for both, without rejecting: failures are events.
    await until(chromium.page, (d) => d.sent.length === 2, 'both sendFile() promises resolved');
  });
});
