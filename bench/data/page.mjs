// The page side of bench:data. Every function here is self-contained: puppeteer serialises it
// into the page, so it may use nothing from this module's scope. State lives in window.__data.
/* global window, document, customElements, RTCPeerConnection */

/** Resolves once the element is defined and `connected`; throws if it fails or ends. */
export async function pageProductConnected() {
  await customElements.whenDefined('p2p-video-call');
  const el = document.querySelector('p2p-video-call');
  for (let i = 0; i < 400; i++) {
    if (el.state === 'connected') return;
    if (el.state === 'failed' || el.state === 'ended') throw new Error(`the element is ${el.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not connected after 20 s: ${el.state}`);
}

/** The receiving element: takes files up to 4 GiB, and records each file-received and file-error. */
export function pageProductReceive() {
  const el = document.querySelector('p2p-video-call');
  el.setAttribute('max-file-size', String(4 * 2 ** 30));
  const d = (window.__data ??= {});
  d.received = [];
  d.errors = [];
  el.addEventListener('file-received', (e) => d.received.push(e.detail.size));
  el.addEventListener('file-error', (e) => d.errors.push(e.detail.code));
}

/**
 * Makes the Blob both systems send: `mib` MiB, random, or (`repeat`) one random MiB repeated
 * (for 1 GiB: the page then holds one MiB of it, the browser's Blob storage the rest).
 */
export function pageMakeBlob(mib, repeat) {
  const fill = (bytes) => {
    for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
    return bytes;
  };
  const d = (window.__data ??= {});
  const one = repeat && fill(new Uint8Array(1 << 20));
  d.blob = repeat ? new Blob(Array.from({ length: mib }, () => one)) : new Blob([fill(new Uint8Array(mib << 20))]);
  return d.blob.size;
}

/** The product sends the Blob; resolves with the ms until sendFile() resolved (the other side has every byte). */
export async function pageProductSend() {
  const el = document.querySelector('p2p-video-call');
  const d = window.__data;
  const errors = [];
  const onError = (e) => errors.push(e.detail.code);
  el.addEventListener('file-error', onError);
  const started = performance.now();
  await el.sendFile(d.blob, 'bench.bin');
  const ms = performance.now() - started;
  el.removeEventListener('file-error', onError);
  if (errors.length) throw new Error(`file-error ${errors.join(', ')}`);
  return ms;
}

/**
 * Floor, both pages: a bare RTCPeerConnection with a negotiated data channel (id 0), carrying
 * the fake camera and microphone as the product's call does (the video shares the path).
 */
export async function pageFloorSetUp() {
  const d = (window.__data ??= {});
  const pc = (d.pc = new RTCPeerConnection());
  const stream = (d.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const dc = (d.dc = pc.createDataChannel('floor', { negotiated: true, id: 0 }));
  dc.binaryType = 'arraybuffer';
  // The receiving side: keeps the chunks; once all are here, says so and makes a Blob of them.
  d.expect = 0;
  dc.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const [kind, value] = JSON.parse(e.data);
      if (kind === 'size') [d.expect, d.got, d.parts] = [value, 0, []];
      else if (kind === 'done') d.done?.();
      return;
    }
    d.parts.push(new Uint8Array(e.data));
    d.got += e.data.byteLength;
    if (d.got === d.expect) {
      // Said before the Blob is made, as the product says it before its File.
      dc.send(JSON.stringify(['done', d.got]));
      d.file = new Blob(d.parts);
      d.parts = [];
    }
  };
}

/** Floor: this side's description once gathering completed (`answer` given: the answer to it). */
export async function pageFloorDescribe(offer) {
  const { pc } = window.__data;
  if (offer) await pc.setRemoteDescription(offer);
  await pc.setLocalDescription();
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
  }
  return pc.localDescription.toJSON();
}

/** Floor: takes the answer, resolves once the channel is open. */
export async function pageFloorAnswered(answer) {
  const { pc, dc } = window.__data;
  if (answer) await pc.setRemoteDescription(answer);
  if (dc.readyState !== 'open') await new Promise((resolve) => dc.addEventListener('open', resolve, { once: true }));
}

/**
 * Floor: sends the Blob as a careful app does with a bare RTCDataChannel (the same slices and
 * chunk size as the product, the same buffer bounds: at most 4 MiB queued, more once it drains
 * to 1 MiB); resolves with the ms until the other side said it has every byte.
 */
export async function pageFloorSend() {
  const d = window.__data;
  const { dc, blob } = d;
  const CHUNK = 65_532;
  const SLICE = 1 << 20;
  dc.bufferedAmountLowThreshold = 1 << 20;
  const started = performance.now();
  const done = new Promise((resolve) => (d.done = resolve));
  dc.send(JSON.stringify(['size', blob.size]));
  for (let at = 0; at < blob.size; at += SLICE) {
    const slice = new Uint8Array(await blob.slice(at, at + SLICE).arrayBuffer());
    for (let i = 0; i < slice.length; i += CHUNK) {
      if (dc.bufferedAmount > 4 << 20) await new Promise((resolve) => dc.addEventListener('bufferedamountlow', resolve, { once: true }));
      dc.send(slice.subarray(i, i + CHUNK));
    }
  }
  await done;
  return performance.now() - started;
}

/** Floor: closes the connection. */
export function pageFloorClose() {
  window.__data?.pc?.close();
  window.__data?.stream?.getTracks().forEach((t) => t.stop());
}
