// Messages, chat and files between two elements, peer to peer on the call's data channel:
// real relay, real peer connections, in Chromium and in Firefox (each with itself; Chromium ↔
// Firefox is test/e2e/data-channel.test.ts).
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { FileErrorEvent, FileProgressEvent, FileReceivedEvent, PeerMessageEvent } from '../src/call/events.js';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import { CallData } from '../src/data/call-data.js';
import { addCall, connectPair, newRoom, part } from './helpers/calls.js';
import { killRelay, reviveRelay, startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { liveIntervals } from './helpers/timers.js';
import { watchUncaught } from './helpers/uncaught.js';
import { nextEvent, until } from './helpers/wait.js';

let relay: RelayHandle;
before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));
afterEach(() => document.querySelectorAll('p2p-video-call').forEach((el) => el.remove()));

/** Every `peer-message` `el` gets from now on. */
function messages(el: P2PVideoCall): unknown[] {
  const got: unknown[] = [];
  el.addEventListener('peer-message', (e: PeerMessageEvent) => got.push(e.detail.data));
  return got;
}

/** `size` random bytes. */
function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return bytes;
}

const sha256 = async (blob: Blob) => new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())).join(',');

/** The `file-progress` and `file-error` events `el` fires from now on. */
function fileEvents(el: P2PVideoCall) {
  const progress: Array<FileProgressEvent['detail']> = [];
  const errors: Array<FileErrorEvent['detail']> = [];
  el.addEventListener('file-progress', (e) => progress.push(e.detail));
  el.addEventListener('file-error', (e) => errors.push(e.detail));
  return { progress, errors };
}

describe('<p2p-video-call> app messages', () => {
  it('delivers 200 send() calls in order, once, both ways', async () => {
    const { first, second } = await connectPair(relay.url);
    const atSecond = messages(second);
    const atFirst = messages(first);
    for (let i = 0; i < 200; i++) first.send({ i, text: `message ${i}` });
    for (let i = 0; i < 200; i++) second.send(i);
    await until(() => atSecond.length >= 200 && atFirst.length >= 200, 'all 400 messages');
    expect(atSecond).to.deep.equal(Array.from({ length: 200 }, (_, i) => ({ i, text: `message ${i}` })));
    expect(atFirst).to.deep.equal(Array.from({ length: 200 }, (_, i) => i));
  });

  it('throws TypeError for what is not JSON and RangeError above 64 KiB, and sends nothing then', async () => {
    const { first, second } = await connectPair(relay.url);
    const atSecond = messages(second);
    expect(() => first.send(() => 1)).to.throw(TypeError);
    expect(() => first.send(undefined)).to.throw(TypeError);
    expect(() => first.send(1n)).to.throw(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => first.send(cyclic)).to.throw(TypeError);
    expect(() => first.send('x'.repeat(70 * 1024))).to.throw(RangeError);
    // 64 KiB in UTF-8 bytes, not characters: 30,000 three-byte characters are 90 KB.
    expect(() => first.send('€'.repeat(30_000))).to.throw(RangeError);
    const biggest = 'x'.repeat(65_536 - 2); // with its quotes, exactly 64 KiB
    first.send(biggest);
    first.send('after');
    await until(() => atSecond.length === 2, 'the two messages that were sent');
    expect(atSecond).to.deep.equal([biggest, 'after']);
  });

  it('keeps what is sent before the call is up and delivers it once, in order, after it', async () => {
    const room = newRoom('early');
    const first = addCall(room, relay.url, { name: 'First' });
    first.send('sent while idle');
    await until(() => first.state === 'waiting', 'waiting');
    first.send({ n: 2 });
    const second = addCall(room, relay.url, { name: 'Second' });
    const atSecond = messages(second);
    await nextEvent(second, 'call-connected', 20_000);
    await until(() => atSecond.length >= 2, 'the early messages');
    first.send('after');
    await until(() => atSecond.length >= 3, 'the message after');
    expect(atSecond).to.deep.equal(['sent while idle', { n: 2 }, 'after']);
  });

  it('still carries messages and chat both ways while the relay is down', async () => {
    const { first, second } = await connectPair(relay.url);
    const atSecond = messages(second);
    const atFirst = messages(first);
    const lines: string[] = [];
    first.addEventListener('chat-message', (e) => lines.push(`${e.detail.from}: ${e.detail.text}`));
    const lost = nextEvent(first, 'call-reconnecting', 10_000, (e) => e.detail.reason === 'signaling-lost');
    await killRelay(relay);
    try {
      await lost;
      first.send('relay down');
      second.send('still here');
      await until(() => atSecond.includes('relay down') && atFirst.includes('still here'), 'messages with the relay down');
      await second.updateComplete;
      part(second, 'chat-button').click();
      await until(() => part(second, 'chat-input'), 'the chat input');
      part(second, 'chat-input').focus();
      await sendKeys({ type: 'no relay needed' });
      await sendKeys({ press: 'Enter' });
      await until(() => lines.includes('remote: no relay needed'), 'the chat line with the relay down');
    } finally {
      relay = await reviveRelay(relay);
    }
  });
});

describe('<p2p-video-call> chat', () => {
  it('sends a line typed with the keyboard (Enter), shows it as text on the other side, and counts it unread there', async () => {
    const { first, second } = await connectPair(relay.url);
    const received = nextEvent(second, 'chat-message');
    const sent = nextEvent(first, 'chat-message');
    part(first, 'chat-button').click();
    await until(() => first.shadowRoot!.activeElement === part(first, 'chat-input'), 'the focus in the chat input');
    const line = '<img src=x onerror="window.pwned=1"> hi';
    await sendKeys({ type: line });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'second line' });
    await sendKeys({ press: 'Enter' });
    const { detail } = await received;
    expect(detail).to.include({ text: `${line}\nsecond line`, from: 'remote', name: 'First' });
    expect((await sent).detail).to.include({ text: `${line}\nsecond line`, from: 'local', name: 'First' });
    expect(Math.abs(detail.at - Date.now())).to.be.below(10_000);
    expect(part<HTMLTextAreaElement>(first, 'chat-input').value).to.equal('');
    // Unread on the other side, in the button's name; read once the chat opens there.
    // The chat renders once a frame at most: the count shows by the next one.
    const unread = () => part(second, 'chat-button').textContent.replace(/\s+/g, ' ').trim();
    await until(() => unread() !== 'Chat', 'the unread count');
    expect(unread()).to.equal('Chat 1 unread');
    part(second, 'chat-button').click();
    await second.updateComplete;
    expect(part(second, 'chat-button').textContent.trim()).to.equal('Chat');
    const shown = part(second, 'chat').querySelector('li:last-child')!;
    expect(shown.textContent).to.contain(line);
    expect(shown.textContent).to.contain('First');
    expect(part(second, 'chat').querySelector('img')).to.equal(null);
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    // Escape closes it, and the focus goes back to its button: 240 px wide, that is in the
    // closed "more" menu, so to "more" (call-bar.test.ts has the bar wide enough for it).
    part(second, 'chat-input').focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !part(second, 'chat'), 'the chat closed');
    expect(second.shadowRoot!.activeElement === part(second, 'more-button'), 'the focus on "more"').to.equal(true);
  });

  it('has no chat button or panel with no-chat, and messages still go', async () => {
    const { first, second } = await connectPair(relay.url, { 'no-chat': '' });
    expect(part(first, 'chat-button')).to.equal(null);
    const atSecond = messages(second);
    first.send('hello');
    await until(() => atSecond.length === 1, 'the message');
    first.noChat = false;
    await first.updateComplete;
    expect(part(first, 'chat-button')).to.not.equal(null);
  });
});

describe('<p2p-video-call> files', () => {
  it('sends 20 MiB of random bytes with increasing progress, and the other side gets the same bytes as a File', async () => {
    const { first, second } = await connectPair(relay.url);
    // Over 16 MiB: the receiver moves what it has into a Blob on the way.
    const MiB20 = 20 << 20;
    const bytes = randomBytes(MiB20);
    const sending = fileEvents(first);
    const receiving = fileEvents(second);
    const arrived = nextEvent(second, 'file-received', 30_000);
    await first.sendFile(new Blob([bytes], { type: 'application/octet-stream' }), 'random.bin');
    const { detail } = await arrived;
    expect(detail).to.include({ name: 'random.bin', size: MiB20, type: 'application/octet-stream' });
    expect(detail.file).to.be.instanceOf(File);
    expect(await sha256(detail.file)).to.equal(await sha256(new Blob([bytes])));
    for (const { progress } of [sending, receiving]) {
      const counts = progress.map((p) => p.bytes);
      expect(counts.length).to.be.above(2);
      expect(counts[0]).to.equal(0);
      expect(counts.at(-1)).to.equal(MiB20);
      expect(counts.every((b, i) => i === 0 || b >= counts[i - 1])).to.equal(true, counts.join(' '));
      expect(progress.every((p) => p.id === detail.id && p.size === MiB20)).to.equal(true);
    }
    expect(sending.progress[0].direction).to.equal('send');
    expect(receiving.progress[0].direction).to.equal('receive');
    expect(sending.errors.concat(receiving.errors)).to.deep.equal([]);
    // The chat shows a download link to it (opened by nobody).
    part(second, 'chat-button').click();
    await second.updateComplete;
    const link = part(second, 'chat').querySelector('a[download]')!;
    expect(link.getAttribute('download')).to.equal('random.bin');
    expect(link.getAttribute('href')).to.match(/^blob:/);
    // The sender's chat: the file went, there is nothing to cancel.
    part(first, 'chat-button').click();
    await until(() => part(first, 'chat'), 'the sender’s chat');
    expect(part(first, 'chat').querySelector('li')!.textContent).to.contain('random.bin');
    expect(part(first, 'chat').querySelector('li button')).to.equal(null);
  });

  it('sends a name over 255 characters shortened to 255, not refused', async () => {
    const { first, second } = await connectPair(relay.url);
    const arrived = nextEvent(second, 'file-received');
    await first.sendFile(new Blob(['x'], { type: `text/${'p'.repeat(300)}` }), 'n'.repeat(300));
    const { detail } = await arrived;
    expect([detail.name, detail.type.length]).to.deep.equal(['n'.repeat(255), 255]);
  });

  it('refuses a file over max-file-size on both sides before any byte moves', async () => {
    const { first, second } = await connectPair(relay.url, { 'max-file-size': '1000' });
    const sending = fileEvents(first);
    const receiving = fileEvents(second);
    await first.sendFile(new Blob([randomBytes(1001)]), 'big.bin');
    await until(() => receiving.errors.length, 'the refusal on the receiving side');
    expect(sending.errors.map((e) => [e.code, e.direction, e.name])).to.deep.equal([['too-large', 'send', 'big.bin']]);
    expect(receiving.errors.map((e) => [e.code, e.direction, e.name])).to.deep.equal([['too-large', 'receive', 'big.bin']]);
    expect(sending.progress.map((p) => p.bytes)).to.deep.equal([0]);
    expect(receiving.progress.map((p) => p.bytes)).to.deep.equal([0]);
    // One at the limit goes.
    const arrived = nextEvent(second, 'file-received');
    await first.sendFile(new Blob([randomBytes(1000)]), 'fits.bin');
    expect((await arrived).detail.size).to.equal(1000);
    // Without the attribute (or with one that is not a number) the 100 MiB default applies.
    for (const value of [null, 'lots']) {
      if (value === null) second.removeAttribute('max-file-size');
      else second.setAttribute('max-file-size', value);
      await second.updateComplete;
      const again = nextEvent(second, 'file-received');
      await first.sendFile(new Blob([randomBytes(1001)]), 'default.bin');
      expect((await again).detail.size).to.equal(1001);
    }
  });

  for (const side of ['sender', 'receiver'] as const) {
    it(`cancels mid-transfer from the ${side}: cancelled on both sides, and nothing arrives`, async () => {
      const { first, second } = await connectPair(relay.url);
      const sending = fileEvents(first);
      const receiving = fileEvents(second);
      let received = false;
      second.addEventListener('file-received', () => (received = true));
      const done = first.sendFile(new Blob([randomBytes(64 << 20)]), 'huge.bin');
      await until(() => receiving.progress.some((p) => p.bytes > 0), 'some bytes received');
      const cancelling = side === 'sender' ? first : second;
      await cancelling.updateComplete;
      part(cancelling, 'chat-button').click();
      await cancelling.updateComplete;
      // Under way: its progress, named for the file, and Cancel.
      const bar = part(cancelling, 'chat').querySelector('progress')!;
      expect([bar.max, bar.getAttribute('aria-label')]).to.deep.equal([64 << 20, 'huge.bin']);
      const cancel = [...part(cancelling, 'chat').querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel')!;
      cancel.click();
      await done;
      await until(() => receiving.errors.length && sending.errors.length, 'cancelled on both sides');
      expect(sending.errors.map((e) => e.code)).to.deep.equal(['cancelled']);
      expect(receiving.errors.map((e) => e.code)).to.deep.equal(['cancelled']);
      expect(received).to.equal(false);
      await until(() => part(cancelling, 'chat').textContent.includes('Cancelled'), 'Cancelled in the chat');
      // The call goes on, and the channel with it.
      const atSecond = messages(second);
      first.send('still connected');
      await until(() => atSecond.length, 'a message after the cancel');
    });
  }

  it('interrupts a transfer when the call ends, resolving sendFile, and keeps no timer or buffer', async () => {
    const intervals = liveIntervals();
    const watch = watchUncaught();
    const { first, second } = await connectPair(relay.url);
    const sending = fileEvents(first);
    const receiving = fileEvents(second);
    const done = first.sendFile(new Blob([randomBytes(64 << 20)]), 'huge.bin');
    await until(() => receiving.progress.some((p) => p.bytes > 0), 'some bytes received');
    first.hangUp();
    await done;
    await until(() => receiving.errors.length, 'the receiving side interrupted');
    expect(sending.errors.map((e) => [e.code, e.direction])).to.deep.equal([['interrupted', 'send']]);
    expect(receiving.errors.map((e) => [e.code, e.direction])).to.deep.equal([['interrupted', 'receive']]);
    for (const el of [first, second]) {
      part(el, 'chat-button').click();
      await el.updateComplete;
    }
    expect(part(first, 'chat').textContent).to.contain('Interrupted');
    expect(part(second, 'chat').textContent).to.contain('Interrupted');
    first.remove();
    second.remove();
    expect(liveIntervals()).to.equal(intervals);
    watch.stop();
    expect(watch.seen).to.deep.equal([]);
  });
});

describe('CallData', () => {
  /** Two CallData on the negotiated channels of two peer connections in this page. */
  async function pair() {
    const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
    // Whole descriptions, candidates in them: no trickle to order.
    const gathered = (pc: RTCPeerConnection) =>
      until(() => (pc.iceGatheringState === 'complete' ? pc.localDescription : null), 'ICE gathering complete');
    const events: Event[] = [];
    /** Listeners of every event either side fires, as a page's would be. */
    const listeners: Array<(e: Event) => void> = [];
    const make = (pc: RTCPeerConnection) => {
      const data = new CallData(
        (e) => {
          events.push(e);
          listeners.forEach((listener) => listener(e));
        },
        () => undefined,
        () => 'Peer',
      );
      data.use(pc.createDataChannel('p2p-video-call', { negotiated: true, id: 0 }));
      return data;
    };
    const [sender, receiver] = [make(a), make(b)];
    await a.setLocalDescription();
    await b.setRemoteDescription(await gathered(a));
    await b.setLocalDescription();
    await a.setRemoteDescription(await gathered(b));
    return { a, b, sender, receiver, events, listeners };
  }

  it('keeps a file intact when a file-progress listener sends a message each time, and lets go of what it sent', async () => {
    const { a, b, sender, receiver, events, listeners } = await pair();
    try {
      listeners.push((e) => {
        const { detail } = e as FileProgressEvent;
        if (e.type === 'file-progress' && detail.direction === 'send') sender.send({ progress: detail.bytes });
      });
      const bytes = randomBytes(64 << 20);
      await sender.files.send(new Blob([bytes]), 'c.bin');
      await sender.files.send(new Blob([]), 'empty.bin');
      const received = events.filter((e): e is FileReceivedEvent => e.type === 'file-received');
      expect(received.map((e) => [e.detail.name, e.detail.size])).to.deep.equal([
        ['c.bin', 64 << 20],
        ['empty.bin', 0],
      ]);
      expect(await sha256(received[0].detail.file)).to.equal(await sha256(new Blob([bytes])));
      expect(events.filter((e) => e.type === 'peer-message').length).to.be.above(2);
      // Done: the sender holds neither file.
      expect(sender.chat.items.map((item) => (item as unknown as { file?: Blob }).file)).to.deep.equal([undefined, undefined]);
    } finally {
      a.close();
      b.close();
      receiver.end();
    }
  });

  it('ends when a file-error listener sends another file each time (no loop)', async () => {
    const { a, b, sender, receiver, events, listeners } = await pair();
    try {
      let again = 0;
      listeners.push((e) => {
        if (e.type === 'file-error' && (e as FileErrorEvent).detail.direction === 'send' && again++ < 100) {
          void sender.files.send(new Blob([randomBytes(1 << 20)]), 'again.bin');
        }
      });
      const sending = sender.files.send(new Blob([randomBytes(64 << 20)]), 'big.bin');
      await until(() => events.some((e) => e.type === 'file-progress' && (e as FileProgressEvent).detail.bytes > 0), 'under way');
      sender.end();
      await sending;
      // big.bin when the channel closed, then its retry when the call ended; that one's retry
      // waits for a next call. Without a bound this was a loop that froze the page.
      expect(again).to.equal(2);
    } finally {
      a.close();
      b.close();
      receiver.end();
    }
  });

  it('keeps no file bytes once a transfer is interrupted, and none once one is done', async () => {
    const { a, b, sender, receiver, events } = await pair();
    try {
      const first = sender.files.send(new Blob([randomBytes(8 << 20)]), 'a.bin');
      await first;
      expect(events.filter((e) => e.type === 'file-received')).to.have.length(1);
      const second = sender.files.send(new Blob([randomBytes(64 << 20)]), 'b.bin');
      await until(
        () =>
          events.some(
            (e) =>
              e.type === 'file-progress' &&
              (e as FileProgressEvent).detail.bytes > 0 &&
              (e as FileProgressEvent).detail.direction === 'receive' &&
              (e as FileProgressEvent).detail.name === 'b.bin',
          ),
        'b.bin under way',
      );
      sender.end();
      receiver.end();
      await second;
      const codes = events.filter((e): e is FileErrorEvent => e.type === 'file-error').map((e) => [e.detail.direction, e.detail.code]);
      expect(codes).to.deep.equal([
        ['send', 'interrupted'],
        ['receive', 'interrupted'],
      ]);
      interface Held {
        parts: unknown[];
        slice?: Uint8Array;
      }
      for (const item of [...sender.chat.items, ...receiver.chat.items] as unknown as Held[]) {
        expect(item.parts).to.have.length(0);
        expect(item.slice).to.equal(undefined);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
