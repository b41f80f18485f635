/**
 * How a connection's page went (closed, reloaded, navigated), if it did: it said `away` (the
 * seat is kept for a reload), or its browser closed the WebSocket with 1001 Going Away (RFC 6455
 * §7.4.1: "a browser having navigated away from a page") without a word (the page left).
 *
 * The page's own `away`, handled as an event, is not enough:
 * - A browser may close the page's WebSocket before anything done in `pagehide` goes out:
 *   Firefox, closing a tab about 200 ms after a call connected, did so in about one case in five
 *   here (the e2e test "a visitor closes the page mid-call"): the relay saw a 1001 close, and no
 *   `away`. The close code is then the only word of it, and the page's note that a reload may
 *   take the seat (localStorage) was lost with it, so the seat is freed: the partner hears
 *   `peer-left` now, and the page opened again finds a place (kept, it would find the room full).
 * - The page sends `away` and then disconnects. The rate limiter answers each event through a
 *   promise, so an `away` that arrives in the same read as the disconnect reaches its handler
 *   after the disconnect, which Socket.IO then drops: the hang-up's rule (the seat freed at once)
 *   would apply to a reload. Seen here as the `away` arrives, before any middleware, it is not.
 *
 * A lost network never closes with 1001 (a ping times out, or the TCP connection ends: 1006),
 * and a client that closes its own connection sends 1000 or 1005.
 */
import type { Socket } from 'socket.io';

/** RFC 6455's close code for an endpoint going away. */
const GOING_AWAY = 1001;

/** What of an engine.io transport is read: its name, and for `websocket` its `ws` socket. */
interface Transport {
  readonly name: string;
  readonly socket?: { prependOnceListener?(event: 'close', listener: (code: number) => void): unknown };
}

/** How a page went: `away` (it said so), `gone` (its browser closed with 1001, and it said nothing). */
export type Departure = 'away' | 'gone' | null;

export class GoingAway {
  readonly #said = new WeakSet<Socket>();
  readonly #closed = new WeakSet<Socket>();

  /**
   * Watches `socket` from its start: its `away` event as it arrives (and a `join` after it) (install this before any
   * middleware that may delay events), and the close code of its WebSocket, the first one or
   * the one a long-polling client upgrades to.
   */
  watch(socket: Socket): void {
    socket.use(([event], next) => {
      // A join after an `away` on the same connection (no page of ours does that) starts afresh.
      if (event === 'away') this.#said.add(socket);
      else if (event === 'join') this.#said.delete(socket);
      next();
    });
    const connection = socket.conn as unknown as {
      transport: Transport;
      once(event: 'upgrade', listener: (t: Transport) => void): unknown;
    };
    // A long-polling client's WebSocket, if it upgrades (ours start on one).
    if (!this.#watchClose(socket, connection.transport)) connection.once('upgrade', (transport) => this.#watchClose(socket, transport));
  }

  /** Notes a 1001 close of `transport`'s WebSocket, if it is one; whether it is. */
  #watchClose(socket: Socket, transport: Transport): boolean {
    if (transport.name !== 'websocket') return false;
    // Before engine.io's own listener, which ends the connection without the code.
    transport.socket?.prependOnceListener?.('close', (code) => {
      if (code === GOING_AWAY) this.#closed.add(socket);
    });
    return true;
  }

  /** How `socket`'s page went, once its connection has ended. */
  of(socket: Socket): Departure {
    return this.#said.has(socket) ? 'away' : this.#closed.has(socket) ? 'gone' : null;
  }
}
