#!/usr/bin/env node
// Data benchmark: how fast a file goes from one visitor to the other with sendFile(), against a
// bare RTCDataChannel sending the same bytes in the same run (the floor), and how much the
// sender's JavaScript heap grows while it sends 1 GiB.
//
//   npm run bench:data                       (builds, then runs this in a loopback-only namespace)
//   npm run bench:data -- --trials 5 --mib 64 --pairs chromium-firefox,chromium-chromium --memory-mib 1024
//
// Per pair (sender's browser → receiver's browser; each visitor in a browser process of its own,
// as two people are):
//   product  two visitors of the demo page served by the real relay CLI, in a new room through
//            `?room=…&autostart`, the receiver's max-file-size raised to 4 GiB; a trial is
//            sendFile(blob) on the sender, timed until it resolves (the receiver has every byte
//            and said so);
//   floor    two bare RTCPeerConnections, one page in each browser, their descriptions passed by
//            this script, a negotiated data channel; the same Blob read in the same 1 MiB slices,
//            the same 65,532-byte chunks, the same 4 MiB / 1 MiB buffer bounds, the receiver
//            keeping the chunks and making a Blob of them, then saying so: timed the same way.
// Trials alternate product and floor (which goes first swaps every round). Each trial records the
// cores other processes used meanwhile; a trial with more than 0.25 is marked busy and the
// figures are given for all trials and for quiet ones.
// Memory (Chromium sender): 1 GiB (one random MiB repeated) sent with sendFile(); the sender
// page's JS heap with the ArrayBuffers' contents (CDP Runtime.getHeapUsage: usedSize +
// backingStorageSize; after a forced GC before), sampled every 100 ms, and every second after a
// forced GC: the peak of what it holds (the target), and the peak with its garbage.
//
// Options: --trials N (default 5), --mib N (file size, default 64), --pairs (default
// chromium-firefox,chromium-chromium), --memory-mib N (default 1024; 0 skips it), --json.
// Progress goes to stderr, the report to stdout; exit status 0 when every trial was measured.

/* global window, document */
import puppeteer from 'puppeteer-core';
import { assertLoopbackOnly, launchOptions, openWindow } from '../test/support/browsers.mjs';
import { withTimeout } from '../test/support/wait.mjs';
import { cleanupAll, cleanups, stopOnSignals } from './connect/cleanup.mjs';
import { startRelay } from './connect/relay.mjs';
import { commandLine } from './connect/report.mjs';
import {
  pageFloorAnswered,
  pageFloorClose,
  pageFloorDescribe,
  pageFloorSend,
  pageFloorSetUp,
  pageMakeBlob,
  pageProductConnected,
  pageProductReceive,
  pageProductSend,
} from './data/page.mjs';
import { cpuSnapshot, machineInfo, otherCores, QUIET_CORES } from './support/machine-load.mjs';
import { times } from './support/report.mjs';
import { median, round1 } from './support/statistics.mjs';

stopOnSignals();

function parseOptions(argv) {
  const options = { trials: 5, mib: 64, pairs: ['chromium-firefox', 'chromium-chromium'], memoryMib: 1024, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--json') options.json = true;
    else if (name === '--trials') [options.trials, i] = [Number(value), i + 1];
    else if (name === '--mib') [options.mib, i] = [Number(value), i + 1];
    else if (name === '--memory-mib') [options.memoryMib, i] = [Number(value), i + 1];
    else if (name === '--pairs') [options.pairs, i] = [String(value).split(','), i + 1];
    else throw new Error(`unknown option ${name}`);
  }
  for (const pair of options.pairs) {
    if (!/^(chromium|firefox)-(chromium|firefox)$/.test(pair))
      throw new Error(`--pairs: ${pair} is not sender-receiver of chromium|firefox`);
  }
  if (!(options.trials >= 1 && options.mib >= 1 && options.memoryMib >= 0))
    throw new Error('--trials, --mib must be ≥ 1, --memory-mib ≥ 0');
  return options;
}

const progress = (line) => process.stderr.write(`  ${line}\n`);
const TRIAL_TIMEOUT = 300_000;

/** A browser of `kind` in a process of its own, closed by cleanupAll(). */
async function launch(kind) {
  const browser = await puppeteer.launch({ ...launchOptions(kind), protocolTimeout: TRIAL_TIMEOUT });
  cleanups.add(() => browser.close());
  return browser;
}

let rooms = 0;
/** The product: two visitors of the demo page in a new room, both connected, the receiver ready. */
async function productPair(origin, [sender, receiver]) {
  const room = `data-${Date.now().toString(36)}-${++rooms}`;
  const pages = [];
  for (const [browser, name] of [
    [sender, 'sender'],
    [receiver, 'receiver'],
  ]) {
    const page = await openWindow(browser);
    await page.goto(`${origin}/?room=${room}&name=${name}&autostart`);
    pages.push(page);
    if (name === 'sender')
      await page.waitForFunction(() => document.querySelector('p2p-video-call')?.state === 'waiting', { timeout: 20_000 });
  }
  await Promise.all(pages.map((page) => page.evaluate(pageProductConnected)));
  await pages[1].evaluate(pageProductReceive);
  return pages;
}

/** The floor: a bare peer connection in a page of each browser, the data channel open. */
async function floorPair(origin, [sender, receiver]) {
  const pages = [await openWindow(sender), await openWindow(receiver)];
  // A page of the relay's origin (a 404 page does): loopback is a secure context.
  await Promise.all(pages.map((page) => page.goto(`${origin}/bench-floor`)));
  await Promise.all(pages.map((page) => page.evaluate(pageFloorSetUp)));
  const offer = await pages[0].evaluate(pageFloorDescribe, null);
  const answer = await pages[1].evaluate(pageFloorDescribe, offer);
  await Promise.all([pages[0].evaluate(pageFloorAnswered, answer), pages[1].evaluate(pageFloorAnswered, null)]);
  return pages;
}

/** One timed send: ms, and the cores others used meanwhile. */
async function trial(page, send) {
  const before = cpuSnapshot();
  const ms = await withTimeout(page.evaluate(send), TRIAL_TIMEOUT, 'a trial');
  return { ms: Math.round(ms), others: otherCores(before, cpuSnapshot()) };
}

/** The sender page's JS heap growth (bytes) while the product sends `mib` MiB. */
async function heapWhileSending(page, mib) {
  const cdp = await page.createCDPSession();
  await page.evaluate(pageMakeBlob, mib, true);
  await cdp.send('HeapProfiler.collectGarbage');
  // The JS heap and the ArrayBuffers' contents outside it (slices, chunks): what the page holds.
  const held = async () => {
    const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize + (backingStorageSize ?? 0);
  };
  const base = await held();
  let peak = base;
  let retained = base;
  let sampling = true;
  const sample = (async () => {
    for (let i = 1; sampling; i++) {
      // Every second after a forced GC: what the page holds; in between: with its garbage.
      if (i % 10 === 0) {
        await cdp.send('HeapProfiler.collectGarbage');
        retained = Math.max(retained, await held());
      } else {
        peak = Math.max(peak, await held());
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const { ms } = await trial(page, pageProductSend);
    return { ms, base, growth: retained - base, withGarbage: peak - base };
  } finally {
    sampling = false;
    await sample;
    await cdp.detach();
  }
}

async function runPair(pair, origin, options) {
  const [senderKind, receiverKind] = pair.split('-');
  progress(`${pair}: launching`);
  const browsers = [await launch(senderKind), await launch(receiverKind)];
  const product = await productPair(origin, browsers);
  const floor = await floorPair(origin, browsers);
  for (const page of [product[0], floor[0]]) await page.evaluate(pageMakeBlob, options.mib, false);
  const trials = { product: [], floor: [] };
  for (let round = 0; round < options.trials; round++) {
    const order = round % 2 ? ['floor', 'product'] : ['product', 'floor'];
    for (const system of order) {
      const result = await trial(system === 'product' ? product[0] : floor[0], system === 'product' ? pageProductSend : pageFloorSend);
      trials[system].push(result);
      progress(
        `${pair} ${system} trial ${round + 1}: ${result.ms} ms (${mbps(options.mib, result.ms)} MB/s), other processes ${result.others} cores`,
      );
    }
  }
  const received = await product[1].evaluate(() => window.__data);
  if (received.errors.length || received.received.length !== options.trials) {
    throw new Error(`the receiver got ${received.received.length} files, errors ${received.errors.join(', ')}`);
  }
  let memory = null;
  if (options.memoryMib && senderKind === 'chromium') {
    progress(`${pair}: sending ${options.memoryMib} MiB for the heap`);
    memory = await heapWhileSending(product[0], options.memoryMib);
  }
  await floor[0].evaluate(pageFloorClose);
  await Promise.all(browsers.map((b) => b.close()));
  return { pair, trials, memory };
}

const mbps = (mib, ms) => round1((mib * 2 ** 20) / 1e6 / (ms / 1000));

function summary(result, mib) {
  const of = (list) => {
    const quiet = list.filter((t) => t.others !== null && t.others <= QUIET_CORES);
    return {
      all: mbps(mib, median(list.map((t) => t.ms))),
      quiet: quiet.length ? mbps(mib, median(quiet.map((t) => t.ms))) : null,
      quietTrials: quiet.length,
    };
  };
  return { product: of(result.trials.product), floor: of(result.trials.floor) };
}

function renderText(report) {
  const lines = [
    `bench:data: ${report.options.mib} MiB per trial, ${report.options.trials} trials per system, medians (MB/s = 10^6 bytes/s)`,
    `machine: ${report.machine.cpu}, ${report.machine.nproc} cores, ${report.machine.os}, other processes ${report.machine.otherCoresBefore} cores before the run, load ${report.machine.loadavg.join(' ')}`,
    '',
  ];
  for (const result of report.results) {
    const s = summary(result, report.options.mib);
    lines.push(
      `${result.pair.replace('-', ' → ')}: product ${s.product.all} MB/s, floor (bare RTCDataChannel) ${s.floor.all} MB/s: ${times(s.product.all, s.floor.all)} the floor`,
      `  quiet trials only (others ≤ ${QUIET_CORES} cores): product ${s.product.quiet ?? '–'} MB/s (${s.product.quietTrials}), floor ${s.floor.quiet ?? '–'} MB/s (${s.floor.quietTrials})`,
      `  trials, ms: product ${result.trials.product.map((t) => `${t.ms}${t.others > QUIET_CORES ? '*' : ''}`).join(' ')}; floor ${result.trials.floor.map((t) => `${t.ms}${t.others > QUIET_CORES ? '*' : ''}`).join(' ')} (* busy)`,
    );
    if (result.memory) {
      const m = result.memory;
      lines.push(
        `  sender page while sending ${report.options.memoryMib} MiB: holds +${round1(m.growth / 2 ** 20)} MiB over ${round1(m.base / 2 ** 20)} MiB (after a GC, each second; target < 32 MiB), +${round1(m.withGarbage / 2 ** 20)} MiB with its garbage; ${mbps(report.options.memoryMib, m.ms)} MB/s`,
      );
    }
  }
  lines.push('', `command: ${report.command}`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`data: ${error.message}\n`);
    return 2;
  }
  assertLoopbackOnly('bench/data-throughput.mjs (it starts browsers that use WebRTC)');
  const report = { command: commandLine('bench/data-throughput.mjs', 'bench:data'), options, results: [] };
  report.machine = await machineInfo();
  const { origin } = await startRelay();
  for (const pair of options.pairs) report.results.push(await runPair(pair, origin, options));
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  return 0;
}

main()
  .catch((error) => {
    process.stderr.write(`\n*** ${error.stack ?? error}\n`);
    return 1;
  })
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  });
