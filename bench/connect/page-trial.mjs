// One trial, run inside the page: two <p2p-video-call> elements meet in a fresh room, timed
// from the second's arrival (t0) to call-connected and the first remote frame on both.

/**
 * Runs one trial in the page and resolves with its figures (ms from t0). Self-contained:
 * puppeteer serialises it into the page, so it may use nothing from this module's scope.
 *
 * @param {string} room
 * @param {number} timeoutMs  the bound on every wait
 * @param {boolean} warm      the second element previews (camera open, relay connected) before t0
 * @param {number} gapMs      the second visitor arrives this long after the first is waiting
 */
export async function pageTrial(room, timeoutMs, warm, gapMs) {
  const now = () => performance.now();
  /** @type {Set<string>} */
  const pending = new Set();
  const elements = [];
  let reconnects = 0;
  let failWith;
  const failure = new Promise((_, reject) => (failWith = reject));
  failure.catch(() => {
    // Not lost: raced against every step below, which rejects with it.
  });

  const describe = () => elements.map((el, i) => `${i ? 'second' : 'first'}=${el.state}`).join(' ');
  /** Resolves with the time `type` fired on `el` (and `test(event)` held). */
  const when = (label, el, type, test = () => true) => {
    pending.add(label);
    return new Promise((resolve) => {
      const listener = (event) => {
        if (!test(event)) return;
        el.removeEventListener(type, listener);
        pending.delete(label);
        resolve(now());
      };
      el.addEventListener(type, listener);
    });
  };
  /** Resolves when a frame of `video` was presented: registered now, before it has a srcObject. */
  const firstFrame = (label, video) => {
    pending.add(label);
    return new Promise((resolve) => {
      video.requestVideoFrameCallback((callbackNow, metadata) => {
        pending.delete(label);
        resolve({
          // "the time at which the user agent submitted the frame for composition"
          at: metadata.presentationTime ?? callbackNow,
          callbackAt: now(),
          width: metadata.width,
          height: metadata.height,
        });
      });
    });
  };
  /** Waits for all of `promises`, failing at the first call-error/media-error or after timeoutMs. */
  const all = async (what, promises) => {
    let timer;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; still pending: ${[...pending].join(', ')}; states: ${describe()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.all(promises), failure, expired]);
    } finally {
      clearTimeout(timer);
    }
  };
  const make = (label) => {
    const el = document.createElement('p2p-video-call');
    el.setAttribute('room', room);
    el.setAttribute('name', label);
    for (const type of ['call-error', 'media-error']) {
      el.addEventListener(type, (event) =>
        failWith(new Error(`${label} element: ${type} ${JSON.stringify(event.detail)} (states: ${describe()})`)),
      );
    }
    el.addEventListener('call-reconnecting', () => reconnects++);
    el.addEventListener('call-state-change', (event) => {
      if (event.detail.state === 'failed') failWith(new Error(`${label} element went to failed (states: ${describe()})`));
    });
    elements.push(el);
    return el;
  };
  const remoteVideo = (el) => {
    const video = el.shadowRoot?.querySelector('[part="remote-video"]');
    if (!(video instanceof HTMLVideoElement)) throw new Error('no [part="remote-video"] <video> in the shadow root');
    return video;
  };

  const trace = window.__connectBenchTrace;
  if (trace) trace.events = [];
  try {
    // The first element: alone in the room.
    const first = make('first');
    const firstInserted = now();
    const firstWaiting = when('first waiting', first, 'call-state-change', (e) => e.detail.state === 'waiting');
    const firstMedia = when('first media-ready', first, 'media-ready');
    document.body.append(first);
    const [firstReady, firstMediaReady] = await all('the first element to be waiting', [firstWaiting, firstMedia]);
    await first.updateComplete;

    // The second element joins: everything from here on is timed from t0.
    const second = make('second');
    if (warm) {
      // Warm: the second shows its preview (camera open) and is connected to the relay, not joined.
      second.setAttribute('manual', '');
      const media = when('second media-ready (preview)', second, 'media-ready');
      document.body.append(second);
      await second.updateComplete;
      await all('the second element to preview', [second.preview(), media]);
      const deadline = now() + timeoutMs;
      for (;;) {
        const connections = await window.relayConnections(); // exposed by browser-runner (the metrics listener)
        if (connections === 2) break;
        if (now() > deadline) throw new Error(`the relay had ${connections} connections, not 2, ${timeoutMs} ms after preview()`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const marks = {
      firstPeerJoined: when('first peer-joined', first, 'peer-joined'),
      firstConnected: when('first call-connected', first, 'call-connected'),
      secondMediaReady: warm ? Promise.resolve(NaN) : when('second media-ready', second, 'media-ready'),
      secondJoined: when('second joined', second, 'call-state-change', (e) => e.detail.state === 'connecting'),
      secondConnected: when('second call-connected', second, 'call-connected'),
      firstFrame: firstFrame('first remote frame', remoteVideo(first)),
    };
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    const t0 = now();
    if (warm) second.start();
    else document.body.append(second);
    await second.updateComplete;
    marks.secondFrame = firstFrame('second remote frame', remoteVideo(second));

    const keys = Object.keys(marks);
    const values = await all('both elements to connect and show a remote frame', Object.values(marks));
    const at = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    const since = (t) => Math.round((t - t0) * 10) / 10;
    const result = {
      // the first element alone: insert → waiting (its getUserMedia, connection and join)
      firstToWaiting: Math.round((firstReady - firstInserted) * 10) / 10,
      firstToMediaReady: Math.round((firstMediaReady - firstInserted) * 10) / 10,
      connectedBoth: since(Math.max(at.firstConnected, at.secondConnected)),
      frameBoth: since(Math.max(at.firstFrame.at, at.secondFrame.at)),
      firstConnected: since(at.firstConnected),
      secondConnected: since(at.secondConnected),
      firstFrame: since(at.firstFrame.at),
      secondFrame: since(at.secondFrame.at),
      secondMediaReady: since(at.secondMediaReady),
      secondJoined: since(at.secondJoined),
      firstPeerJoined: since(at.firstPeerJoined),
      // how late the rVFC callback ran after the frame's presentation time (sanity check)
      frameCallbackLag:
        Math.round(Math.max(at.firstFrame.callbackAt - at.firstFrame.at, at.secondFrame.callbackAt - at.secondFrame.at) * 10) / 10,
      frameSizes: [`${at.firstFrame.width}x${at.firstFrame.height}`, `${at.secondFrame.width}x${at.secondFrame.height}`],
    };
    // call-reconnecting during the set-up means an ICE restart (e.g. the 8 s connect timeout)
    result.reconnects = reconnects;
    if (trace) result.trace = trace.events.map((e) => ({ ...e, t: since(e.t) }));
    return result;
  } finally {
    // Hang up both, wait until both are `ended`, remove them.
    for (const el of elements) el.hangUp();
    const deadline = now() + timeoutMs;
    while (elements.some((el) => el.state !== 'ended') && now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const notEnded = elements.filter((el) => el.state !== 'ended').map((el) => el.state);
    for (const el of elements) el.remove();
    if (notEnded.length) {
      // A trial whose elements did not end is not a result, whatever it returned.
      // eslint-disable-next-line no-unsafe-finally
      throw new Error(`after hangUp() an element did not reach ended within ${timeoutMs} ms (states: ${notEnded.join(', ')})`);
    }
  }
}
