#!/usr/bin/env node
// Connect-time benchmark: how long two <p2p-video-call> elements in one page take to be in a
// call, through the REAL relay CLI, in Debian's headless Chromium and Firefox.
//
//   npm run bench:connect                          (builds, then runs this in a loopback-only namespace)
//   npm run bench:connect -- --trials 50 --browsers firefox --json
//
// Per browser: one window on the relay's own origin (its demo page, which loads the drop-in
// bundle from /p2p-video-call.js; `signaling` then defaults to the page's origin). Per trial,
// in a fresh room: insert a first element, wait for it to be `waiting` (alone in the room),
// let the second visitor arrive --gap ms later (a first visitor is never joined within the same
// millisecond; it has settled), then t0 = performance.now(), insert a second element with the same room and measure until
//   (a) `call-connected` has fired on both elements,
//   (b) the first remote video frame was presented on both (requestVideoFrameCallback on each
//       element's [part="remote-video"], metadata.presentationTime).
// The second element's time includes its getUserMedia (fake devices), its WebSocket
// connection to the relay, the join, and the whole offer/answer + ICE + DTLS negotiation.
// Then both hang up, the elements are removed, and the relay's /healthz must show no
// connection left before the next trial. Warm-up trials (default 1) are run first and are
// not in the statistics.
//
// Options (environment variables in brackets):
//   --browsers chromium,firefox   [BENCH_BROWSERS]  which browsers, in this order
//   --trials N                    [BENCH_TRIALS]    measured trials per browser (default 20)
//   --warmup N                    [BENCH_WARMUP]    warm-up trials per browser, excluded (default 1)
//   --timeout MS                  [BENCH_TIMEOUT]   bound on every wait inside a trial (default 20000)
//   --json                                          one JSON document on stdout instead of text
//   --per-trial                                     also print every trial's figures (text mode)
//   --quiet-wait S                [BENCH_QUIET_WAIT] before each trial, wait up to S seconds (default 0)
//                                                   for half a second in which other processes use
//                                                   < 0.25 cores (for a shared machine; see cpuSnapshot)
//   --warm                                          the warm case: before t0 the second element already
//                                                   shows its preview (camera open, relay connected, not
//                                                   joined: preview()); t0 = start(). Baselines likewise:
//                                                   camera (and PeerJS server connection) ready, t0 = the call
//   --gap MS                      [BENCH_GAP]       the second visitor arrives MS after the first is
//                                                   waiting (default 500; the baselines likewise: after
//                                                   the first's camera and server connection). 0 is the
//                                                   worst case: both arrive at once, and the first's own
//                                                   work while it waits competes with the second's
//   --fresh-page                                    load the page again before every trial, so that each
//                                                   call is the first one of its page (as for a visitor)
//   --trace                                         wrap RTCPeerConnection in the page to time each
//                                                   negotiation step (a breakdown; off by default so the
//                                                   headline figures measure the unmodified element)
// Exit status: 0 if every trial of every browser succeeded, 1 otherwise, 2 on bad options,
// 130/143 on SIGINT/SIGTERM. Browsers and the relay are stopped in every case.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { assertLoopbackOnly, launchOptions, openWindow } from '../test/support/browsers.mjs';
import { describeExit, freePort, LOOPBACK_CLIENTS_ENV, spawnManaged } from '../test/support/processes.mjs';
import { waitFor, withTimeout } from '../test/support/wait.mjs';
import { pageBaselineTrial, startBaselines } from './connect-baselines.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KNOWN_BROWSERS = ['chromium', 'firefox'];
const BROWSER_LABEL = { chromium: 'Chromium', firefox: 'Firefox' };

// ---------------------------------------------------------------------------------------------
// Options

function usage() {
  return `usage: node bench/connect-time.mjs [--browsers chromium,firefox] [--trials N] [--warmup N]
                                 [--timeout MS] [--quiet-wait S] [--gap MS] [--fresh-page] [--warm] [--json] [--per-trial] [--trace]
Run it through \`npm run bench:connect\` (build + loopback-only network namespace).\n`;
}

function parseOptions(argv, env) {
  const options = {
    browsers: (env.BENCH_BROWSERS || 'chromium,firefox').split(','),
    trials: Number(env.BENCH_TRIALS || 20),
    warmup: Number(env.BENCH_WARMUP ?? 1),
    timeout: Number(env.BENCH_TIMEOUT || 20_000),
    json: false,
    perTrial: false,
    trace: false,
    warm: false,
    freshPage: false,
    quietWait: Number(env.BENCH_QUIET_WAIT || 0),
    gap: Number(env.BENCH_GAP ?? 500),
    baselines: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new OptionError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--browsers':
        options.browsers = value().split(',');
        break;
      case '--trials':
        options.trials = Number(value());
        break;
      case '--warmup':
        options.warmup = Number(value());
        break;
      case '--timeout':
        options.timeout = Number(value());
        break;
      case '--json':
        options.json = true;
        break;
      case '--per-trial':
        options.perTrial = true;
        break;
      case '--trace':
        options.trace = true;
        break;
      case '--warm':
        options.warm = true;
        break;
      case '--fresh-page':
        options.freshPage = true;
        break;
      case '--no-baselines':
        options.baselines = false;
        break;
      case '--quiet-wait':
        options.quietWait = Number(value());
        break;
      case '--gap':
        options.gap = Number(value());
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new OptionError(`unknown option ${arg}`);
    }
  }
  options.browsers = options.browsers.map((b) => b.trim().toLowerCase()).filter(Boolean);
  const unknown = options.browsers.filter((b) => !KNOWN_BROWSERS.includes(b));
  if (unknown.length || options.browsers.length === 0) {
    throw new OptionError(`--browsers takes a comma-separated list of ${KNOWN_BROWSERS.join(', ')}; got ${JSON.stringify(options.browsers.join(','))}`);
  }
  for (const [name, min] of [['trials', 1], ['warmup', 0], ['timeout', 1000], ['quietWait', 0], ['gap', 0]]) {
    if (!Number.isInteger(options[name]) || options[name] < min) {
      throw new OptionError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be an integer >= ${min}, got ${options[name]}`);
    }
  }
  return options;
}

class OptionError extends Error {}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started is stopped on every exit path, including SIGINT/SIGTERM.

/** @type {Set<() => Promise<unknown>>} */
const cleanups = new Set();
async function cleanupAll() {
  const tasks = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(tasks.map((task) => withTimeout(Promise.resolve().then(task), 10_000, 'cleanup')));
}
let interrupted = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (interrupted) process.exit(code); // a second signal: the user means it
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping browsers and the relay…\n`);
    cleanupAll().finally(() => process.exit(code));
  });
}

// ---------------------------------------------------------------------------------------------
// Load from other processes. This machine may be shared (other test runs, compilers): on 2
// cores that inflates the figures a lot, so every trial records how much CPU the processes
// that are NOT this benchmark's (it, the relay, the browsers) used meanwhile.

/** CPU ticks from /proc: the whole machine's, and this process tree's. null where there is no /proc. */
function cpuSnapshot() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const busy = total - fields[3] - fields[4]; // minus idle and iowait
    /** @type {Map<number, { ppid: number, ticks: number }>} */
    const procs = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // ppid, then utime stime cutime cstime at 11..14
        procs.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) });
      } catch {
        // exited meanwhile
      }
    }
    const children = new Map();
    for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let ours = 0;
    const stack = [process.pid];
    while (stack.length) {
      const pid = stack.pop();
      ours += procs.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return { total, busy, ours };
  } catch {
    return null;
  }
}

/** Cores used by processes outside this benchmark between two snapshots. */
function otherCores(before, after) {
  if (!before || !after || after.total <= before.total) return null;
  const other = after.busy - before.busy - (after.ours - before.ours);
  return Math.round((Math.max(0, other) / (after.total - before.total)) * NPROC * 100) / 100;
}

const NPROC = os.availableParallelism?.() ?? os.cpus().length;
/** Below this many cores used by other processes, a trial counts as run on a quiet machine. */
const QUIET_CORES = 0.25;

/** Waits up to `seconds` for a 500 ms window in which other processes use < QUIET_CORES cores. */
async function waitForQuiet(seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last = null;
  while (Date.now() < deadline) {
    const before = cpuSnapshot();
    if (!before) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = otherCores(before, cpuSnapshot());
    if (last !== null && last < QUIET_CORES) return last;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------
// The relay

async function startRelay() {
  const missing = ['lib/server/cli.js', 'dist/p2p-video-call.js', 'demo/index.html'].filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run \`npm run build\` first (npm run bench:connect does)`);
  const port = await freePort();
  const args = ['lib/server/cli.js', '--port', String(port), '--host', '127.0.0.1'];
  const relay = spawnManaged(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...LOOPBACK_CLIENTS_ENV },
    name: 'relay (lib/server/cli.js)',
  });
  cleanups.add(() => relay.stop());
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (!relay.isRunning()) throw new Error(describeExit(relay));
        const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
        return response.ok;
      },
      { timeout: 15_000, interval: 100, message: `GET ${origin}/healthz` },
    );
  } catch (error) {
    throw new Error(`the relay did not come up: ${error.message}\n--- relay output ---\n${relay.output() || '(none)'}`, { cause: error });
  }
  return { relay, origin, command: `LOG_LEVEL=warn node ${args.join(' ')}` };
}

/** Throws (with its last output) if the relay is no longer running. */
function assertRelayRunning(relay) {
  if (relay.isRunning()) return;
  throw new RelayDied(`the relay died: ${describeExit(relay)}\n--- relay output (last lines) ---\n${relay.output() || '(none)'}`);
}
class RelayDied extends Error {}

async function relayHealth(origin) {
  const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
  return response.json();
}

// ---------------------------------------------------------------------------------------------
// --trace: a subclass of RTCPeerConnection installed in the page that logs each negotiation step.
// The bundle looks RTCPeerConnection up on the global object when a call starts, so it uses it.

function pageInstallTrace() {
  if (window.__connectBenchTrace) return;
  const trace = (window.__connectBenchTrace = { events: [], pcs: 0 });
  const log = (pc, type) => trace.events.push({ pc, type, t: performance.now() });
  const Native = window.RTCPeerConnection;
  class TracedRTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      const id = trace.pcs++;
      Object.defineProperty(this, '__benchId', { value: id });
      log(id, 'created');
      this.addEventListener('negotiationneeded', () => log(id, 'negotiationneeded'));
      this.addEventListener('icecandidate', (e) => log(id, e.candidate?.candidate ? 'candidate' : 'gathering-done'));
      this.addEventListener('iceconnectionstatechange', () => log(id, `ice-${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => log(id, `conn-${this.connectionState}`));
      this.addEventListener('track', (e) => log(id, `track-${e.track.kind}`));
    }
    async setLocalDescription(...args) {
      log(this.__benchId, 'sld-start');
      const result = await super.setLocalDescription(...args);
      log(this.__benchId, `sld-done-${this.localDescription?.type}`);
      return result;
    }
    async setRemoteDescription(description, ...rest) {
      log(this.__benchId, `srd-start-${description?.type}`);
      const result = await super.setRemoteDescription(description, ...rest);
      log(this.__benchId, `srd-done-${description?.type}`);
      return result;
    }
    async addIceCandidate(...args) {
      log(this.__benchId, 'remote-candidate');
      return super.addIceCandidate(...args);
    }
  }
  window.RTCPeerConnection = TracedRTCPeerConnection;
}

/** Turns one trial's trace (times already relative to t0) into the phases of the negotiation. */
function tracePhases(events) {
  const first = (pc, type) => events.find((e) => (pc === undefined || e.pc === pc) && e.type === type)?.t;
  const offerer = events.find((e) => e.type === 'sld-done-offer')?.pc;
  // The element may prepare peer connections it closes unused: the answerer is the one offered to.
  const answerer = events.find((e) => e.type === 'srd-start-offer' && e.pc !== offerer)?.pc;
  if (offerer === undefined || answerer === undefined) return null;
  const both = (type) => {
    const a = first(offerer, type);
    const b = first(answerer, type);
    return a === undefined || b === undefined ? undefined : Math.max(a, b);
  };
  return {
    offererCreated: first(offerer, 'created'),
    answererCreated: first(answerer, 'created'),
    offerReady: first(offerer, 'sld-done-offer'),
    offerReceived: first(answerer, 'srd-start-offer'),
    offerApplied: first(answerer, 'srd-done-offer'),
    answerStarted: events.find((e) => e.pc === answerer && e.type === 'sld-start' && e.t >= (first(answerer, 'srd-done-offer') ?? Infinity))?.t,
    answerReady: first(answerer, 'sld-done-answer'),
    answerReceived: first(offerer, 'srd-start-answer'),
    answerApplied: first(offerer, 'srd-done-answer'),
    firstCandidate: first(undefined, 'candidate'),
    iceConnected: both('ice-connected'),
    connected: both('conn-connected'),
    offers: events.filter((e) => e.type === 'sld-done-offer').length,
  };
}

const TRACE_PHASES = [
  ['offererCreated', 'offerer: RTCPeerConnection created'],
  ['answererCreated', 'answerer: RTCPeerConnection created'],
  ['offerReady', 'offerer: offer set (setLocalDescription)'],
  ['offerReceived', 'answerer: offer received (via relay)'],
  ['offerApplied', 'answerer: offer applied'],
  ['answerStarted', 'answerer: answer asked for (setLocalDescription)'],
  ['answerReady', 'answerer: answer set'],
  ['answerReceived', 'offerer: answer received (via relay)'],
  ['answerApplied', 'offerer: answer applied'],
  ['firstCandidate', 'first local ICE candidate (either side)'],
  ['iceConnected', 'ICE connected on both'],
  ['connected', 'connectionState connected on both (DTLS)'],
];

// ---------------------------------------------------------------------------------------------
// One trial, run inside the page. Self-contained: puppeteer serialises it into the page.

/**
 * @param {string} room
 * @param {number} timeoutMs
 */
async function pageTrial(room, timeoutMs, warm, gapMs) {
  const now = () => performance.now();
  /** @type {Set<string>} */
  const pending = new Set();
  const elements = [];
  let reconnects = 0;
  let failWith;
  const failure = new Promise((_, reject) => (failWith = reject));
  failure.catch(() => {});

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
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; still pending: ${[...pending].join(', ')}; states: ${describe()}`)),
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
      el.addEventListener(type, (event) => failWith(new Error(`${label} element: ${type} ${JSON.stringify(event.detail)} (states: ${describe()})`)));
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
        const { connections } = await (await fetch('/healthz')).json();
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
      frameCallbackLag: Math.round(Math.max(at.firstFrame.callbackAt - at.firstFrame.at, at.secondFrame.callbackAt - at.secondFrame.at) * 10) / 10,
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
    if (notEnded.length) throw new Error(`after hangUp() an element did not reach ended within ${timeoutMs} ms (states: ${notEnded.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Per browser

async function benchBrowser(kind, { origin, relay, baselines }, options, log) {
  const launchStarted = performance.now();
  const launch = launchOptions(kind);
  // Firefox rounds performance.now() to 1 ms by default (a fingerprinting defence): medians of
  // whole milliseconds tie. Full precision for the measurement.
  if (kind === 'firefox') launch.extraPrefsFirefox = { ...launch.extraPrefsFirefox, 'privacy.reduceTimerPrecision': false };
  const browser = await puppeteer.launch({
    ...launch,
    // Our own SIGINT/SIGTERM handlers close the browser after the relay's cleanup is queued.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const closeBrowser = () => browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  cleanups.add(closeBrowser);
  try {
    const launchMs = Math.round(performance.now() - launchStarted);
    const version = await browser.version();
    const page = await openWindow(browser);
    /** @type {string[]} */
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
    page.on('console', (message) => {
      const text = message.text();
      // the demo page has no favicon
      if (message.type() === 'error' && !/favicon|status of 404/.test(text)) pageErrors.push(text);
    });
    const loadPage = async () => {
      await page.goto(`${origin}/`, { waitUntil: 'load', timeout: options.timeout });
      await withTimeout(
        page.evaluate(() => customElements.whenDefined('p2p-video-call').then(() => true)),
        options.timeout,
        `customElements.whenDefined('p2p-video-call') in ${kind} (page errors: ${summarizeErrors(pageErrors) || 'none'})`,
      );
      const secure = await page.evaluate(() => isSecureContext);
      if (!secure) throw new Error(`${origin}/ is not a secure context in ${kind}`);
      if (options.trace) await page.evaluate(pageInstallTrace);
    };
    await loadPage();
    // PeerJS and the floor, in a window of their own, kept open like the product's.
    const basePage = baselines ? await openWindow(browser) : null;
    if (basePage) await basePage.goto(`${baselines.origin}/`, { waitUntil: 'load', timeout: options.timeout });
    /** @type {Record<string, { warmups: object[], trials: object[], failures: string[] }>} */
    const others = Object.fromEntries(BASELINES.map(([name]) => [name, { warmups: [], trials: [], failures: [] }]));

    const warmups = [];
    const trials = [];
    const failures = [];
    const total = options.warmup + options.trials;
    for (let i = 0; i < total; i++) {
      if (interrupted) throw new Error('interrupted');
      assertRelayRunning(relay);
      pageErrors.length = 0;
      const warmup = i < options.warmup;
      const label = warmup ? `warm-up ${i + 1}` : `trial ${i - options.warmup + 1}`;
      const room = `bench-${kind}-${Date.now().toString(36)}-${i}`;
      if (options.freshPage && i > 0) await loadPage();
      if (options.quietWait > 0) await waitForQuiet(options.quietWait);
      const cpuBefore = cpuSnapshot();
      try {
        const result = await withTimeout(
          page.evaluate(pageTrial, room, options.timeout, options.warm, options.gap),
          // the page bounds each of its waits; this bounds the whole evaluate on top
          options.timeout * 3 + 5000,
          `${label} in ${kind}: page.evaluate did not return`,
        );
        // Let the relay forget the room before the next trial: no connection may be left.
        await waitFor(
          async () => {
            const health = await relayHealth(origin);
            return health.connections === 0 && health.participants === 0 ? health : null;
          },
          { timeout: options.timeout, interval: 20, message: `the relay to show 0 connections after ${label}` },
        );
        result.otherCores = otherCores(cpuBefore, cpuSnapshot());
        if (result.trace) result.phases = tracePhases(result.trace);
        (warmup ? warmups : trials).push({ room, ...result });
        log.progress(
          `${BROWSER_LABEL[kind]} ${label}: connected ${result.connectedBoth} ms, first frame ${result.frameBoth} ms` +
            (result.otherCores === null ? '' : ` (other processes: ${result.otherCores} cores)`),
        );
      } catch (error) {
        if (interrupted) throw error;
        // give the relay's exit a moment to be noticed: a refused connection usually means it died
        await Promise.race([relay.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
        assertRelayRunning(relay);
        const message = `${BROWSER_LABEL[kind]} ${label} FAILED: ${error.message}${pageErrors.length ? `\n  page errors: ${summarizeErrors(pageErrors)}` : ''}`;
        failures.push({ trial: label, room, error: message });
        log.error(message);
        // Leave nothing behind for the next trial.
        await page.evaluate(() => document.querySelectorAll('p2p-video-call[room^="bench-"]').forEach((el) => (el.hangUp(), el.remove()))).catch(() => {});
      }
      // The baselines right after, under the same conditions.
      for (const [name, label] of basePage ? BASELINES : []) {
        const cpu = cpuSnapshot();
        try {
          const result = await basePage.evaluate(pageBaselineTrial, name, baselines.peerPort, options.timeout, options.warm, options.gap);
          result.otherCores = otherCores(cpu, cpuSnapshot());
          (warmup ? others[name].warmups : others[name].trials).push(result);
          log.progress(`${BROWSER_LABEL[kind]} ${label} ${label2(warmup, i, options)}: connected ${Math.round(result.connectedBoth)} ms, first frame ${Math.round(result.frameBoth)} ms`);
        } catch (error) {
          const message = `${BROWSER_LABEL[kind]} ${label} ${label2(warmup, i, options)} FAILED: ${error.message}`;
          others[name].failures.push(message);
          log.error(message);
        }
      }
    }
    return { browser: kind, version, launchMs, warmups, trials, failures, baselines: basePage ? others : null };
  } finally {
    cleanups.delete(closeBrowser);
    await withTimeout(closeBrowser(), 15_000, `closing ${kind}`).catch(() => browser.process()?.kill('SIGKILL'));
  }
}

/** The baselines, measured after each product trial (bench/connect-baselines.mjs). */
const BASELINES = [
  ['peerjs', 'PeerJS 1.5.5 + peer 1.0.2'],
  ['floor', 'in-page floor'],
];
const label2 = (warmup, i, options) => (warmup ? `warm-up ${i + 1}` : `trial ${i - options.warmup + 1}`);

/** Distinct messages with their counts, at most five. */
function summarizeErrors(errors) {
  const counts = new Map();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  const lines = [...counts].slice(0, 5).map(([e, n]) => (n > 1 ? `${e} (×${n})` : e));
  if (counts.size > 5) lines.push(`… ${counts.size - 5} more`);
  return lines.join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

/** median (mean of the two middle values for an even count), p90 (nearest rank), min, max */
function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)];
  const round = (v) => Math.round(v * 10) / 10;
  return { n, median: round(median), p90: round(p90), min: round(sorted[0]), max: round(sorted[n - 1]) };
}

const METRICS = [
  ['connectedBoth', '(a) call-connected on both'],
  ['frameBoth', '(b) first remote frame on both'],
  ['firstConnected', '    first element call-connected'],
  ['secondConnected', '    second element call-connected'],
  ['secondMediaReady', '    second: getUserMedia done (media-ready)'],
  ['secondJoined', '    second: joined, negotiating'],
  ['firstPeerJoined', '    first: peer-joined'],
  ['firstFrame', '    first element remote frame'],
  ['secondFrame', '    second element remote frame'],
];

/**
 * A fixed piece of CPU work (hashing, then an integer loop), in ms: the same machine kind can be
 * faster or slower from one run to the next (a VM's neighbours), which shows here.
 */
function cpuProbe() {
  const buffer = Buffer.alloc(1 << 20, 7);
  const started = performance.now();
  for (let i = 0; i < 100; i++) createHash('sha256').update(buffer).digest();
  let x = 0;
  for (let i = 0; i < 1.5e7; i++) x = (x + i * 7) % 1000003;
  return Math.round(performance.now() - started) + (x < 0 ? 1 : 0);
}

async function machineInfo() {
  // one second of the machine before anything of ours starts: is someone else using it?
  const before = cpuSnapshot();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const otherCoresBefore = otherCores(before, cpuSnapshot());
  const loadavg = os.loadavg().map((v) => Math.round(v * 100) / 100);
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) osName = `${pretty}, kernel ${os.release()}`;
  } catch {
    // not Linux
  }
  return {
    node: process.version,
    nproc: NPROC,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    network: Object.values(os.networkInterfaces()).flat().every((a) => a?.internal) ? 'loopback only' : 'NOT loopback-only',
    loadavg,
    otherCoresBefore,
    cpuProbeMs: cpuProbe(),
  };
}

function commandLine() {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  const direct = ['node', 'bench/connect-time.mjs', ...args].join(' ');
  if (process.env.npm_lifecycle_event === 'bench:connect') {
    return `npm run bench:connect${args.length ? ` -- ${args.join(' ')}` : ''}   (= npm run build && sh scripts/loopback-only.sh ${direct})`;
  }
  return direct;
}

function pad(value, width) {
  return String(value).padStart(width);
}

function renderText(report, options) {
  const out = [];
  const m = report.machine;
  out.push('p2p-video-call: time to connect (two <p2p-video-call> elements in one page, real relay)');
  out.push(`command: ${report.command}`);
  out.push(`machine: node ${m.node}, nproc ${m.nproc} (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, network: ${m.network}`);
  out.push(
    `load:    before the run, other processes used ${m.otherCoresBefore ?? '?'} of ${m.nproc} cores; load average ${m.loadavg.join(' ')}; ` +
      `CPU probe ${m.cpuProbeMs} ms before, ${report.cpuProbeAfterMs ?? '?'} ms after (a fixed piece of work, to compare runs)`,
  );
  out.push(`relay:   ${report.relay}`);
  out.push(
    `trials:  ${options.trials} per browser, each in a fresh room (+${options.warmup} warm-up, not counted); every wait bounded at ${options.timeout} ms` +
      `; the second visitor arrives ${options.gap} ms after the first is waiting` +
      (options.quietWait ? `; up to ${options.quietWait} s wait for a quiet machine before each` : '') +
      (options.freshPage ? '; the page is loaded again before each trial' : '; all trials in one page'),
  );
  if (options.warm) {
    out.push('times:   WARM: ms from the second element\'s start() (t0), its camera open and its relay connection up (preview());');
    out.push('         the first one waits alone in the room; the join and the negotiation are included');
  } else {
    out.push('times:   ms from inserting the second element (t0) while the first one waits alone in the room;');
    out.push('         the second element\'s getUserMedia (fake devices), WebSocket connection, join and negotiation are included');
  }
  for (const b of report.browsers) {
    out.push('');
    if (b.error) {
      out.push(`${BROWSER_LABEL[b.browser]}: FAILED: ${b.error}`);
      continue;
    }
    out.push(`${BROWSER_LABEL[b.browser]} (${b.version}, headless; launch ${b.launchMs} ms): ${b.trials.length}/${options.trials} trials succeeded`);
    out.push(`  ${'metric'.padEnd(44)}${pad('median', 8)}${pad('p90', 8)}${pad('min', 8)}${pad('max', 8)}`);
    for (const [key, label] of METRICS) {
      const s = b.stats[key];
      if (!s) continue;
      out.push(`  ${label.padEnd(44)}${pad(s.median, 8)}${pad(s.p90, 8)}${pad(s.min, 8)}${pad(s.max, 8)}`);
    }
    if (b.stats.baselines) {
      const product = { connectedBoth: b.stats.connectedBoth, frameBoth: b.stats.frameBoth };
      const peer = b.stats.baselines.peerjs;
      const floor = b.stats.baselines.floor;
      const ratio = (x, y) => (x && y ? `${(x.median / y.median).toFixed(2)}x` : '-');
      const t0 = options.warm ? 'the second visitor calls, its camera and its server connection ready' : 'the second visitor starts, before its camera and its signaling connection';
      out.push(`  same run, same method (t0: ${t0}):`);
      out.push(`    ${'implementation'.padEnd(28)}${pad('connected', 11)}${pad('p90', 7)}${pad('frame', 8)}${pad('p90', 7)}   frame vs PeerJS   frame vs floor   connected vs PeerJS`);
      for (const [label, st] of [['<p2p-video-call>', product], ['PeerJS 1.5.5 + peer 1.0.2', peer], ['in-page floor', floor]]) {
        if (!st?.connectedBoth) continue;
        out.push(
          `    ${label.padEnd(28)}${pad(st.connectedBoth.median, 11)}${pad(st.connectedBoth.p90, 7)}${pad(st.frameBoth.median, 8)}${pad(st.frameBoth.p90, 7)}` +
            `   ${ratio(st.frameBoth, peer?.frameBoth).padStart(15)}   ${ratio(st.frameBoth, floor?.frameBoth).padStart(14)}   ${ratio(st.connectedBoth, peer?.connectedBoth).padStart(19)}`,
        );
      }
      out.push(`    first frame sizes: PeerJS ${peer?.frameSizes.join(', ')}; floor ${floor?.frameSizes.join(', ')}`);
      for (const [name, label] of BASELINES) for (const f of b.baselines[name].failures) out.push(`  FAILED ${label}: ${f}`);
    }
    const alone = b.stats.firstToWaiting;
    const aloneMedia = b.stats.firstToMediaReady;
    if (alone) {
      out.push(
        `  first element alone (before t0), insert → waiting: median ${alone.median}, p90 ${alone.p90}, min ${alone.min}, max ${alone.max}` +
          ` (of which getUserMedia: median ${aloneMedia.median})`,
      );
    }
    const other = b.stats.otherCores;
    if (other) {
      out.push(
        `  other processes on the machine during the trials: median ${other.median} cores, max ${other.max} (of ${m.nproc}); load average after: ${b.loadavgAfter.join(' ')}`,
      );
      if (other.median >= QUIET_CORES) out.push(`  WARNING: the machine was busy with other work during these trials: the figures above are inflated`);
      const q = b.stats.quiet;
      if (q.trials < b.trials.length) {
        out.push(
          `  the ${q.trials} trials in which other processes used < ${QUIET_CORES} cores:` +
            (q.trials ? ` (a) median ${q.connectedBoth.median}, p90 ${q.connectedBoth.p90}; (b) median ${q.frameBoth.median}, p90 ${q.frameBoth.p90}` : ''),
        );
      }
    }
    if (b.stats.phases) {
      out.push(`  --trace breakdown (ms from t0; RTCPeerConnection wrapped)       median     p90     min     max`);
      for (const [key, label] of TRACE_PHASES) {
        const s = b.stats.phases[key];
        if (s) out.push(`    ${label.padEnd(58)}${pad(s.median, 8)}${pad(s.p90, 8)}${pad(s.min, 8)}${pad(s.max, 8)}`);
      }
      const glare = b.trials.filter((t) => (t.phases?.offers ?? 0) > 1).length;
      out.push(`    trials with more than one offer (renegotiation/glare): ${glare}`);
    }
    for (const [i, w] of b.warmups.entries()) {
      out.push(
        `  warm-up ${i + 1} (excluded): (a) ${w.connectedBoth}, (b) ${w.frameBoth}, ${options.warm ? '' : `second's getUserMedia ${w.secondMediaReady}; `}first alone → waiting ${w.firstToWaiting} (getUserMedia ${w.firstToMediaReady})` +
          (w.otherCores === null ? '' : `, other processes ${w.otherCores} cores`),
      );
    }
    const sizes = [...new Set(b.trials.flatMap((t) => t.frameSizes))];
    const lag = summarize(b.trials.map((t) => t.frameCallbackLag));
    if (sizes.length) out.push(`  first remote frame size(s): ${sizes.join(', ')}; rVFC callback ran ${lag?.median} ms (median) after presentationTime`);
    if (options.perTrial) {
      out.push(`  per trial, (a) connected: ${b.trials.map((t) => t.connectedBoth).join(' ')}`);
      out.push(`  per trial, (b) frame:     ${b.trials.map((t) => t.frameBoth).join(' ')}`);
      out.push(`  per trial, other cores:   ${b.trials.map((t) => t.otherCores).join(' ')}`);
    }
    const restarted = b.trials.filter((t) => t.reconnects > 0).length;
    if (restarted) out.push(`  NOTE: ${restarted} trials saw call-reconnecting (an ICE restart) during the set-up`);
    for (const f of b.failures) out.push(`  FAILED ${f.error}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    process.stderr.write(`connect-time: ${error.message}\n${usage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage());
    return 0;
  }
  assertLoopbackOnly('bench/connect-time.mjs (it starts browsers that use WebRTC)');

  const log = {
    // progress goes to stderr so that stdout is only the report (text or JSON)
    progress: (line) => process.stderr.write(`  ${line}\n`),
    error: (line) => process.stderr.write(`\n*** ${line}\n\n`),
  };
  const machine = await machineInfo();
  const { origin, relay, command: relayCommand } = await startRelay();
  log.progress(`relay up at ${origin}`);
  const baselines = options.baselines ? await startBaselines() : null;
  if (baselines) cleanups.add(() => baselines.stop());

  const report = {
    command: commandLine(),
    machine,
    relay: relayCommand.replace(/--port \d+/, '--port <free port>'),
    options: {
      trials: options.trials,
      warmup: options.warmup,
      timeoutMs: options.timeout,
      quietWaitSeconds: options.quietWait,
      gapMs: options.gap,
      freshPage: options.freshPage,
      trace: options.trace,
      warm: options.warm,
    },
    browsers: [],
  };
  for (const kind of options.browsers) {
    if (interrupted) break;
    log.progress(`${BROWSER_LABEL[kind]}: launching`);
    try {
      const result = await benchBrowser(kind, { origin, relay, baselines }, options, log);
      const stats = {};
      for (const key of [...METRICS.map(([k]) => k), 'firstToWaiting', 'firstToMediaReady', 'otherCores']) {
        stats[key] = summarize(result.trials.map((t) => t[key]).filter(Number.isFinite));
      }
      const quiet = result.trials.filter((t) => typeof t.otherCores === 'number' && t.otherCores < QUIET_CORES);
      stats.quiet = {
        trials: quiet.length,
        connectedBoth: summarize(quiet.map((t) => t.connectedBoth)),
        frameBoth: summarize(quiet.map((t) => t.frameBoth)),
      };
      if (options.trace) {
        stats.phases = {};
        for (const [key] of TRACE_PHASES) {
          stats.phases[key] = summarize(result.trials.map((t) => t.phases?.[key]).filter((v) => typeof v === 'number'));
        }
      }
      if (result.baselines) {
        stats.baselines = {};
        for (const [name] of BASELINES) {
          const b = result.baselines[name];
          stats.baselines[name] = {
            connectedBoth: summarize(b.trials.map((t) => t.connectedBoth)),
            frameBoth: summarize(b.trials.map((t) => t.frameBoth)),
            otherCores: summarize(b.trials.map((t) => t.otherCores).filter((v) => typeof v === 'number')),
            frameSizes: [...new Set(b.trials.flatMap((t) => t.frameSizes))],
          };
        }
      }
      result.loadavgAfter = os.loadavg().map((v) => Math.round(v * 100) / 100);
      report.browsers.push({ ...result, stats });
    } catch (error) {
      if (interrupted) break;
      log.error(`${BROWSER_LABEL[kind]} FAILED: ${error instanceof RelayDied ? error.message : (error.stack ?? error)}`);
      report.browsers.push({ browser: kind, error: String(error.message ?? error), trials: [], warmups: [], failures: [] });
      if (error instanceof RelayDied) break; // nothing more can be measured
    }
  }
  await cleanupAll();
  if (interrupted) return 130;
  report.cpuProbeAfterMs = cpuProbe(); // the signal handler exits; print no partial report

  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderText(report, options)}\n`);
  const ok = report.browsers.every((b) => !b.error && b.failures.length === 0 && b.trials.length === options.trials);
  return ok ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanupAll();
    // peer 1.0.2's PeerServer keeps interval timers (message expiry, broken-connection checks)
    // that its close() does not stop: exit rather than wait for an event loop that never drains.
    process.exit(code);
  },
  async (error) => {
    // expected failures (not in the namespace, not built, relay down) read best without a stack
    const expected = /loopback-only network namespace|npm run build|the relay/.test(String(error?.message));
    process.stderr.write(`connect-time: ${expected ? error.message : (error.stack ?? error)}\n`);
    await cleanupAll();
    process.exitCode = 1;
  },
);
