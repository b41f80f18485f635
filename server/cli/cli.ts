/**
 * `p2p-video-call-server`: read the configuration, start the relay, log where it listens,
 * re-read its TLS files on SIGHUP, and shut down gracefully on SIGINT/SIGTERM. A bad option exits with status 2 and one line on
 * stderr; a failure to listen (port in use) with status 1.
 */
import { ConfigError, parseConfig, usage, type RelayConfig } from '../config/config.js';
import { SHUTDOWN_DEADLINE_MS } from '../config/timing.js';
import type { MetricsListener } from '../metrics/metrics-listener.js';
import type { TlsFiles } from '../config/options.js';
import type { SignalingServer } from '../relay/create-signaling-server.js';

const PROGRAM = 'p2p-video-call-server';

async function main(): Promise<void> {
  let config: RelayConfig;
  try {
    config = parseConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${PROGRAM}: ${error.message} (see --help)\n`);
    process.exitCode = 2;
    return;
  }
  if (config.help) {
    process.stdout.write(usage());
    return;
  }

  // Loaded only now, so that --help and a bad option answer at once.
  const [{ pino }, { createSignalingServer }, { serveMetrics }, { readTlsFiles, reloadTlsOnSighup }] = await Promise.all([
    import('pino'),
    import('../relay/create-signaling-server.js'),
    import('../metrics/metrics-listener.js'),
    import('./tls-files.js'),
  ]);
  // JSON lines for machines; in a terminal, the same lines made readable (pino-pretty).
  const pretty = process.stdout.isTTY ? (await import('pino-pretty')).default({ colorize: true, sync: true }) : undefined;
  const logger = pino({ name: PROGRAM, level: config.logLevel }, pretty);
  let tls: TlsFiles | undefined;
  let relay: SignalingServer;
  try {
    if (config.tls !== null) tls = await readTlsFiles(config.tls);
    relay = createSignalingServer({ ...config.options, logger, ...(tls === undefined ? {} : { tls }) });
  } catch (error) {
    process.stderr.write(`${PROGRAM}: cannot use TLS_CERT/TLS_KEY: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (config.tls !== null) reloadTlsOnSighup(config.tls, (files) => relay.reloadTls(files), logger);
  let metrics: MetricsListener | null = null;
  try {
    const { url } = await relay.listen(config.port, config.host);
    if (config.metrics !== null) {
      const { port, host } = config.metrics;
      metrics = await serveMetrics(relay.metrics.registry, port, host).catch((error: unknown) => {
        throw new Error(`cannot serve metrics on ${host}:${port}: ${(error as Error).message}`, { cause: error });
      });
      logger.info({ url: metrics.url }, 'metrics listening');
    }
    logger.info({ url }, 'listening');
    // One line for a person, on stderr (stdout stays the log's).
    process.stderr.write(`${PROGRAM}: demo on ${url}/ (open it in two windows to try a call; Ctrl+C stops it)\n`);
  } catch (error) {
    await relay.close();
    const message = (error as Error).message;
    process.stderr.write(
      `${PROGRAM}: ${message.startsWith('cannot serve') ? message : `cannot listen on ${config.host}:${config.port}: ${message}`}\n`,
    );
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(1); // a second signal: the user means it
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Should something keep the loop alive, do not hang forever.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    Promise.all([relay.close(), metrics?.close()]).then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
