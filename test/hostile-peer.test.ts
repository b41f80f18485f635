// <p2p-video-call> against a hostile peer: a raw Socket.IO client joins its room through the
// real relay and sends what the relay's schema lets through, chosen by fast-check (fixed seed):
// a name with markup, absurd media states, descriptions out of order and with garbage SDP,
// garbage candidates, restart requests. The element must render the name as text, throw no
// uncaught error, and afterwards still be a working call: back to waiting when the stranger
// leaves, then connected with a real peer.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import '../src/index.js';
import type { CallErrorEvent } from '../src/call/events.js';
import type { JoinData, SignalRequest } from '../src/protocol.js';
import { addCall, newRoom, part } from './helpers/calls.js';
import { startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { nextEvent, until } from './helpers/wait.js';

let relay: RelayHandle;
before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));

const NAME = '<img src=x onerror="window.pwned=1"><b>Eve</b> & "friends"';

/** What a hostile peer may send: everything the relay's schema accepts, in any order. */
function hostileMessages(to: string, seed: number): Array<Omit<SignalRequest, 'to'> & { to: string }> {
  const sdp = fc.oneof(
    fc.constantFrom(
      '',
      'v=0',
      'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
      'a=fingerprint:sha-256 00',
    ),
    fc.string({ maxLength: 400 }),
  );
  const body = fc.oneof(
    fc.record({
      media: fc.record(
        { audio: fc.boolean(), video: fc.boolean(), screen: fc.option(fc.boolean(), { nil: undefined }) },
        { requiredKeys: ['audio', 'video'] },
      ),
    }),
    fc.record({ description: fc.record({ type: fc.constantFrom('offer', 'answer', 'pranswer', 'rollback'), sdp }) }),
    fc.record({
      candidate: fc.record({
        candidate: fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.constant('candidate:1 1 udp 1 127.0.0.1 9 typ host')),
        sdpMid: fc.option(fc.constantFrom('0', '1', '7', 'nope'), { nil: undefined }),
        sdpMLineIndex: fc.option(fc.nat({ max: 9 }), { nil: undefined }),
      }),
    }),
    fc.constant({ restart: true as const }),
  );
  return fc.sample(body, { seed, numRuns: 60 }).map((b) => ({ to, ...b }));
}

describe('<p2p-video-call> and a hostile peer', () => {
  it('renders its name as text, survives what it sends without an uncaught error, and then still calls a real peer', async () => {
    const uncaught: string[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(String(e.error ?? e.message));
    const onRejection = (e: PromiseRejectionEvent) => uncaught.push(String(e.reason));
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
    const room = newRoom('hostile');
    const el = addCall(room, relay.url, { name: 'Ada' });
    const errors: CallErrorEvent[] = [];
    el.addEventListener('call-error', (e) => errors.push(e));
    const stranger = io(relay.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    try {
      await until(() => el.state === 'waiting', 'waiting');
      const joined = (await stranger.emitWithAck('join', { room, name: NAME })) as { ok: boolean; data: JoinData };
      expect(joined.ok).to.equal(true);
      const elementId = joined.data.peers[0].peerId;

      // The name is text wherever it shows: the status, the video's name, the placeholder.
      await until(() => el.state === 'connecting', 'connecting to the stranger');
      stranger.emit('signal', { to: elementId, media: { audio: false, video: false } });
      await until(() => !!el.shadowRoot!.querySelector('[part="placeholder"]'), 'the placeholder for a camera that is off');
      expect(part(el, 'placeholder').textContent).to.contain(NAME);
      expect(part(el, 'status').textContent).to.contain(NAME);
      expect(part(el, 'remote-video').getAttribute('aria-label')).to.equal(`Video of ${NAME}`);
      expect(el.shadowRoot!.querySelector('img, b'), 'no markup from the name').to.equal(null);
      expect((window as unknown as { pwned?: number }).pwned).to.equal(undefined);

      // Then everything else the schema allows, in any order, twice over (two seeds).
      for (const seed of [1, 2]) {
        for (const message of hostileMessages(elementId, seed)) {
          const ack = (await stranger.emitWithAck('signal', message)) as { ok: boolean; error?: { code: string } };
          // Passed on; or the element is briefly away, or has given up on this peer and left.
          if (!ack.ok) expect(['peer-unavailable', 'unknown-peer', 'rate-limited']).to.include(ack.error!.code);
        }
      }
      // Whatever it made of that, the element is in a state of its contract: still trying, or
      // failed with a code and a readable status (a call with such a peer cannot work).
      expect(['connecting', 'connected', 'reconnecting', 'waiting', 'failed']).to.include(el.state);
      if (el.state === 'failed') {
        expect(errors.map((e) => e.detail.code)).to.satisfy((codes: string[]) =>
          codes.every((c) => ['negotiation-failed', 'ice-failed'].includes(c)),
        );
        expect(part(el, 'status').textContent.trim().length).to.be.greaterThan(10);
      }

      // The stranger goes; the element waits again (or is started again, as a person would press
      // "Try again"), and a real peer gets a real call.
      stranger.disconnect();
      if (el.state === 'failed') void el.start();
      await until(() => el.state === 'waiting', 'waiting again', 15_000);
      const connected = nextEvent(el, 'call-connected', 20_000);
      const friend = addCall(room, relay.url, { name: 'Grace' });
      await connected;
      await until(() => friend.state === 'connected', 'the friend connected');
      expect(uncaught, uncaught.join('\n')).to.deep.equal([]);
    } finally {
      stranger.disconnect();
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
      document.querySelectorAll('p2p-video-call').forEach((e) => e.remove());
    }
  });
});
