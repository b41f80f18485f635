// A small TCP load balancer for the deploy tests: each incoming connection goes to the next
// backend in turn that accepts it (a backend that refuses, being stopped, is skipped), and is
// piped both ways until either side closes. What a real one (HAProxy in TCP mode, an AWS NLB)
// does for a WebSocket, on loopback.
import { connect, createServer } from 'node:net';

/**
 * Listens on 127.0.0.1 (a free port) in front of `backends` (ports on 127.0.0.1).
 * @param {number[]} backends
 * @returns {Promise<{ port: number, url: string, connections: () => number, close: () => Promise<void> }>}
 */
export function startTcpBalancer(backends) {
  let next = 0;
  const open = new Set();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const attempt = (tries) => {
      if (tries >= backends.length) return client.destroy();
      const port = backends[next++ % backends.length];
      const upstream = connect({ host: '127.0.0.1', port });
      upstream.once('connect', () => {
        upstream.off('error', retry);
        upstream.on('error', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
      });
      const retry = () => attempt(tries + 1);
      upstream.once('error', retry);
    };
    client.pause(); // until piped: nothing the client sends first is lost
    attempt(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        connections: () => open.size,
        close: () =>
          new Promise((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
