// Environment checks for the browser tests: if one of these fails, the browsers, their flags,
// the loopback-only namespace or coturn are broken, not the product. See
// /work/shared/BROWSER-TESTING.md and web-test-runner.config.mjs.

import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { io } from 'socket.io-client';
import { countFrames } from './helpers/video-frames.js';
import { until } from './helpers/wait.js';

interface CoturnInfo {
  id: string;
  port: number;
  urls: string[];
  secret: string;
}

interface RelayInfo {
  id: string;
  url: string;
  port: number;
}

interface Candidate {
  address: string;
  type: string;
}

/** Parses `candidate:… <component> <protocol> <priority> <address> <port> typ <type> …`. */
function parseCandidate(line: string): Candidate {
  const fields = line.replace(/^a=/, '').split(' ');
  return { address: fields[4] ?? '', type: fields[fields.indexOf('typ') + 1] ?? '' };
}

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function camera(): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  cleanups.push(() => stream.getTracks().forEach((track) => track.stop()));
  return stream;
}

/**
 * Two RTCPeerConnections in this page, `a` sending a camera stream to `b`, candidates passed
 * straight across. Resolves when both report ICE connected.
 */
async function connectPeerConnections(config: RTCConfiguration) {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  cleanups.push(() => {
    a.close();
    b.close();
  });
  const gathered: Candidate[] = [];
  a.onicecandidate = (e) => {
    if (e.candidate?.candidate) {
      gathered.push(parseCandidate(e.candidate.candidate));
      void b.addIceCandidate(e.candidate);
    }
  };
  b.onicecandidate = (e) => {
    if (e.candidate?.candidate) {
      gathered.push(parseCandidate(e.candidate.candidate));
      void a.addIceCandidate(e.candidate);
    }
  };
  const remote = new Promise<MediaStream>((resolve) => {
    b.ontrack = (e) => {
      if (e.track.kind === 'video') resolve(e.streams[0] ?? new MediaStream([e.track]));
    };
  });
  const stream = await camera();
  for (const track of stream.getTracks()) a.addTrack(track, stream);

  const started = performance.now();
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  const isConnected = (pc: RTCPeerConnection) => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
  await until(
    () => isConnected(a) && isConnected(b),
    `ICE did not connect (a: ${a.iceConnectionState}, b: ${b.iceConnectionState})`,
    10_000,
  );
  return { a, b, gathered, remote, ms: Math.round(performance.now() - started) };
}

describe('test environment', () => {
  it('getUserMedia gives a live fake camera and microphone', async () => {
    const stream = await camera();
    const [video] = stream.getVideoTracks();
    expect(video, 'video track').to.exist;
    expect(video.readyState).to.equal('live');
    expect(video.getSettings().width ?? 0).to.be.greaterThan(0);
    expect(stream.getAudioTracks()).to.have.length(1);
  });

  it('connects two RTCPeerConnections over loopback host candidates, and the video plays', async () => {
    const { gathered, remote, ms } = await connectPeerConnections({});
    console.log(`host ↔ host: ICE connected after ${ms} ms`);
    const hosts = gathered.filter((c) => c.type === 'host');
    expect(hosts.length, JSON.stringify(gathered)).to.be.greaterThan(0);
    expect(
      hosts.some((c) => c.address === '127.0.0.1'),
      JSON.stringify(gathered),
    ).to.equal(true);

    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.srcObject = await remote;
    document.body.append(video);
    cleanups.push(() => video.remove());
    await until(async () => (await countFrames(video, 200)).frames >= 2, 'the remote video painted no frames', 10_000);
  });

  describe('through coturn', () => {
    let turn: CoturnInfo;
    before(async () => {
      turn = await executeServerCommand<CoturnInfo, object>('coturn-start', {});
    });
    after(async () => {
      if (turn) await executeServerCommand('coturn-stop', { id: turn.id });
    });

    it('connects relay-only with typ relay candidates and TURN REST credentials', async () => {
      const { username, credential } = await executeServerCommand<{ username: string; credential: string }, object>('turn-credentials', {
        secret: turn.secret,
        ttl: 600,
      });
      expect(username).to.match(/^\d+:test$/);
      const { gathered, ms } = await connectPeerConnections({
        iceServers: [{ urls: turn.urls, username, credential }],
        iceTransportPolicy: 'relay',
      });
      console.log(`relay ↔ relay through coturn: ICE connected after ${ms} ms`);
      expect(gathered.length).to.be.greaterThan(0);
      expect(
        gathered.every((c) => c.type === 'relay'),
        JSON.stringify(gathered),
      ).to.equal(true);
      expect(
        gathered.every((c) => c.address === '127.0.0.1'),
        JSON.stringify(gathered),
      ).to.equal(true);
    });
  });
});

describe('relay plugin', () => {
  let relay: RelayInfo | undefined;
  after(async () => {
    if (relay) await executeServerCommand('relay-stop', { id: relay.id });
  });

  it('starts the real relay on 127.0.0.1, kills it as a crash would, and revives it on the same port', async () => {
    relay = await executeServerCommand<RelayInfo, object>('relay-start', {});
    expect(relay.url).to.equal(`http://127.0.0.1:${relay.port}`);
    const socket = io(relay.url, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
    cleanups.push(() => void socket.close());
    const reasons: string[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    await until(() => socket.connected, 'no connection to the relay', 5000);
    const stats = () => executeServerCommand<{ connections: number }, object>('relay-stats', { id: relay!.id });
    expect((await stats()).connections).to.equal(1);

    await executeServerCommand('relay-kill', { id: relay.id });
    await until(() => reasons.length > 0, 'no disconnect after relay-kill', 5000);
    // a cut connection, not Socket.IO's "io server disconnect" (after which clients do not reconnect)
    expect(reasons).to.deep.equal(['transport close']);

    const revived = await executeServerCommand<RelayInfo, object>('relay-revive', { id: relay.id });
    expect(revived.port).to.equal(relay.port);
    await until(() => socket.connected, 'no reconnection to the revived relay', 10_000);
    expect((await stats()).connections).to.equal(1);
  });
});
