#!/usr/bin/env node
// Soak: the relay kept busy for a long time by clients that join, signal, leave and vanish
// without goodbye, over and over; memory, event loop delay and errors printed over time.
//
//   npm run bench:soak                                  (builds, then 10 minutes, 2,000 clients)
//   npm run bench:soak -- --minutes 3 --clients 2000 --target two --report 30
//
// 2,000 clients are 1,000 pairs; each pair, again and again: both connect (WebSocket) and join
// a room of their own, each sends the other 6 ICE-candidate signals (with ack) naming its pair
// and round, then both leave (`leave`), or one vanishes (its transport closed, no goodbye: the
// other must get `peer-left` once the relay's grace has passed), or both vanish. Every signal is
// checked where it arrives: from the peer the relay said, for this pair and round (misrouted
// otherwise); every signal acked `ok` must arrive (lost otherwise). The relay runs in its own
// process (`--target one`: one node; `two`: two nodes sharing Redis, the pair's members on
// different nodes); every `--report` seconds: its RSS and JS heap after GC, its event loop
// delay, rounds done, signals, errors. Exit status 1 if a signal was lost or misrouted.
import os from 'node:os';
import { machineLoad } from './support/machine-load.mjs';
import { memoryOf, startTarget } from './support/relay-targets.mjs';
import { row } from './support/report.mjs';
import { connectClient } from './support/socket-client.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const MINUTES = Number(option('minutes', '10'));
const CLIENTS = Number(option('clients', '2000'));
const TARGET = option('target', 'one');
const REPORT_S = Number(option('report', '30'));
const GRACE_S = 2; // the relay's REJOIN_GRACE here: a vanished peer is peer-left 2 s later
if (!(MINUTES > 0) || !(CLIENTS >= 2) || CLIENTS % 2 || !['one', 'two'].includes(TARGET) || !(REPORT_S > 0)) {
  console.error('usage: node bench/soak.mjs [--minutes 10] [--clients 2000 (even)] [--target one|two] [--report 30]');
  process.exit(2);
}

const totals = { rounds: 0, joins: 0, signalsOk: 0, received: 0, lost: 0, misrouted: 0, peerLeft: 0, peerLeftMissing: 0, errors: 0 };
const errorCodes = new Map();
const countError = (code) => {
  totals.errors++;
  errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
};

const ACK_TIMEOUT = 15_000;
const open = (url) => connectClient(url, ACK_TIMEOUT);
/** Resolves with the next `event` on `socket`, or with null after `ms`. */
const nextSocketEvent = (socket, event, ms) =>
  new Promise((resolve) => {
    const timer = setTimeout(() => (socket.off(event, done), resolve(null)), ms);
    const done = (value) => (clearTimeout(timer), resolve(value));
    socket.once(event, done);
  });

/** One round of one pair; returns when both are gone. */
async function round(urls, pair, n) {
  const room = `soak-${pair}-${n}`;
  const [a, b] = await Promise.all([open(urls[0]), open(urls[1 % urls.length])]);
  const inbox = { a: [], b: [] };
  a.on('signal', (m) => inbox.a.push(m));
  b.on('signal', (m) => inbox.b.push(m));
  try {
    const joinedA = await a.timeout(ACK_TIMEOUT).emitWithAck('join', { room, name: 'a' });
    const peerJoined = nextSocketEvent(a, 'peer-joined', ACK_TIMEOUT);
    const joinedB = await b.timeout(ACK_TIMEOUT).emitWithAck('join', { room, name: 'b' });
    totals.joins += 2;
    if (!joinedA.ok || !joinedB.ok) return countError(`join ${(joinedA.ok ? joinedB : joinedA).error?.code}`);
    const idA = joinedA.data.peerId;
    const idB = joinedB.data.peerId;
    if ((await peerJoined)?.peerId !== idB) countError('peer-joined missing');
    // Six signals each way, naming the pair and round.
    const send = async (from, to, name) => {
      let ok = 0;
      for (let seq = 0; seq < 6; seq++) {
        const candidate = { candidate: `candidate:${pair} 1 udp ${n} 127.0.0.1 ${seq} typ host ${name}`, sdpMid: '0', sdpMLineIndex: 0 };
        const ack = await from
          .timeout(ACK_TIMEOUT)
          .emitWithAck('signal', { to, candidate })
          .catch(() => ({ ok: false, error: { code: 'ack timeout' } }));
        if (ack.ok) ok++;
        else countError(`signal ${ack.error?.code}`);
      }
      return ok;
    };
    const [sentByA, sentByB] = await Promise.all([send(a, idB, 'a'), send(b, idA, 'b')]);
    totals.signalsOk += sentByA + sentByB;
    // Everything acked has arrived once each side had one more answer (same connection, in order).
    await Promise.all([a.timeout(ACK_TIMEOUT).emitWithAck('ice-servers'), b.timeout(ACK_TIMEOUT).emitWithAck('ice-servers')]).catch(() =>
      countError('flush'),
    );
    for (const [box, expectedFrom, sender] of [
      [inbox.a, idB, 'b'],
      [inbox.b, idA, 'a'],
    ]) {
      for (const m of box) {
        const [, p, r] = /^candidate:(\d+) 1 udp (\d+) /.exec(m.candidate?.candidate ?? '') ?? [];
        const mine = m.from === expectedFrom && Number(p) === pair && Number(r) === n && m.candidate.candidate.endsWith(` ${sender}`);
        if (mine) totals.received++;
        else totals.misrouted++;
      }
    }
    totals.lost += Math.max(0, sentByA - inbox.b.length) + Math.max(0, sentByB - inbox.a.length);
    // How they part.
    const how = (pair + n) % 3;
    if (how === 0) {
      a.emit('leave');
      b.emit('leave');
    } else if (how === 1) {
      const left = nextSocketEvent(a, 'peer-left', (GRACE_S + 8) * 1000);
      b.io.engine.close(); // b vanishes
      const notice = await left;
      if (notice?.peerId === idB) totals.peerLeft++;
      else totals.peerLeftMissing++;
    } else {
      a.io.engine.close();
      b.io.engine.close();
    }
  } finally {
    a.disconnect();
    b.disconnect();
    totals.rounds++;
  }
}

const mb = (n) => (n / 1e6).toFixed(1);
const load = await machineLoad();
const target = await startTarget(TARGET, { REJOIN_GRACE: String(GRACE_S) });
console.log(
  `p2p-video-call soak: ${CLIENTS} clients (${CLIENTS / 2} pairs), ${MINUTES} min, relay: ${TARGET === 'one' ? 'one node' : 'two nodes + Redis'}, REJOIN_GRACE=${GRACE_S}`,
);
console.log(
  `machine: ${os.cpus().length} cores, node ${process.version}; before: load average ${load.loadavg1.toFixed(2)}, other processes ${load.otherCores.toFixed(2)} cores`,
);
const base = await memoryOf(target);
console.log(`relay at rest: RSS ${mb(base.rss)} MB, heap ${mb(base.heapUsed)} MB`);
console.log('  min   rounds   joins  signals ok  lost  misrouted  errors   RSS MB  heap MB  loop delay p99/max ms  other cores');
/** The widths of the columns above. */
const COLUMNS = [5, 8, 7, 11, 5, 10, 7, 8, 8, 22, 12];
const started = Date.now();
const deadline = started + MINUTES * 60_000;
const samples = [];
const reporter = setInterval(async () => {
  const m = await memoryOf(target);
  const other = (await machineLoad()).otherCores;
  const p99 = Math.max(...m.eventLoopDelays.map((d) => d.p99));
  const max = Math.max(...m.eventLoopDelays.map((d) => d.max));
  samples.push({ minute: (Date.now() - started) / 60_000, ...m, p99, max });
  const cells = [
    ((Date.now() - started) / 60_000).toFixed(1),
    totals.rounds,
    totals.joins,
    totals.signalsOk,
    totals.lost,
    totals.misrouted,
    totals.errors,
  ];
  console.log(row([...cells, mb(m.rss), mb(m.heapUsed), `${p99.toFixed(1)}/${max.toFixed(1)}`, other.toFixed(2)], COLUMNS));
}, REPORT_S * 1000);

// Every pair runs rounds back to back until the time is up.
await Promise.all(
  Array.from({ length: CLIENTS / 2 }, async (_, pair) => {
    for (let n = 0; Date.now() < deadline; n++) {
      await round(target.urls, pair, n).catch((error) => countError(String(error?.message ?? error).slice(0, 60)));
    }
  }),
);
clearInterval(reporter);
// Everyone gone: the relay at rest again, after the grace.
await new Promise((resolve) => setTimeout(resolve, (GRACE_S + 2) * 1000)); // offline seats expire
const end = await memoryOf(target);
await target.stop();
console.log(
  `relay at rest after ${MINUTES} min: RSS ${mb(end.rss)} MB (${mb(base.rss)} before), heap ${mb(end.heapUsed)} MB (${mb(base.heapUsed)} before)`,
);
if (samples.length >= 2) {
  const [first, last] = [samples[0], samples[samples.length - 1]];
  console.log(
    `under load: heap ${mb(first.heapUsed)} MB at ${first.minute.toFixed(1)} min, ${mb(last.heapUsed)} MB at ${last.minute.toFixed(1)} min`,
  );
}
console.log(
  `totals: ${totals.rounds} rounds, ${totals.joins} joins, ${totals.signalsOk} signals acked, ${totals.received} received, ${totals.lost} lost, ${totals.misrouted} misrouted; ` +
    `peer-left for a vanished peer ${totals.peerLeft} times, missing ${totals.peerLeftMissing}; errors ${totals.errors}${errorCodes.size ? ` (${[...errorCodes].map(([c, k]) => `${c}: ${k}`).join(', ')})` : ''}`,
);
process.exit(totals.lost || totals.misrouted ? 1 : 0);
