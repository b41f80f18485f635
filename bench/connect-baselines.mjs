// The baselines of bench/connect-time.mjs, measured in the same run with the same method:
//   PeerJS 1.5.5 (the client) with its own signaling server (peer 1.0.2), set up as its README
//   shows, with getUserMedia({ audio: true, video: true }) (the camera constraints a PeerJS user
//   writes; PeerJS ships none), and no public STUN (its default would be Google's);
//   the in-page floor: two RTCPeerConnections in one page, offer/answer/candidates handed over
//   directly, no server at all.
// Both run in a page of a small loopback server started here (a blank page and /peerjs.min.js);
// the PeerJS server has a port of its own. The page functions are self-contained: puppeteer
// serialises them.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PeerServer } from 'peer';
import { freePort } from '../test/support/processes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The baselines, measured after each product trial: [name, label]. */
export const BASELINES = [
  ['peerjs', 'PeerJS 1.5.5 + peer 1.0.2'],
  ['floor', 'in-page floor'],
];

/**
 * Starts the PeerJS server (`PeerServer`, as `npx peerjs --port N` runs it) and a page server,
 * each on a free loopback port.
 */
export async function startBaselines() {
  const peerjs = readFileSync(join(ROOT, 'node_modules/peerjs/dist/peerjs.min.js'));
  const page = '<!doctype html><meta charset="utf-8"><title>baselines</title><script src="/peerjs.min.js"></script><body></body>';
  const server = createServer((request, response) => {
    if (request.url === '/') return response.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
    if (request.url === '/peerjs.min.js') return response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(peerjs);
    response.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peerPort = await freePort();
  const peerServer = await new Promise((resolve) => {
    PeerServer({ port: peerPort, host: '127.0.0.1', path: '/', allow_discovery: false }, resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    peerPort,
    stop: async () => {
      server.closeAllConnections();
      peerServer.closeAllConnections?.();
      await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => peerServer.close(resolve))]);
    },
  };
}

/**
 * One baseline trial in the page (self-contained: puppeteer serialises it). The first visitor's
 * camera is open and it waits; t0; the second gets its camera and they connect:
 * - `peerjs`: the first is connected to the PeerJS server; the second connects and calls it,
 *   the first answers;
 * - `floor`: two peer connections negotiate with nothing between them.
 * `warm`: the second's camera is open (and, for PeerJS, its server connection) before t0; t0 is
 * the call itself; t0 comes `gapMs` after all that. Times from t0: both peer connections `connected`, both first remote frames
 * presented.
 */
export async function pageBaselineTrial(kind, peerPort, timeoutMs, warm = false, gapMs = 0) {
  const now = () => performance.now();
  const cleanup = [];
  const video = () => {
    const v = Object.assign(document.createElement('video'), { autoplay: true, muted: true, playsInline: true });
    v.style.cssText = 'width: 240px; display: inline-block';
    document.body.append(v);
    cleanup.push(() => v.remove());
    return v;
  };
  const frame = (v) =>
    new Promise((resolve) =>
      v.requestVideoFrameCallback((t, m) => resolve({ at: m.presentationTime ?? t, size: `${m.width}x${m.height}` })),
    );
  const connected = (pc) =>
    new Promise((resolve) => {
      const check = () => pc.connectionState === 'connected' && (pc.removeEventListener('connectionstatechange', check), resolve(now()));
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  const camera = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    cleanup.push(() => stream.getTracks().forEach((t) => t.stop()));
    return stream;
  };
  let timer;
  const expired = new Promise(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${kind}: timed out after ${timeoutMs} ms`)), timeoutMs)),
  );
  const bounded = (promise) => Promise.race([promise, expired]);

  /** PeerJS: resolves with the connected times of both peer connections. */
  const peerjs = async (firstStream, v1, v2) => {
    // No public STUN/TURN (PeerJS's default config has Google's STUN and its own TURN).
    const options = { host: '127.0.0.1', port: peerPort, path: '/', secure: false, config: { iceServers: [] }, debug: 0 };
    const open = (peer) => new Promise((resolve, reject) => (peer.once('open', resolve), peer.once('error', reject)));
    const first = new window.peerjs.Peer(options);
    cleanup.push(() => first.destroy());
    const firstId = await bounded(open(first));
    const firstConnected = new Promise((resolve) =>
      first.on('call', (call) => {
        call.answer(firstStream);
        call.on('stream', (stream) => (v1.srcObject = stream));
        connected(call.peerConnection).then(resolve);
      }),
    );
    // The second visitor's camera and its connection to the server, at once (as we do).
    const prepare = () => {
      const second = new window.peerjs.Peer(options);
      cleanup.push(() => second.destroy());
      return Promise.all([camera(), bounded(open(second)).then(() => second)]);
    };
    const call = ([secondStream, second]) => {
      const call = second.call(firstId, secondStream);
      call.on('stream', (stream) => (v2.srcObject = stream));
      return [firstConnected, connected(call.peerConnection)];
    };
    if (!warm) return async () => call(await prepare());
    const prepared = await prepare();
    return async () => call(prepared);
  };

  /** The floor: resolves with the connected times of both peer connections. */
  const connectDirectly = async (firstStream, secondStream, v1, v2) => {
    const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
    cleanup.push(() => (a.close(), b.close()));
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    a.ontrack = (e) => (v1.srcObject = e.streams[0]);
    b.ontrack = (e) => (v2.srcObject = e.streams[0]);
    for (const track of firstStream.getTracks()) a.addTrack(track, firstStream);
    for (const track of secondStream.getTracks()) b.addTrack(track, secondStream);
    const both = [connected(a), connected(b)];
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    return both;
  };
  const floor = async (firstStream, v1, v2) => {
    const ready = warm ? await camera() : null;
    return async () => connectDirectly(firstStream, ready ?? (await camera()), v1, v2);
  };

  try {
    const firstStream = await camera();
    const [v1, v2] = [video(), video()];
    const frames = [frame(v1), frame(v2)];
    const start = await (kind === 'peerjs' ? peerjs : floor)(firstStream, v1, v2);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    const t0 = now();
    const [c1, c2, f1, f2] = await bounded(Promise.all([...(await start()), ...frames]));
    return { connectedBoth: Math.max(c1, c2) - t0, frameBoth: Math.max(f1.at, f2.at) - t0, frameSizes: [f1.size, f2.size] };
  } finally {
    clearTimeout(timer);
    for (const undo of cleanup.reverse()) undo();
  }
}
