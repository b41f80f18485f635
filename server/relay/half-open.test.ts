// Slow and half-open clients: 250 connections trickling an HTTP request one header byte at a
// time (slowloris) and 250 WebSockets that open but never finish the Socket.IO handshake, all
// held at once; meanwhile a normal pair joins and signals. The unfinished handshakes are closed
// by the relay after its connect timeout.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { codeOf, joined, once, signal, startRelay, type TestRelay } from '../test-support/relay-clients.js';
import type { SignalMessage } from '../../src/protocol.js';

const HELD = 250;
let t: TestRelay | undefined;
const sockets: Socket[] = [];
const websockets: WebSocket[] = [];
after(async () => {
  for (const s of sockets) s.destroy();
  for (const w of websockets) w.terminate();
  await t?.close();
});

describe('slow and half-open clients', () => {
  it(`holds ${HELD} trickling and ${HELD} half-open connections while a normal call connects`, { timeout: 60_000 }, async () => {
    t = await startRelay({ connectTimeoutMs: 1000 });
    const { hostname: host, port } = new URL(t.url);
    // Slowloris: a request line and one header, then a byte every 200 ms, never finished.
    const trickle = setInterval(() => sockets.forEach((s) => s.writable && s.write('x')), 200);
    try {
      await Promise.all(
        Array.from(
          { length: HELD },
          () =>
            new Promise<void>((resolve, reject) => {
              const s = connect(Number(port), host, () => {
                s.write(`GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
                resolve();
              });
              s.on('error', reject);
              sockets.push(s);
            }),
        ),
      );
      // Half-open: the WebSocket and Engine.IO's open packet, then silence (no Socket.IO CONNECT).
      const opened = await Promise.all(
        Array.from(
          { length: HELD },
          () =>
            new Promise<WebSocket>((resolve, reject) => {
              const ws = new WebSocket(`ws://${host}:${port}/socket.io/?EIO=4&transport=websocket`);
              ws.once('message', () => resolve(ws)); // the open packet
              ws.once('error', reject);
              websockets.push(ws);
            }),
        ),
      );
      assert.equal(opened.length, HELD);

      // A normal call, meanwhile.
      const a = await t.connect();
      const b = await t.connect();
      await joined(a, { room: 'under-load' });
      const toA = (await joined(b, { room: 'under-load' })).peers[0].peerId;
      const got = once<SignalMessage>(a, 'signal');
      assert.equal(codeOf(await signal(b, { to: toA, media: { audio: true, video: true } })), 'ok');
      assert.deepEqual((await got).media, { audio: true, video: true });

      // The unfinished handshakes are closed after the connect timeout (1 s here; default 10 s).
      const closed = await Promise.all(
        websockets.map((ws) =>
          ws.readyState === WebSocket.CLOSED
            ? Promise.resolve(true)
            : new Promise<boolean>((resolve) => ws.once('close', () => resolve(true))),
        ),
      );
      assert.equal(closed.length, HELD);
      const connections = (await Promise.all(t.nodes.map((n) => n.stats()))).reduce((sum, s) => sum + s.connections, 0);
      assert.equal(connections, 2, 'only the normal pair is left');
    } finally {
      clearInterval(trickle);
    }
  });
});
