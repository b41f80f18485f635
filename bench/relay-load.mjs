#!/usr/bin/env node
// Relay load benchmark: the product relay (one node, and two nodes sharing Redis) against a bare
// Socket.IO relay of about 40 lines (bench/bare-relay.mjs, the baseline a developer would
// otherwise write), measured in the same run, on the same machine, with the same load generator.
//
//   npm run bench:relay                                   (builds, then runs this loopback-only)
//   npm run bench:relay -- --levels 2000,5000,10000 --rates 2000,10000 --churn 20000 --json
//
// Per relay, each in its own process (`node --expose-gc`, with bench/support/memory-probe.cjs
// answering its memory over IPC), the load generator in this process:
//   ramp     clients connect (WebSocket) and join rooms of two, up to each level; time taken
//   memory   RSS and JS heap (after full GCs) at 0 and at each level; per connection = the slope
//            of a least-squares line over the levels (so fixed costs do not count)
//   latency  at the first and the last level, signals at each rate (messages/s over all pairs):
//            offers (~5 KB SDP), answers (~3 KB) and ICE candidates (~130 B) in the proportions
//            of a browser call (1 : 1 : 10), sent without ack; latency = arrival at the peer's
//            client minus sending, in this process (one clock). p50 / p99 / max, lost messages
//   churn    N joins by 1,000 connections (join, leave, join…), after 2,000 not counted (warm-up);
//            heap (after GC) growth per join
// With two nodes, the two members of every room are on different nodes (every message crosses
// Redis), and memory is the sum over both nodes (Redis's own memory is not counted).
//
// The machine is shared: the load average and the CPU share of other processes are printed
// before each relay's run; a latency run is repeated (--repeat, default 2) and each result shown.
// Exit status: 0 when every run finished, 1 otherwise, 2 on bad options.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../test/support/wait.mjs';
import { machineLoad } from './support/machine-load.mjs';
import { cpuOf, memoryOf, startTarget } from './support/relay-targets.mjs';
import { times } from './support/report.mjs';
import { connectClient } from './support/socket-client.mjs';
import { atQuantile, median, slope } from './support/statistics.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Options

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const list = (value) =>
  String(value)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const LEVELS = list(option('levels', '2000,5000,10000')).map(Number);
const RATES = list(option('rates', '2000,10000')).map(Number);
const CHURN = Number(option('churn', '20000'));
const DURATION_S = Number(option('duration', '5'));
const REPEAT = Number(option('repeat', '2'));
const TARGETS = list(option('targets', 'bare,one,two'));
const JSON_OUT = args.includes('--json');
if ([...LEVELS, ...RATES, CHURN, DURATION_S, REPEAT].some((n) => !Number.isFinite(n) || n <= 0) || LEVELS.some((n) => n % 2)) {
  console.error(
    'usage: node bench/relay-load.mjs [--levels 2000,5000,10000 (even)] [--rates 2000,10000] [--churn 20000] [--duration S] [--repeat N] [--targets bare,one,two] [--json]',
  );
  process.exit(2);
}
if (!existsSync(join(ROOT, 'lib/server/cli/cli.js'))) {
  console.error('lib/server/cli/cli.js is missing: run `npm run bench:relay` (it builds first).');
  process.exit(2);
}
const log = (...parts) => (JSON_OUT ? console.error(...parts) : console.log(...parts));

// ---------------------------------------------------------------------------------------------
// Relays under test

const TARGET_LABEL = { bare: 'bare Socket.IO relay', one: 'product, one node', two: 'product, two nodes + Redis' };

// ---------------------------------------------------------------------------------------------
// Clients

const ACK_TIMEOUT = 20_000;

const client = (url) => connectClient(url, ACK_TIMEOUT);

async function joinRoom(socket, room) {
  const ack = await socket.timeout(ACK_TIMEOUT).emitWithAck('join', { room, name: 'load' });
  if (!ack.ok) throw new Error(`join ${room}: ${ack.error?.code}`);
  socket.peerId = ack.data.peerId;
}

/** Connects and joins pairs until there are `total` clients; resolves with the time it took. */
async function rampTo(target, pairs, total) {
  const started = performance.now();
  const batch = 100; // pairs in flight at once
  while (pairs.length * 2 < total) {
    const wave = [];
    for (let i = 0; i < batch && (pairs.length + wave.length) * 2 < total; i++) {
      const room = `load-${pairs.length + wave.length}`;
      wave.push(
        (async () => {
          const a = await client(target.urls[0]);
          const b = await client(target.urls[1 % target.urls.length]);
          await joinRoom(a, room);
          await joinRoom(b, room);
          return [a, b];
        })(),
      );
    }
    pairs.push(...(await Promise.all(wave)));
  }
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// Messages shaped like a browser's

const SDP_LINE = 'a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n';
const sdp = (seq, bytes) =>
  `v=0\r\no=- ${seq} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n${SDP_LINE.repeat(Math.ceil(bytes / SDP_LINE.length))}`;
function message(seq, to) {
  const kind = seq % 12;
  if (kind === 0) return { to, description: { type: 'offer', sdp: sdp(seq, 5000) } };
  if (kind === 1) return { to, description: { type: 'answer', sdp: sdp(seq, 3000) } };
  return {
    to,
    candidate: {
      candidate: `candidate:${seq % 4000000000} 1 udp 2122260223 127.0.0.1 ${40000 + (seq % 20000)} typ host generation 0 network-id 1`,
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: `s${seq}`,
    },
  };
}
const seqOf = (m) => Number(m.candidate ? m.candidate.usernameFragment.slice(1) : / (\d+) 2 IN/.exec(m.description.sdp)[1]);

/** Sends `rate` messages/s over all pairs for `seconds`; resolves with latency percentiles. */
async function latencyRun(target, pairs, rate, seconds) {
  const sent = new Map();
  const latencies = [];
  const onSignal = (m) => {
    const at = sent.get(seqOf(m));
    if (at !== undefined) latencies.push(performance.now() - at);
  };
  for (const [a, b] of pairs) {
    a.on('signal', onSignal);
    b.on('signal', onSignal);
  }
  // Peer ids: the relay wants `to`; the bare relay forwards to the room whatever `to` says.
  let seq = 0;
  const cpuBefore = await cpuOf(target);
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const due = Math.min(Math.floor(((now - start) / 1000) * rate), rate * seconds);
      while (seq < due) {
        const pair = pairs[seq % pairs.length];
        const [from, to] = (seq >> 1) % 2 ? [pair[1], pair[0]] : [pair[0], pair[1]];
        sent.set(seq, performance.now());
        from.emit('signal', message(seq, to.peerId));
        seq++;
      }
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await waitFor(() => latencies.length >= seq, { timeout: 10_000, interval: 20, message: 'in-flight messages' }).catch(() => {
    // Late or lost ones count as such below.
  });
  const elapsed = performance.now() - start;
  const cpuMicros = (await cpuOf(target)) - cpuBefore;
  for (const [a, b] of pairs) {
    a.off('signal', onSignal);
    b.off('signal', onSignal);
  }
  latencies.sort((x, y) => x - y);
  return {
    rate,
    sent: seq,
    // The relay processes' CPU over the run: µs per message, and cores busy.
    cpuPerMessage: cpuMicros / Math.max(seq, 1),
    cpuCores: cpuMicros / 1000 / elapsed,
    lost: seq - latencies.length,
    p50: atQuantile(latencies, 0.5),
    p99: atQuantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    achieved: seq / ((performance.now() - start) / 1000),
  };
}

/**
 * 1,000 connections join and leave until `joins` joins were made; heap growth per join. (1,000,
 * so that no connection comes near the product's rate limit of 200 events per 10 s.)
 */
async function churn(target, joins) {
  const sockets = await Promise.all(Array.from({ length: 1000 }, (_, i) => client(target.urls[i % target.urls.length])));
  let round = 0;
  const cycle = async () => {
    round++;
    await Promise.all(sockets.map((s, i) => joinRoom(s, `churn-${round}-${i >> 1}`)));
    await Promise.all(sockets.map((s) => s.timeout(ACK_TIMEOUT).emitWithAck('leave')));
    return sockets.length;
  };
  // Two cycles first, not counted: code warming up (JIT, feedback) is not growth per join.
  await cycle();
  await cycle();
  const before = await memoryOf(target);
  let done = 0;
  while (done < joins) done += await cycle();
  const after = await memoryOf(target);
  sockets.forEach((s) => s.disconnect());
  return { joins: done, heapPerJoin: (after.heapUsed - before.heapUsed) / done };
}

// ---------------------------------------------------------------------------------------------
// Run

async function measure(name) {
  const load = await machineLoad();
  log(`\n${TARGET_LABEL[name]}: load average ${load.loadavg1.toFixed(2)}, other processes ${load.otherCores.toFixed(2)} cores`);
  const target = await startTarget(name);
  const result = { name, load, ramp: [], memory: [], latency: [], churn: null };
  try {
    result.memory.push({ clients: 0, ...(await memoryOf(target)) });
    const pairs = [];
    for (const level of LEVELS) {
      const ms = await rampTo(target, pairs, level);
      result.ramp.push({ clients: level, ms });
      const memory = { clients: level, ...(await memoryOf(target)) };
      result.memory.push(memory);
      log(
        `  ${level} clients joined in ${(ms / 1000).toFixed(1)} s; RSS ${(memory.rss / 2 ** 20).toFixed(1)} MiB, heap ${(memory.heapUsed / 2 ** 20).toFixed(1)} MiB`,
      );
      if (level === LEVELS[0] || level === LEVELS.at(-1)) {
        for (const rate of RATES) {
          for (let r = 0; r < REPEAT; r++) {
            const run = { clients: level, ...(await latencyRun(target, pairs, rate, DURATION_S)) };
            result.latency.push(run);
            log(
              `  ${level} clients, ${rate}/s: p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(1)} ms, max ${run.max.toFixed(0)} ms, lost ${run.lost} of ${run.sent} (${run.achieved.toFixed(0)}/s sent); relay CPU ${run.cpuPerMessage.toFixed(1)} µs/message, ${(run.cpuCores * 100).toFixed(0)} % of a core`,
            );
          }
        }
      }
    }
    const points = result.memory.filter((m) => m.clients > 0);
    result.rssPerClient = slope(points.map((m) => ({ x: m.clients, y: m.rss })));
    result.heapPerClient = slope(points.map((m) => ({ x: m.clients, y: m.heapUsed })));
    log(`  per connection: RSS ${(result.rssPerClient / 1024).toFixed(1)} KiB, heap ${(result.heapPerClient / 1024).toFixed(1)} KiB`);
    for (const [a, b] of pairs) {
      a.disconnect();
      b.disconnect();
    }
    result.churn = await churn(target, CHURN);
    log(`  churn: ${result.churn.joins} joins, heap ${result.churn.heapPerJoin.toFixed(1)} bytes per join`);
  } finally {
    await target.stop();
  }
  return result;
}

const results = [];
let failed = false;
for (const name of TARGETS) {
  try {
    results.push(await measure(name));
  } catch (error) {
    failed = true;
    log(`${TARGET_LABEL[name]}: failed: ${error.stack ?? error}`);
  }
}

const bare = results.find((r) => r.name === 'bare');
if (bare) {
  const latencyAt = (r, clients, rate, key) => median(r.latency.filter((l) => l.clients === clients && l.rate === rate).map((l) => l[key]));
  log('\nRatios to the bare relay (same run; latency: median of the repeats):');
  for (const r of results.filter((x) => x !== bare)) {
    const parts = [`memory/connection RSS ${times(r.rssPerClient, bare.rssPerClient)}, heap ${times(r.heapPerClient, bare.heapPerClient)}`];
    for (const clients of new Set(r.latency.map((l) => l.clients))) {
      for (const rate of RATES) {
        parts.push(
          `${clients} clients ${rate}/s p50 ${times(latencyAt(r, clients, rate, 'p50'), latencyAt(bare, clients, rate, 'p50'))} p99 ${times(latencyAt(r, clients, rate, 'p99'), latencyAt(bare, clients, rate, 'p99'))} CPU/message ${times(latencyAt(r, clients, rate, 'cpuPerMessage'), latencyAt(bare, clients, rate, 'cpuPerMessage'))}`,
        );
      }
    }
    parts.push(`churn heap/join ${r.churn.heapPerJoin.toFixed(1)} vs ${bare.churn.heapPerJoin.toFixed(1)} bytes`);
    log(`  ${TARGET_LABEL[r.name]}: ${parts.join('; ')}`);
  }
}
if (JSON_OUT)
  console.log(
    JSON.stringify(
      { machine: { cpus: os.cpus().length, node: process.version }, options: { LEVELS, RATES, CHURN, DURATION_S, REPEAT }, results },
      null,
      2,
    ),
  );
process.exit(failed ? 1 : 0);
