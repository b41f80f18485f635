// Node-side end-to-end harness: real browsers (puppeteer-core), the real relay CLI as a child
// process, a real coturn. For tests that need two different browsers in one call, or that kill
// processes. Run with `npm run test:e2e` (node's test runner via tsx, inside the loopback-only
// namespace). Every helper waits with a bound; none sleeps as synchronisation.
//
// Clean up in hooks so that a failing test leaves nothing behind:
//
//   const browser = await launchBrowser('firefox');
//   t.after(() => closeBrowser(browser));

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { assertLoopbackOnly, launchOptions, openWindow, type BrowserKind } from '../support/browsers.mjs';
import { describeExit, freePort, LOOPBACK_CLIENTS_ENV, spawnManaged, type ManagedProcess } from '../support/processes.mjs';
import { readMetrics } from '../support/metrics.mjs';
import { GiveUp, waitFor, withTimeout } from '../support/wait.mjs';
import { countFrames as framesOf, type FrameCount } from '../helpers/video-frames.js';

export { startCoturn, turnCredentials, type Coturn, type CoturnOptions } from '../support/coturn.mjs';
export { freePort } from '../support/processes.mjs';
export { GiveUp, waitFor, withTimeout, type WaitOptions } from '../support/wait.mjs';
export type { BrowserKind };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RELAY_CLI = fileURLToPath(new URL('../../lib/server/cli/cli.js', import.meta.url));
const RELAY_SOURCE = fileURLToPath(new URL('../../server/cli/cli.ts', import.meta.url));
const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------
// Browsers

/**
 * Launches Debian's Chromium (CDP) or Firefox (WebDriver BiDi) headless, with the fake-media,
 * loopback-ICE and no-phoning-home flags/prefs of test/support/browsers.mjs.
 *
 * @example
 *   const browser = await launchBrowser('chromium');
 *   t.after(() => closeBrowser(browser));
 */
export async function launchBrowser(kind: BrowserKind): Promise<Browser> {
  assertLoopbackOnly(`launchBrowser('${kind}')`);
  return puppeteer.launch(launchOptions(kind));
}

/** Closes `browser`, SIGKILLing it if it has not closed within `timeout` ms. Never throws. */
export async function closeBrowser(browser: Browser, timeout = 10_000): Promise<void> {
  try {
    await withTimeout(browser.close(), timeout, 'browser.close()');
  } catch {
    browser.process()?.kill('SIGKILL');
  }
}

/**
 * tsx compiles this harness and the tests with esbuild's keepNames, which wraps named functions
 * in `__name(fn, "name")`, also inside functions passed to `page.evaluate()`: the page then
 * throws "__name is not defined". Defining it in the page as the identity fixes that. (A string
 * is evaluated as is, so this line itself is not rewritten.)
 */
const NAME_SHIM = 'globalThis.__name ??= (fn) => fn;';

/** Makes `page.evaluate(fn)` safe for functions compiled by tsx (see NAME_SHIM). */
export async function installNameShim(page: Page): Promise<void> {
  await page.evaluate(NAME_SHIM);
}

/**
 * Opens `url` in a new window of `browser` (not a background tab, whose timers are throttled and
 * whose video is not painted). Windows of one browser are created one after another. Every
 * document of the page gets the `__name` shim, so `page.evaluate()` may be given any function.
 */
export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await openWindow(browser);
  await page.evaluateOnNewDocument(NAME_SHIM);
  await page.goto(url);
  return page;
}

// ---------------------------------------------------------------------------------------------
// The relay CLI as a child process

export interface RelayProcessOptions {
  /** Port to listen on (default: a free one). `restart()` reuses it. */
  port?: number;
  /** Extra environment: TURN_URLS, TURN_SECRET, ROOM_CAPACITY, TOKEN_SECRET, LOG_LEVEL… */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /healthz, in ms (default 15000). */
  startTimeout?: number;
  /** Run `server/cli/cli.ts` through tsx instead of the built `lib/server/cli/cli.js` (node tests). */
  fromSource?: boolean;
}

export interface RelayProcess {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Its metrics listener (`METRICS_PORT`, a free port): `http://127.0.0.1:PORT/metrics`. */
  readonly metricsUrl: string;
  /** Its metrics now: every sample by its name with labels, e.g. `p2p_video_call_participants`. */
  metrics(): Promise<Map<string, number>>;
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** The last lines of its stdout+stderr. */
  output(): string;
  /** SIGTERM (SIGKILL after 5 s); resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash; resolves when it has exited. */
  kill(): Promise<void>;
  /** Stops it if it still runs, then starts it again on the same port; resolves once /healthz answers. */
  restart(): Promise<void>;
}

/**
 * Starts the real relay, `node lib/server/cli/cli.js --port N --host 127.0.0.1` (built by
 * `npm run build`), with `LOG_LEVEL=warn` unless `env` says otherwise, and resolves once
 * `/healthz` answers 200.
 *
 * @example
 *   const turn = await startCoturn();
 *   const relay = await startRelayProcess({ env: { TURN_URLS: turn.urls.join(','), TURN_SECRET: turn.secret } });
 *   t.after(() => relay.stop());
 */
export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const cli = options.fromSource ? ['--import', 'tsx', RELAY_SOURCE] : [RELAY_CLI];
  if (!options.fromSource && !existsSync(RELAY_CLI)) {
    throw new Error(`${RELAY_CLI} does not exist: build first (npm run build)`);
  }
  const port = options.port ?? (await freePort({ host: HOST }));
  const url = `http://${HOST}:${port}`;
  const metricsPort = await freePort({ host: HOST });
  const metricsUrl = `http://${HOST}:${metricsPort}/metrics`;
  const env = { ...process.env, LOG_LEVEL: 'warn', ...LOOPBACK_CLIENTS_ENV, METRICS_PORT: String(metricsPort), ...options.env };
  const startTimeout = options.startTimeout ?? 15_000;
  let proc: ManagedProcess;

  const launch = async () => {
    const current = spawnManaged(process.execPath, [...cli, '--port', String(port), '--host', HOST], {
      env,
      cwd: ROOT,
      name: `relay ${url}`,
    });
    proc = current;
    try {
      await waitFor(
        async () => {
          if (!current.isRunning()) throw new GiveUp(describeExit(current));
          const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
          await response.body?.cancel();
          return response.ok;
        },
        { timeout: startTimeout, interval: 50, message: `${url}/healthz to answer 200` },
      );
    } catch (error) {
      await current.kill().catch(() => {
        // Gone already: the start failure below is what matters.
      });
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n--- relay output ---\n${current.output()}`, { cause: error });
    }
  };
  await launch();

  return {
    url,
    port,
    metricsUrl,
    metrics: () => readMetrics(metricsUrl),
    get pid() {
      return proc.pid;
    },
    isRunning: () => proc.isRunning(),
    output: () => proc.output(),
    async stop() {
      await proc.stop();
    },
    async kill() {
      await proc.kill();
    },
    async restart() {
      await proc.stop();
      await launch();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events of <p2p-video-call> elements, recorded in the page

/** Every event of the element's contract (DESIGN.md). */
export const CALL_EVENTS = [
  'call-state-change',
  'media-ready',
  'media-error',
  'peer-joined',
  'call-connected',
  'call-reconnecting',
  'remote-media-change',
  'peer-left',
  'call-ended',
  'call-error',
  'devices-change',
  'device-change',
  'screen-share-change',
  'quality-change',
] as const;

export interface RecordedEvent {
  type: string;
  /** `event.detail`, made JSON-safe (a MediaStream becomes `{ kind: 'MediaStream', id, tracks }`). */
  detail: unknown;
  /** The element's id, else its `name` attribute, else `selector[index]`. */
  target: string;
  /** Index of the element among `document.querySelectorAll(selector)` when the event fired. */
  index: number;
  /** `performance.now()` in the page. */
  time: number;
  /** Position in the page's log (0-based); pass `seq + 1` or `log.count()` as `since`. */
  seq: number;
}

export interface WaitForEventOptions {
  /** Give up after this many ms (default 10000). */
  timeout?: number;
  /** Only events with `seq >= since` count (default 0: any since recording started). */
  since?: number;
  /** Only events for which this returns true count. */
  where?: (event: RecordedEvent) => boolean;
}

export interface EventLog {
  /** Every event recorded so far in the page's current document. */
  all(): Promise<RecordedEvent[]>;
  /** How many events are recorded so far: a mark to pass as `since`. */
  count(): Promise<number>;
  /** `waitForEvent(page, name, options)` */
  waitFor(name: string, options?: WaitForEventOptions): Promise<RecordedEvent>;
}

declare global {
  interface Window {
    __p2pEventLog?: { events: RecordedEvent[]; listening: string[] };
  }
}

/**
 * Starts recording `eventNames` fired by elements matching `selector` in the page's current
 * document (a listener on `window`, so elements added later count too; the events bubble and are
 * composed). Call it before the action whose events you wait for; then nothing can be missed.
 *
 * @example
 *   const log = await recordEvents(page);
 *   await page.evaluate(() => document.querySelector('p2p-video-call')!.setAttribute('room', 'r1'));
 *   const connected = await log.waitFor('call-connected', { timeout: 15_000 });
 */
export async function recordEvents(
  page: Page,
  selector = 'p2p-video-call',
  eventNames: readonly string[] = CALL_EVENTS,
): Promise<EventLog> {
  await installNameShim(page);
  await page.evaluate(
    (selector: string, names: string[]) => {
      const log = (window.__p2pEventLog ??= { events: [], listening: [] });
      const jsonSafe = (value: unknown): unknown => {
        const seen = new WeakSet<object>();
        return JSON.parse(
          JSON.stringify(value ?? null, (_key, v: unknown) => {
            if (typeof MediaStream !== 'undefined' && v instanceof MediaStream) {
              return {
                kind: 'MediaStream',
                id: v.id,
                tracks: v.getTracks().map((t) => ({ kind: t.kind, enabled: t.enabled, readyState: t.readyState })),
              };
            }
            if (v instanceof Error || (typeof DOMException !== 'undefined' && v instanceof DOMException)) {
              return { name: v.name, message: v.message };
            }
            if (typeof v === 'object' && v !== null) {
              if (seen.has(v)) return '[circular]';
              seen.add(v);
            }
            return typeof v === 'function' ? undefined : v;
          }),
        );
      };
      for (const name of names) {
        const key = `${name} ${selector}`;
        if (log.listening.includes(key)) continue;
        log.listening.push(key);
        window.addEventListener(
          name,
          (event) => {
            const el = event.target;
            if (!(el instanceof Element) || !el.matches(selector)) return;
            const index = [...document.querySelectorAll(selector)].indexOf(el);
            log.events.push({
              type: event.type,
              detail: jsonSafe((event as CustomEvent).detail),
              target: el.id || el.getAttribute('name') || `${selector}[${index}]`,
              index,
              time: performance.now(),
              seq: log.events.length,
            });
          },
          { capture: true },
        );
      }
    },
    selector,
    [...eventNames],
  );
  return {
    all: () => page.evaluate(() => window.__p2pEventLog?.events ?? []),
    count: () => page.evaluate(() => window.__p2pEventLog?.events.length ?? 0),
    waitFor: (name, options) => waitForEvent(page, name, options),
  };
}

/**
 * Resolves with the first recorded `name` event (with `seq >= since`, matching `where`); throws
 * after `timeout` ms listing the events seen. Starts recording `name` on `p2p-video-call`
 * elements if `recordEvents` was not called (events fired before that are then missed).
 *
 * @example
 *   const mark = await log.count();
 *   await relay.kill();
 *   await waitForEvent(page, 'call-reconnecting', { since: mark, timeout: 5000 });
 */
export async function waitForEvent(page: Page, name: string, options: WaitForEventOptions | number = {}): Promise<RecordedEvent> {
  const { timeout = 10_000, since = 0, where = () => true } = typeof options === 'number' ? { timeout: options } : options;
  const installed = await page.evaluate(
    (name: string) => window.__p2pEventLog?.listening.some((key) => key.startsWith(`${name} `)) ?? false,
    name,
  );
  if (!installed) await recordEvents(page, 'p2p-video-call', [name]);
  let seen: RecordedEvent[] = [];
  try {
    return await waitFor(
      async () => {
        seen = await page.evaluate(() => window.__p2pEventLog?.events ?? []);
        return seen.find((event) => event.seq >= since && event.type === name && where(event));
      },
      { timeout, interval: 25, message: `event ${name}` },
    );
  } catch (error) {
    const summary = seen.map((e) => `  #${e.seq} ${e.target} ${e.type} ${JSON.stringify(e.detail)}`).join('\n');
    throw new Error(`${(error as Error).message}\nevents recorded:\n${summary || '  (none)'}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Video

export type { FrameCount } from '../helpers/video-frames.js';

/** The `<video>` matched by `selector` (parts separated by `>>>` cross open shadow roots). */
function findVideo(page: Page, selector: string) {
  return page.evaluateHandle((selector: string) => {
    const deepQuery = (root: ParentNode, part: string): Element | null => {
      const found = root.querySelector(part);
      if (found) return found;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && deepQuery(el.shadowRoot, part);
        if (inner) return inner;
      }
      return null;
    };
    let node: Element | null = null;
    let scope: ParentNode = document;
    for (const part of selector.split('>>>').map((s) => s.trim())) {
      node = deepQuery(scope, part);
      if (!node) throw new Error(`countFrames: nothing matches ${JSON.stringify(part)} in ${JSON.stringify(selector)}`);
      scope = node.shadowRoot ?? node;
    }
    if (!(node instanceof HTMLVideoElement)) throw new Error(`countFrames: ${selector} is not a <video>`);
    return node;
  }, selector);
}

/**
 * Counts the frames the `<video>` matched by `selector` presents during `ms`, with
 * `video.requestVideoFrameCallback` (Firefox's getVideoPlaybackQuality() stays 0 for a camera
 * stream, and `currentTime` advances even when a track is disabled). `selector` can cross open
 * shadow roots with `>>>`, and each part is also searched inside shadow roots:
 * `'p2p-video-call#alice >>> [part="remote-video"]'`.
 */
export async function countFrames(page: Page, selector: string, ms: number): Promise<FrameCount> {
  await installNameShim(page);
  const video = await findVideo(page, selector);
  try {
    // The same counter the browser tests use, run in the page.
    return await page.evaluate(framesOf, video, ms);
  } finally {
    await video.dispose();
  }
}

declare global {
  interface Window {
    __p2pFrameTimes?: number[];
  }
}

/**
 * Starts recording, in the page, the wall-clock time (ms since the epoch, as `Date.now()` in
 * node) of every frame the `<video>` matched by `selector` presents, to tell when video came
 * back after an outage: {@link firstFrameAfter}. The same selector forms as {@link countFrames}.
 */
export async function recordFrameTimes(page: Page, selector: string): Promise<void> {
  await installNameShim(page);
  const video = await findVideo(page, selector);
  try {
    await page.evaluate((video: HTMLVideoElement) => {
      const times = (window.__p2pFrameTimes = []) as number[];
      const onFrame = () => {
        times.push(performance.timeOrigin + performance.now());
        if (times.length > 4000) times.splice(0, 2000);
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }, video);
  } finally {
    await video.dispose();
  }
}

/**
 * Resolves with the time (epoch ms) of the first frame presented after `since` (epoch ms) and
 * at least `frames` frames in all after it (default 3: video moving, not one stray frame), as
 * recorded by {@link recordFrameTimes}; throws after `timeout` ms.
 */
export async function firstFrameAfter(page: Page, since: number, { timeout = 10_000, frames = 3 } = {}): Promise<number> {
  return waitFor(
    () =>
      page.evaluate(
        (since: number, frames: number) => {
          const after = (window.__p2pFrameTimes ?? []).filter((t) => t > since);
          return after.length >= frames ? after[0] : undefined;
        },
        since,
        frames,
      ),
    { timeout, interval: 25, message: `${frames} frames after ${new Date(since).toISOString()}` },
  );
}
