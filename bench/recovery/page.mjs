// The page side of bench:recovery. Every function here is self-contained: puppeteer serialises it
// into the page, so it may use nothing from this module's scope. State lives in window.__recovery.
/* global window, document, customElements, RTCPeerConnection, HTMLVideoElement */

/** The product's remote video: `>>>` crosses into open shadow roots (as test/e2e/harness.ts writes it). */
export const PRODUCT_VIDEO = 'p2p-video-call >>> [part="remote-video"]';

/**
 * Records, under `key`, the epoch-ms presentation time of every frame the `<video>` matched by
 * `selector` presents (requestVideoFrameCallback; metadata.presentationTime moved onto Date.now()'s
 * clock, the clock the benchmark's heal time is read on). The video is looked up again every
 * 200 ms, so a video element that is replaced is followed; a detached one records nothing.
 */
export function pageRecordFrames(key, selector) {
  const state = (window.__recovery ??= {});
  const frames = (state.frames ??= {});
  const times = (frames[key] = []);
  const deepQuery = (root, part) => {
    const found = root.querySelector(part);
    if (found) return found;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && deepQuery(el.shadowRoot, part);
      if (inner) return inner;
    }
    return null;
  };
  const find = () => {
    let node = null;
    let scope = document;
    for (const part of selector.split('>>>').map((s) => s.trim())) {
      node = deepQuery(scope, part);
      if (!node) return null;
      scope = node.shadowRoot ?? node;
    }
    return node instanceof HTMLVideoElement ? node : null;
  };
  const watched = new WeakSet();
  const watch = (video) => {
    video.requestVideoFrameCallback((callbackNow, metadata) => {
      if (video.isConnected) {
        const presented = metadata.presentationTime ?? callbackNow;
        times.push(Date.now() - (performance.now() - presented));
        if (times.length > 6000) times.splice(0, 3000);
      }
      watch(video);
    });
  };
  const attach = () => {
    const video = find();
    if (video && !watched.has(video)) {
      watched.add(video);
      watch(video);
    }
  };
  attach();
  clearInterval(state[`finder-${key}`]);
  state[`finder-${key}`] = setInterval(attach, 200);
}

/**
 * Resolves with the epoch-ms time of the first frame recorded under `key` after `since` (epoch
 * ms), once at least `frames` frames came after `since`; with null if that takes over `timeoutMs`.
 */
export function pageFrameAfter(key, since, frames, timeoutMs) {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = () => {
      const times = window.__recovery?.frames?.[key] ?? [];
      const at = times.findIndex((t) => t > since);
      if (at >= 0 && times.length - at >= frames) return resolve(times[at]);
      if (Date.now() - started > timeoutMs) return resolve(null);
      setTimeout(check, 20);
    };
    check();
  });
}

/** How many frames were recorded under `key` in (from, to] (epoch ms). */
export function pageFramesBetween(key, from, to) {
  return (window.__recovery?.frames?.[key] ?? []).filter((t) => t > from && t <= to).length;
}

/** Records the product element's state changes and call-error events (epoch ms), to report what it said. */
export async function pageWatchProduct() {
  await customElements.whenDefined('p2p-video-call');
  const state = (window.__recovery ??= {});
  const said = (state.said = []);
  const el = document.querySelector('p2p-video-call');
  el.addEventListener('call-state-change', (e) => said.push({ at: Date.now(), what: e.detail.state }));
  el.addEventListener('call-error', (e) => said.push({ at: Date.now(), what: `call-error ${e.detail?.code ?? ''}`.trim() }));
  return true;
}

/** The product element's state. */
export function pageProductState() {
  return document.querySelector('p2p-video-call')?.state ?? null;
}

/** What was recorded in window.__recovery.said after `since` (epoch ms), as short words. */
export function pageSaidSince(since) {
  return (window.__recovery?.said ?? []).filter((e) => e.at > since).map((e) => e.what);
}

/**
 * The floor: two RTCPeerConnections in this page, offer/answer/candidates handed over directly,
 * each sending the page's camera; the videos #remote-a and #remote-b. Resolves once both are
 * `connected` (rejects after `timeoutMs`). ICE state changes go to window.__recovery.said.
 */
export async function pageFloorCall(timeoutMs) {
  const video = (id) => {
    const v = Object.assign(document.createElement('video'), { id, autoplay: true, muted: true, playsInline: true });
    v.style.cssText = 'width: 320px; display: inline-block';
    document.body.append(v);
    return v;
  };
  const state = (window.__recovery ??= {});
  const said = (state.said ??= []);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const [va, vb] = [video('remote-a'), video('remote-b')];
  const [a, b] = (state.floor = [new RTCPeerConnection(), new RTCPeerConnection()]);
  for (const [name, pc] of [
    ['a', a],
    ['b', b],
  ]) {
    pc.addEventListener('iceconnectionstatechange', () => said.push({ at: Date.now(), what: `${name}:${pc.iceConnectionState}` }));
  }
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  a.ontrack = (e) => (va.srcObject = e.streams[0]);
  b.ontrack = (e) => (vb.srcObject = e.streams[0]);
  for (const track of stream.getTracks()) a.addTrack(track, stream);
  for (const track of stream.getTracks()) b.addTrack(track, stream);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  const started = Date.now();
  while (![a, b].every((pc) => pc.connectionState === 'connected')) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`floor: not connected after ${timeoutMs} ms (${a.connectionState}/${b.connectionState})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The floor's two connection states (`a/b`). */
export function pageFloorState() {
  return (window.__recovery?.floor ?? []).map((pc) => pc.connectionState).join('/') || null;
}

/**
 * A PeerJS visitor (PeerJS 1.5.5, as its README shows): connects to the PeerJS server on
 * `peerPort` with no public STUN/TURN, opens its camera, shows the other's stream in #remote.
 * Without `calleeId` it answers the call it gets and resolves with its id; with it, it calls
 * that id. `timeoutMs` bounds the server connection.
 */
export async function pagePeerVisitor(peerPort, calleeId, timeoutMs) {
  const state = (window.__recovery ??= {});
  const said = (state.said ??= []);
  const v = Object.assign(document.createElement('video'), { id: 'remote', autoplay: true, muted: true, playsInline: true });
  v.style.cssText = 'width: 320px; display: inline-block';
  document.body.append(v);
  const options = { host: '127.0.0.1', port: peerPort, path: '/', secure: false, config: { iceServers: [] }, debug: 0 };
  const peer = (state.peer = new window.peerjs.Peer(options));
  const id = await Promise.race([
    new Promise((resolve, reject) => (peer.once('open', resolve), peer.once('error', reject))),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`PeerJS: no server connection after ${timeoutMs} ms`)), timeoutMs)),
  ]);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const follow = (call) => {
    state.call = call;
    call.on('stream', (remote) => (v.srcObject = remote));
    call.on('close', () => said.push({ at: Date.now(), what: 'call closed' }));
    call.on('error', (e) => said.push({ at: Date.now(), what: `call error ${e?.type ?? e}` }));
    const watch = () => {
      const pc = call.peerConnection;
      if (!pc) return setTimeout(watch, 20);
      pc.addEventListener('iceconnectionstatechange', () => said.push({ at: Date.now(), what: pc.iceConnectionState }));
    };
    watch();
  };
  if (calleeId) {
    follow(peer.call(calleeId, stream));
  } else {
    peer.on('call', (call) => {
      call.answer(stream);
      follow(call);
    });
  }
  return id;
}

/** The PeerJS call's state in this page: `closed` once PeerJS closed it (it does on ICE `failed`), else its connectionState. */
export function pagePeerState() {
  const call = window.__recovery?.call;
  if (!call) return null;
  return call.open ? (call.peerConnection?.connectionState ?? 'closed') : 'closed';
}
