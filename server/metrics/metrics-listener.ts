/**
 * The metrics listener: Prometheus text at `GET /metrics` on a port of its own (`METRICS_PORT`,
 * on `METRICS_HOST`, 127.0.0.1 by default), never on the relay's public port. Anything else
 * answers 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A running metrics listener. */
export interface MetricsListener {
  /** `http://host:port/metrics`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `registry` at `/metrics` on `port` (0: any free one) and `host`. */
export function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics failed\n'),
    );
  });
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.address.includes(':') ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}/metrics`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
