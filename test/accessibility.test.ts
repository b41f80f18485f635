// axe-core (the real one, in the real browser) over the element's shadow DOM in each state a
// visitor meets: WCAG 2.1 A and AA rules, no violations allowed.
import { expect } from '@open-wc/testing';
import type { AxeResults, RunOptions } from 'axe-core';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import { addCall, connectPair, newRoom, part, resizeTo } from './helpers/calls.js';
import { killRelay, startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { holdMedia, permissionsSay, refuseMedia } from './helpers/media-stub.js';
import { nextEvent, until } from './helpers/wait.js';
import { sendKeys } from '@web/test-runner-commands';

declare global {
  interface Window {
    axe?: { run(context: Element, options: RunOptions): Promise<AxeResults> };
  }
}

let relay: RelayHandle;
before(async () => {
  relay = await startRelay();
  // axe-core's browser build, served by the test runner from node_modules.
  await new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js' });
    script.onload = resolve;
    script.onerror = () => reject(new Error('could not load axe-core'));
    document.head.append(script);
  });
});
after(() => stopRelay(relay));
afterEach(() => document.querySelectorAll('p2p-video-call').forEach((el) => el.remove()));

/** The WCAG 2.1 A/AA violations axe finds in the element, as `rule: targets` lines. */
async function violations(el: P2PVideoCall): Promise<string[]> {
  await el.updateComplete;
  const result = await window.axe!.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Makes getUserMedia wait until released, with the Permissions API saying `prompt`: a person deciding. */
function holdMediaPrompt(): () => void {
  const restores = [holdMedia(), permissionsSay('prompt')];
  return () => restores.forEach((restore) => restore());
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('sees inside the shadow DOM (a button without a name there is a violation)', async () => {
    const el = addCall(newRoom('a11y'), relay.url, { manual: '' });
    await el.updateComplete;
    el.shadowRoot!.append(document.createElement('button'));
    expect((await violations(el)).join('\n')).to.match(/^button-name/);
  });

  it('idle', async () => {
    const el = addCall(newRoom('a11y'), relay.url, { manual: '' });
    expect(await violations(el)).to.deep.equal([]);
  });

  it('previewing, with the device menu open', async () => {
    const el = addCall(newRoom('a11y'), relay.url, { manual: '' });
    await el.preview();
    await until(() => el.devices.length > 0, 'devices listed');
    expect(part(el, 'device-menu').hidden, 'the menu is open').to.equal(false);
    expect(await violations(el)).to.deep.equal([]);
  });

  it('previewing in Japanese and in German, the texts marked with their language', async () => {
    for (const lang of ['ja', 'de']) {
      const el = addCall(newRoom('a11y'), relay.url, { manual: '', lang });
      await el.preview();
      await until(() => el.shadowRoot!.querySelector('.texts')?.getAttribute('lang') === lang, `texts in ${lang}`);
      expect(await violations(el), lang).to.deep.equal([]);
    }
  });

  it('requesting media', async () => {
    const release = holdMediaPrompt();
    try {
      const el = addCall(newRoom('a11y'), relay.url);
      await until(() => el.state === 'requesting-media', 'requesting-media');
      expect(await violations(el)).to.deep.equal([]);
    } finally {
      release();
    }
  });

  it('waiting', async () => {
    const el = addCall(newRoom('a11y'), relay.url);
    await until(() => el.state === 'waiting', 'waiting');
    expect(await violations(el)).to.deep.equal([]);
  });

  it('connected, on both sides; each video is named for whose it is', async () => {
    const { first, second } = await connectPair(relay.url, {}, 'a11y');
    expect(await violations(first)).to.deep.equal([]);
    expect(await violations(second)).to.deep.equal([]);
    expect(part(first, 'remote-video').getAttribute('aria-label')).to.equal('Video of Second');
    expect(part(second, 'remote-video').getAttribute('aria-label')).to.equal('Video of First');
    expect(part(first, 'local-video').getAttribute('aria-label')).to.equal('Your camera');
  });

  it('connected with the chat open on both sides: lines both ways, a file arrived, one refused, and the unread count', async () => {
    const { first, second } = await connectPair(relay.url, {}, 'a11y');
    const line = nextEvent(first, 'chat-message');
    first.send('not a chat line');
    part(second, 'chat-button').click();
    await until(() => part(second, 'chat-input'), 'the chat input');
    const input = part<HTMLTextAreaElement>(second, 'chat-input');
    input.focus();
    await sendKeys({ type: 'Hello there, see https://example.com/a' });
    await sendKeys({ press: 'Enter' });
    await line;
    // Unread on the closed side: the button's name says how many (240 px wide: on "more", which holds chat).
    await until(() => part(first, 'more-button').querySelector('.badge'), 'the unread count');
    expect(await violations(first)).to.deep.equal([]);
    const arrived = nextEvent(first, 'file-received');
    await second.sendFile(new Blob(['a small file']), 'notes.txt');
    await arrived;
    first.setAttribute('max-file-size', '1');
    await first.updateComplete;
    const refused = nextEvent(second, 'file-error');
    await second.sendFile(new Blob(['too big']), 'big.txt');
    await refused;
    part(first, 'chat-button').click();
    await until(() => part(first, 'chat')?.querySelector('a[download]'), 'the download link');
    expect(await violations(first)).to.deep.equal([]);
    expect(await violations(second)).to.deep.equal([]);
  });

  it('on a phone (360 px wide) the chat covers the video, not beside it, and its button stays in reach', async () => {
    const { first } = await connectPair(relay.url, {}, 'a11y');
    // The bar laid out for the new width: chat then fits in it.
    await resizeTo(first, 360);
    part(first, 'chat-button').click();
    await until(() => part(first, 'chat'), 'the chat open');
    const box = first.getBoundingClientRect();
    const chat = part(first, 'chat').getBoundingClientRect();
    const video = part(first, 'remote-video').getBoundingClientRect();
    expect([Math.round(chat.left), Math.round(chat.right)], 'as wide as the element').to.deep.equal([
      Math.round(box.left),
      Math.round(box.right),
    ]);
    expect(chat.top < video.bottom && chat.bottom > video.top, 'over the video').to.equal(true);
    expect(box.width, 'the element no wider than the phone').to.equal(360);
    const button = part(first, 'chat-button');
    const { left, top, width, height } = button.getBoundingClientRect();
    // What is under the button's middle is its icon, inside it (compared as a boolean: chai
    // describing two elements that differ can take forever).
    const hit = first.shadowRoot!.elementFromPoint(left + width / 2, top + height / 2);
    expect(hit?.closest('button') === button, 'the chat button on top, to close it').to.equal(true);
    expect(await violations(first)).to.deep.equal([]);
  });

  it('connected and muted, with the "more" menu open, and with the call bar hidden', async () => {
    const { first } = await connectPair(relay.url, {}, 'a11y');
    first.muted = true;
    await until(() => part(first, 'muted-mark'), 'the muted mark');
    part(first, 'more-button').click();
    await until(() => !part(first, 'more-menu').hidden, 'the more menu open');
    expect(await violations(first)).to.deep.equal([]);
    // Closed (the focus goes back to "more"), then the focus elsewhere: nothing keeps the bar up.
    await first._toggleMore(false);
    (first.shadowRoot!.activeElement as HTMLElement | null)?.blur();
    await until(() => part(first, 'controls').classList.contains('away'), 'the bar hidden without activity', 8000);
    expect(await violations(first)).to.deep.equal([]);
  });

  it('reconnecting (the relay gone)', async () => {
    const own = await startRelay();
    try {
      const el = addCall(newRoom('a11y'), own.url);
      await until(() => el.state === 'waiting', 'waiting');
      await killRelay(own);
      await until(() => el.state === 'reconnecting', 'reconnecting');
      expect(await violations(el)).to.deep.equal([]);
    } finally {
      await stopRelay(own);
    }
  });

  it('sharing the screen, on both sides (Chromium: Firefox cannot share a fake screen)', async function () {
    if (navigator.userAgent.includes('Firefox')) this.skip();
    const { first, second } = await connectPair(relay.url, {}, 'a11y');
    const shared = nextEvent(second, 'remote-media-change');
    await first.shareScreen();
    expect(first.screenSharing).to.equal(true);
    await shared;
    expect(await violations(first)).to.deep.equal([]);
    expect(await violations(second)).to.deep.equal([]);
  });

  it('failed (camera denied), and ended', async () => {
    const restore = refuseMedia('NotAllowedError', { message: 'denied' });
    try {
      const el = addCall(newRoom('a11y'), relay.url, { manual: '' });
      const failed = nextEvent(el, 'call-error');
      await el.start();
      await failed;
      expect(el.state).to.equal('failed');
      expect(await violations(el)).to.deep.equal([]);
    } finally {
      restore();
    }
    const el = addCall(newRoom('a11y'), relay.url);
    await until(() => el.state === 'waiting', 'waiting');
    el.hangUp();
    expect(el.state).to.equal('ended');
    expect(await violations(el)).to.deep.equal([]);
  });
});

describe('keyboard', () => {
  /** Presses Tab until `name` has the focus (bounded), as a keyboard user gets there. */
  async function tabTo(el: P2PVideoCall, name: string): Promise<HTMLElement> {
    const target = part(el, name);
    for (let i = 0; i < 30 && el.shadowRoot!.activeElement !== target; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement, `${name} reached with Tab`).to.equal(target);
    return target;
  }

  it('works every control of a call from the keyboard, with a visible focus ring and aria-pressed', async function () {
    // The test runner's key presses hang in Firefox over WebDriver BiDi (Tab works, Enter never
    // returns): the keyboard run is Chromium's until that is sorted out.
    if (navigator.userAgent.includes('Firefox')) this.skip();
    const { first, second } = await connectPair(relay.url, {}, 'keys');
    (document.activeElement as HTMLElement | null)?.blur();
    const mute = await tabTo(first, 'mute-button');
    expect(getComputedStyle(mute).outlineStyle, 'focus ring').to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await until(() => first.muted, 'muted with Enter');
    expect(mute.getAttribute('aria-pressed')).to.equal('true');
    const camera = await tabTo(first, 'camera-button');
    await sendKeys({ press: 'Enter' });
    await until(() => first.cameraOff, 'camera off with Enter');
    expect(camera.getAttribute('aria-pressed')).to.equal('true');
    // 240 px wide: settings is in the "more" menu.
    await tabTo(first, 'more-button');
    await sendKeys({ press: 'Enter' });
    await until(() => !part(first, 'more-menu').hidden, 'the more menu opened with Enter');
    const settings = await tabTo(first, 'settings-button');
    await sendKeys({ press: 'Enter' });
    await until(() => settings.getAttribute('aria-expanded') === 'true', 'device menu opened with Enter');
    expect(part(first, 'device-menu').hidden).to.equal(false);
    await tabTo(first, 'hangup-button');
    const ended = nextEvent(second, 'peer-left');
    await sendKeys({ press: 'Enter' });
    await ended;
    expect(first.state).to.equal('ended');
  });
});
