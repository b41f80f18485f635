// The call bar: icon buttons in one row, the ones that do not fit in a "more" menu, hiding
// during a call without activity, and the muted mark on your own picture. Through the real
// relay, in both browsers. Key presses are real in Chromium (the test runner's Enter hangs in
// Firefox over WebDriver BiDi; see accessibility.test.ts): Firefox gets the same events
// dispatched.
import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import { connectPair, part, resizeTo } from './helpers/calls.js';
import { startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { until } from './helpers/wait.js';

let relay: RelayHandle;
const isFirefox = navigator.userAgent.includes('Firefox');

before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));
afterEach(() => document.querySelectorAll('p2p-video-call').forEach((el) => el.remove()));

/** The parts of the buttons a person sees in the bar, in order. */
const barButtons = (el: P2PVideoCall) =>
  [...part(el, 'controls').querySelectorAll<HTMLButtonElement>('button')].filter((b) => !b.hidden).map((b) => b.getAttribute('part'));
const menuButtons = (el: P2PVideoCall) => [...part(el, 'more-menu').querySelectorAll('button')].map((b) => b.getAttribute('part'));
const focused = (el: P2PVideoCall) => el.shadowRoot!.activeElement?.getAttribute('part') ?? el.shadowRoot!.activeElement?.tagName ?? null;

/** A key, pressed for real in Chromium; in Firefox its keydown (and, for Enter, the click it makes). */
async function press(el: P2PVideoCall, key: 'Enter' | 'Escape') {
  if (!isFirefox) return sendKeys({ press: key });
  const target = el.shadowRoot!.activeElement as HTMLElement;
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  if (key === 'Enter') target.click();
}

describe('the call bar', () => {
  it('is one row at 320 px, icons named for screen readers, the rest in a "more" menu that works from the keyboard', async () => {
    const { first } = await connectPair(relay.url, {}, 'bar');
    await resizeTo(first, 320);
    const bar = barButtons(first);
    expect(bar.slice(0, 2)).to.deep.equal(['mute-button', 'camera-button']);
    expect(bar.slice(-2)).to.deep.equal(['more-button', 'hangup-button']);
    expect(bar.length).to.be.at.most(5);
    const tops = new Set([...part(first, 'controls').querySelectorAll<HTMLElement>('button:not([hidden])')].map((b) => b.offsetTop));
    expect(tops.size, 'one row').to.equal(1);
    expect(menuButtons(first)).to.include.members(['chat-button', 'settings-button']);
    // Each icon button is named by its text (hidden from sight) and says it as its tooltip.
    const mute = part(first, 'mute-button');
    expect([mute.textContent.trim(), mute.title]).to.deep.equal(['Mute', 'Mute']);
    expect(mute.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');

    const more = part<HTMLButtonElement>(first, 'more-button');
    const menu = part(first, 'more-menu');
    expect([menu.hidden, more.getAttribute('aria-expanded')]).to.deep.equal([true, 'false']);
    more.focus();
    await press(first, 'Enter');
    await until(() => !menu.hidden && menu.contains(first.shadowRoot!.activeElement), 'the menu open, the focus in it');
    expect(more.getAttribute('aria-expanded')).to.equal('true');
    // In the menu a button shows its name.
    const firstItem = menu.querySelector('button')!;
    expect(firstItem.querySelector('.sr')!.getBoundingClientRect().width).to.be.greaterThan(10);
    await press(first, 'Escape');
    await until(() => menu.hidden && focused(first) === 'more-button', 'Escape closed it, the focus back on "more"');

    // Settings chosen in the menu: the menu closes, the device menu opens with the focus in it;
    // when that one closes, the focus goes back to "more" (its own button is in the closed menu).
    more.click();
    await until(() => !menu.hidden, 'the menu open again');
    part<HTMLButtonElement>(first, 'settings-button').click();
    await until(() => menu.hidden && focused(first) === 'SELECT', 'the device menu open, the focus in it');
    await press(first, 'Escape');
    await until(() => part(first, 'device-menu').hidden && focused(first) === 'more-button', 'the focus back on "more"');
  });

  it('shuts the "more" menu on hang-up: the next call starts with it closed', async () => {
    const { first } = await connectPair(relay.url, {}, 'again');
    await resizeTo(first, 320);
    part(first, 'more-button').click();
    await until(() => !part(first, 'more-menu').hidden, 'the menu open');
    part(first, 'hangup-button').click();
    expect(first.state).to.equal('ended');
    await first.updateComplete;
    part(first, 'start-button').click(); // Call again
    await until(() => first.state === 'connected', 'connected again', 20_000);
    await first.updateComplete;
    expect(part(first, 'more-menu').hidden, 'the menu closed').to.equal(true);
    expect(part(first, 'more-button').getAttribute('aria-expanded')).to.equal('false');
  });

  it('holds every button without a "more" menu where they fit', async () => {
    const { first } = await connectPair(relay.url, {}, 'wide');
    await resizeTo(first, 640);
    expect(barButtons(first)).to.include.members(['mute-button', 'camera-button', 'chat-button', 'settings-button', 'hangup-button']);
    expect(barButtons(first)).not.to.include('more-button');
    expect(menuButtons(first)).to.deep.equal([]);
  });

  it('hides after a few seconds of a call without activity, and comes back on the pointer and on the keyboard', async () => {
    const { first } = await connectPair(relay.url, {}, 'hide');
    const controls = part(first, 'controls');
    const away = () => controls.classList.contains('away');
    await until(away, 'hidden without activity', 8000);
    expect(getComputedStyle(controls).pointerEvents, 'a tap there presses nothing').to.equal('none');
    const box = first.getBoundingClientRect();
    if (isFirefox) first.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
    else await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + 20)] });
    await until(() => !away(), 'back on the pointer');
    await until(away, 'hidden again', 8000);
    if (!isFirefox) await sendMouse({ type: 'move', position: [0, 0] }); // the pointer off the element
    part(first, 'mute-button').focus(); // where Tab would put it
    if (isFirefox) first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true }));
    else await sendKeys({ press: 'Tab' });
    await until(() => !away(), 'back on the keyboard');
    // Never while the focus is inside: still there after longer than the delay.
    await new Promise((resolve) => setTimeout(resolve, 5000)); // an observation window, not a wait for something
    expect(away(), 'the focus is inside').to.equal(false);
  });

  it('still hides after a click, which leaves the focus on the button clicked', async () => {
    const { first } = await connectPair(relay.url, {}, 'click');
    const controls = part(first, 'controls');
    const mute = part<HTMLButtonElement>(first, 'mute-button');
    const { x, y, width, height } = mute.getBoundingClientRect();
    if (isFirefox) {
      // What a click does: a press, the focus on the button, the click.
      mute.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      mute.focus();
      mute.click();
    } else {
      await sendMouse({ type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)] });
      await sendMouse({ type: 'move', position: [0, 0] });
    }
    await until(() => first.muted, 'muted by the click');
    expect(first.shadowRoot!.activeElement === mute, 'the focus on the button clicked').to.equal(true);
    await until(() => controls.classList.contains('away'), 'hidden without activity, the focus still there', 8000);
  });

  it('marks your own picture while you are muted', async () => {
    const { first } = await connectPair(relay.url, {}, 'mark');
    expect(part(first, 'muted-mark')).to.equal(null);
    first.muted = true;
    await first.updateComplete;
    const mark = part(first, 'muted-mark');
    expect(mark).to.exist;
    const own = part(first, 'local-video').getBoundingClientRect();
    const at = mark.getBoundingClientRect();
    expect(at.right <= own.right && at.bottom <= own.bottom && at.left >= own.left, 'on your own picture').to.equal(true);
    first.muted = false;
    await first.updateComplete;
    expect(part(first, 'muted-mark')).to.equal(null);
  });
});
