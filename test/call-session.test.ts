// Two CallSessions wired to each other through an in-memory channel, no relay: a unit test
// of the negotiation state machine on real RTCPeerConnections.
import { expect } from '@open-wc/testing';
import { CallSession, type SessionMessage } from '../src/session/call-session.js';
import { framesPresented, until } from './helpers/wait.js';

interface Pair {
  a: CallSession; // impolite
  b: CallSession; // polite
  close(): void;
}

let camera: MediaStream;

before(async () => {
  camera = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
});

after(() => camera.getTracks().forEach((t) => t.stop()));

/**
 * Two sessions, `a` impolite and `b` polite. Messages are delivered in order, asynchronously,
 * like a network would; `onSend` sees each one first.
 */
function wire(options: { politeOffersAtStart?: boolean; onSend?: (from: 'a' | 'b', message: SessionMessage) => void } = {}): Pair {
  const deliver = (from: 'a' | 'b', to: () => CallSession) => (message: SessionMessage) => {
    options.onSend?.(from, message);
    const copy = JSON.parse(JSON.stringify(message)) as SessionMessage;
    setTimeout(() => void to().receive(copy), 0);
  };
  const a: CallSession = new CallSession({ polite: false, localStream: camera.clone(), send: deliver('a', () => b) });
  const b: CallSession = new CallSession({ polite: true, localStream: camera.clone(), send: deliver('b', () => a) });
  // Both sides offer at the same moment: the glare that perfect negotiation must resolve.
  if (options.politeOffersAtStart) void b.restartIce('test');
  return { a, b, close: () => [a, b].forEach((s) => s.close()) };
}

/** Shows a session's remote stream in a (muted, visible) video element. */
function show(session: CallSession): HTMLVideoElement {
  const video = document.createElement('video');
  Object.assign(video, { muted: true, autoplay: true, playsInline: true, srcObject: session.remoteStream });
  video.style.width = '160px';
  document.body.append(video);
  return video;
}

afterEach(() => document.querySelectorAll('video').forEach((v) => v.remove()));

const connected = (s: CallSession) => s.state === 'connected';
const stable = (s: CallSession) => s.pc.signalingState === 'stable';

async function bothConnected({ a, b }: Pair, timeout = 15_000) {
  await until(() => connected(a) && connected(b) && stable(a) && stable(b), 'both sessions connected and stable', timeout);
}

describe('CallSession', () => {
  it('connects two sessions and delivers audio and video both ways', async () => {
    const pair = wire();
    try {
      await bothConnected(pair);
      for (const s of [pair.a, pair.b]) {
        expect(s.remoteStream.getAudioTracks()).to.have.length(1);
        expect(s.remoteStream.getVideoTracks()).to.have.length(1);
        await framesPresented(show(s));
      }
    } finally {
      pair.close();
    }
  });

  it('makes a single offer at call start (the polite side waits for it)', async () => {
    const offers: string[] = [];
    const pair = wire({ onSend: (from, m) => m.description?.type === 'offer' && offers.push(from) });
    try {
      await bothConnected(pair);
      expect(offers).to.deep.equal(['a']);
      expect(pair.b.pc.getSenders().filter((s) => s.track)).to.have.length(2);
    } finally {
      pair.close();
    }
  });

  for (let round = 1; round <= 3; round++) {
    it(`connects when both sides offer at call start (glare, round ${round})`, async () => {
      const pair = wire({ politeOffersAtStart: true });
      try {
        await bothConnected(pair);
      } finally {
        pair.close();
      }
    });
  }

  // Perfect negotiation resolves this glare; the polite side rolls its offer back. (In Chromium
  // 156 that peer's remote video then stops rendering: a browser bug the product avoids by never
  // making the polite peer offer on a live call, see CallSession.restartIce.)
  it('stays connected when both sides add a track at the same moment (renegotiation glare)', async () => {
    const pair = wire();
    try {
      await bothConnected(pair);
      const extra = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0];
      const [aExtra, bExtra] = [extra.clone(), extra.clone()];
      pair.a.pc.addTrack(aExtra, new MediaStream([aExtra]));
      pair.b.pc.addTrack(bExtra, new MediaStream([bExtra]));
      await until(
        () => pair.a.remoteStream.getVideoTracks().length === 2 && pair.b.remoteStream.getVideoTracks().length === 2,
        'each side receives the other side’s second video track',
      );
      await bothConnected(pair);
      [extra, aExtra, bExtra].forEach((t) => t.stop());
    } finally {
      pair.close();
    }
  });

  it('keeps video playing on both sides when both restart ICE at the same moment', async () => {
    const pair = wire();
    try {
      await bothConnected(pair);
      const videos = [show(pair.a), show(pair.b)];
      await Promise.all(videos.map((v) => framesPresented(v)));
      const ufrag = () => /a=ice-ufrag:(\S+)/.exec(pair.a.pc.localDescription!.sdp)![1];
      const before = ufrag();
      void pair.a.restartIce('test');
      void pair.b.restartIce('test');
      await until(() => ufrag() !== before, 'new ICE credentials negotiated');
      await bothConnected(pair);
      await Promise.all(videos.map((v) => framesPresented(v, 10)));
    } finally {
      pair.close();
    }
  });

  it('reports the remote microphone and camera state', async () => {
    const pair = wire();
    try {
      pair.a.sendMediaState({ audio: false, video: true });
      await until(() => pair.b.remoteMedia, 'media state received');
      expect(pair.b.remoteMedia).to.deep.equal({ audio: false, video: true, screen: false });
    } finally {
      pair.close();
    }
  });

  it('closes its peer connection on close()', () => {
    const pair = wire();
    pair.close();
    expect(pair.a.pc.signalingState).to.equal('closed');
    expect(pair.a.state).to.equal('closed');
  });
});
