// A load-generating client of the relay: one Socket.IO connection over WebSocket.
import { io as connect } from 'socket.io-client';

/**
 * Connects a new client (its own connection, WebSocket only, no reconnection) to `url`;
 * resolves once connected, rejects on connect_error or after `timeout` ms.
 */
export function connectClient(url, timeout) {
  return new Promise((resolve, reject) => {
    const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
