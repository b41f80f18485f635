// <p2p-video-call> on its own: attributes, states, events, failures, release of media.
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import type { CallErrorEvent, CallStateChangeEvent, MediaErrorEvent } from '../src/call/events.js';
import { startRelay, stopRelay, type RelayHandle } from './helpers/relay.js';
import { remoteVideo } from './helpers/calls.js';
import { permissionsSay, refuseMedia, stubMedia } from './helpers/media-stub.js';
import { framesPresented, nextEvent, until } from './helpers/wait.js';

let relay: RelayHandle;
let room = 0;
const newRoom = () => `element-${Date.now().toString(36)}-${++room}`;
const part = (el: P2PVideoCall, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const statusOf = (el: P2PVideoCall) => part(el, 'status').textContent.trim();

before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));

describe('<p2p-video-call>', () => {
  it('reflects its attributes as camelCase properties and does nothing while manual', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call manual room="r1" name="Ada" muted camera-off signaling=${relay.url}></p2p-video-call>
    `);
    expect(el.room).to.equal('r1');
    expect(el.name).to.equal('Ada');
    expect(el.muted).to.equal(true);
    expect(el.cameraOff).to.equal(true);
    expect(el.manual).to.equal(true);
    expect(el.state).to.equal('idle');
    expect(el.localStream).to.equal(null);
    expect(el.peer).to.equal(null);
    expect(statusOf(el)).to.equal('Ready to start the call.');
    for (const name of ['local-video', 'remote-video', 'status', 'controls', 'mute-button', 'camera-button', 'hangup-button']) {
      expect(part(el, name), name).to.exist;
    }
    expect(part(el, 'status').getAttribute('role')).to.equal('status');
  });

  it('goes requesting-media → joining → waiting when the browser asks for the camera, with media-ready and a muted local preview', async () => {
    const restore = permissionsSay('prompt');
    const el = document.createElement('p2p-video-call');
    el.signaling = relay.url;
    el.manual = true;
    el.room = newRoom();
    const states: string[] = [];
    el.addEventListener('call-state-change', (e: CallStateChangeEvent) => states.push(e.detail.state));
    document.body.append(el);
    try {
      const mediaReady = nextEvent(el, 'media-ready');
      await el.start();
      expect((await mediaReady).detail.stream).to.equal(el.localStream);
      await until(() => el.state === 'waiting', 'state waiting');
      expect(states).to.deep.equal(['requesting-media', 'joining', 'waiting']);
      expect(statusOf(el)).to.equal('Waiting for someone to join…');
      const preview = part(el, 'local-video') as HTMLVideoElement;
      expect(preview.muted).to.equal(true);
      expect(preview.srcObject).to.equal(el.localStream);
      expect(preview.hasAttribute('playsinline')).to.equal(true);
      expect(el.matches(':state(waiting)')).to.equal(true);
    } finally {
      restore();
      el.remove();
    }
  });

  it('joins while the camera opens when it was allowed before (joining → waiting), and then sends it', async () => {
    const restore = permissionsSay('granted');
    const room = newRoom();
    const first = document.createElement('p2p-video-call');
    Object.assign(first, { signaling: relay.url, manual: true, room });
    const states: string[] = [];
    first.addEventListener('call-state-change', (e: CallStateChangeEvent) => states.push(e.detail.state));
    document.body.append(first);
    let second: P2PVideoCall | undefined;
    try {
      const mediaReady = nextEvent(first, 'media-ready');
      await first.start();
      await until(() => first.state === 'waiting', 'state waiting');
      expect(states).to.deep.equal(['joining', 'waiting']);
      expect((await mediaReady).detail.stream).to.equal(first.localStream);
      // What it sends once the camera is open reaches the other side.
      second = await fixture<P2PVideoCall>(html`<p2p-video-call room=${room} signaling=${relay.url}></p2p-video-call>`);
      await nextEvent(second, 'call-connected');
      expect(first.localStream).to.not.equal(null, 'the camera is open by call-connected');
      await framesPresented(remoteVideo(second), 5);
      await framesPresented(remoteVideo(first), 5);
    } finally {
      restore();
      first.remove();
      second?.remove();
    }
  });

  it('starts by itself when connected with a room, and toggles mute and camera on the tracks', async () => {
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call room=${newRoom()} signaling=${relay.url}></p2p-video-call>`);
    try {
      await until(() => el.state === 'waiting', 'state waiting');
      const audio = el.localStream!.getAudioTracks()[0];
      const video = el.localStream!.getVideoTracks()[0];
      part(el, 'mute-button').click();
      await el.updateComplete;
      expect(el.hasAttribute('muted')).to.equal(true);
      expect(audio.enabled).to.equal(false);
      expect(part(el, 'mute-button').getAttribute('aria-pressed')).to.equal('true');
      el.setAttribute('camera-off', '');
      await el.updateComplete;
      expect(video.enabled).to.equal(false);
      el.muted = false;
      await el.updateComplete;
      expect(audio.enabled).to.equal(true);
    } finally {
      el.remove();
    }
  });

  it('stops every local track and closes the connection on hang-up', async () => {
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call room=${newRoom()} signaling=${relay.url}></p2p-video-call>`);
    await until(() => el.state === 'waiting', 'state waiting');
    const tracks = el.localStream!.getTracks();
    expect(tracks).to.have.length(2);
    const ended = nextEvent(el, 'call-ended');
    part(el, 'hangup-button').click();
    expect((await ended).detail).to.deep.equal({ reason: 'hangup' });
    expect(tracks.map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
    expect(el.state).to.equal('ended');
    expect(el.localStream).to.equal(null);
    await el.updateComplete;
    expect(statusOf(el)).to.equal('Call ended.');
    el.remove();
  });

  it('releases the camera when the element is removed from the page', async () => {
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call room=${newRoom()} signaling=${relay.url}></p2p-video-call>`);
    await until(() => el.state === 'waiting', 'state waiting');
    const tracks = el.localStream!.getTracks();
    el.remove();
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('reports a denied permission as media-error and call-error media-denied, with a readable status and a retry', async () => {
    const restore = refuseMedia('NotAllowedError');
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call manual room=${newRoom()} signaling=${relay.url}></p2p-video-call>`);
    try {
      const mediaError = nextEvent<MediaErrorEvent>(el, 'media-error');
      const callError = nextEvent<CallErrorEvent>(el, 'call-error');
      await el.start();
      expect((await mediaError).detail.name).to.equal('NotAllowedError');
      expect((await callError).detail.code).to.equal('media-denied');
      expect(el.state).to.equal('failed');
      await el.updateComplete;
      expect(statusOf(el)).to.match(/blocked.*Allow it/);
      const retry = part(el, 'start-button') as HTMLButtonElement;
      expect(retry.textContent.trim()).to.equal('Try again');
      restore();
      retry.click();
      await until(() => el.state === 'waiting', 'waiting after retry');
    } finally {
      restore();
      el.remove();
    }
  });

  it('reports missing devices as media-error NotFoundError and joins receive-only, without a call-error', async () => {
    const restore = refuseMedia('NotFoundError');
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call manual room=${newRoom()} signaling=${relay.url}></p2p-video-call>`);
    const errors: string[] = [];
    el.addEventListener('call-error', (e) => errors.push(e.detail.code));
    try {
      const mediaError = nextEvent<MediaErrorEvent>(el, 'media-error');
      await el.start();
      expect((await mediaError).detail.name).to.equal('NotFoundError');
      await until(() => el.state === 'waiting', 'waiting, receive-only');
      expect(el.localStream!.getTracks()).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
    } finally {
      restore();
      el.remove();
    }
  });

  it('reports bad ice-servers JSON as call-error invalid-ice-servers before asking for the camera', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call manual room=${newRoom()} signaling=${relay.url} ice-servers="[{urls: nope}"></p2p-video-call>
    `);
    const error = nextEvent<CallErrorEvent>(el, 'call-error');
    await el.start();
    expect((await error).detail.code).to.equal('invalid-ice-servers');
    expect(el.state).to.equal('failed');
    expect(el.localStream).to.equal(null);
  });

  for (const [limit, code, status] of [
    [{ joinsPerAddressPerMinute: 1 }, 'rate-limited', 'Too many calls were started from your network. Wait a minute, then try again.'],
    [{ connectionsPerAddress: 1 }, 'too-many-connections', 'Too many calls are open from your network. Close some, then try again.'],
    [{ connectionsPerNode: 1 }, 'server-busy', 'The call server is busy. Try again in a few minutes.'],
  ] as const) {
    it(`says in words that the relay refused it (${code}), with call-error ${code}`, async () => {
      const limited = await startRelay({ limits: limit });
      try {
        const first = await fixture<P2PVideoCall>(html`<p2p-video-call room=${newRoom()} signaling=${limited.url}></p2p-video-call>`);
        await until(() => first.state === 'waiting', 'the first call waiting');
        const second = await fixture<P2PVideoCall>(
          html`<p2p-video-call manual room=${newRoom()} signaling=${limited.url}></p2p-video-call>`,
        );
        const error = nextEvent<CallErrorEvent>(second, 'call-error');
        void second.start();
        expect((await error).detail.code).to.equal(code);
        await second.updateComplete;
        expect(second.state).to.equal('failed');
        expect(statusOf(second)).to.equal(status);
        expect(second.localStream, 'media released').to.equal(null);
        expect(first.state, 'the other call goes on').to.equal('waiting');
      } finally {
        await stopRelay(limited);
      }
    });
  }

  it('reports a TURN server without credentials in ice-servers as call-error invalid-ice-servers', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call manual room=${newRoom()} signaling=${relay.url} ice-servers='[{"urls":"turn:127.0.0.1:3478"}]'></p2p-video-call>
    `);
    const error = nextEvent<CallErrorEvent>(el, 'call-error');
    await el.start();
    const { detail } = await error;
    expect(detail.code).to.equal('invalid-ice-servers');
    // The page's developer reads what is wrong; the visitor reads that the page is at fault.
    expect(detail.message).to.match(/username/);
    await el.updateComplete;
    expect(statusOf(el)).to.equal('This page’s call settings are not valid, so the call cannot start.');
  });

  it('accepts a TURN server with credentials in ice-servers', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call
        manual
        room=${newRoom()}
        signaling=${relay.url}
        ice-servers='[{"urls":"turn:127.0.0.1:3478","username":"u","credential":"c"}]'
      ></p2p-video-call>
    `);
    await el.start();
    await until(() => el.state === 'waiting', 'state waiting');
    expect(el.state).to.equal('waiting');
  });

  it('reports an unreachable relay as call-error signaling-unreachable and releases the camera', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call manual room=${newRoom()} signaling="http://127.0.0.1:9"></p2p-video-call>
    `);
    // Watches (does not replace) getUserMedia: the camera may open after the failure.
    const opened: MediaStream[] = [];
    const restore = stubMedia('getUserMedia', async (constraints, original) => {
      const stream = await original(constraints);
      opened.push(stream);
      return stream;
    });
    try {
      const error = nextEvent<CallErrorEvent>(el, 'call-error');
      await el.start();
      expect((await error).detail.code).to.equal('signaling-unreachable');
      expect(el.state).to.equal('failed');
      const released = () => opened.length > 0 && opened.every((s) => s.getTracks().every((t) => t.readyState === 'ended'));
      await until(released, 'the camera opened and released');
      expect(el.localStream).to.equal(null);
    } finally {
      restore();
    }
  });

  it('reports an invalid room name as call-error invalid-room', async () => {
    const el = await fixture<P2PVideoCall>(html`
      <p2p-video-call manual room="no spaces/allowed" signaling=${relay.url}></p2p-video-call>
    `);
    const error = nextEvent<CallErrorEvent>(el, 'call-error');
    await el.start();
    expect((await error).detail.code).to.equal('invalid-room');
    expect(el.localStream).to.equal(null);
  });

  it('throws at once when started without a room', async () => {
    const el = await fixture<P2PVideoCall>(html`<p2p-video-call manual></p2p-video-call>`);
    expect(() => el.start()).to.throw(/room/);
  });
});
