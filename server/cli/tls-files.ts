/**
 * The CLI's TLS: the certificate and key files named by `TLS_CERT` and `TLS_KEY`, read at start
 * and again on SIGHUP (a renewed certificate, e.g. by certbot's deploy hook: `kill -HUP`). A
 * reload that fails (a file missing, a key that does not match) keeps the certificate in use.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { TlsFiles } from '../config/options.js';

/** Where the files are. */
export interface TlsPaths {
  certFile: string;
  keyFile: string;
}

/** Reads both files (PEM). */
export async function readTlsFiles({ certFile, keyFile }: TlsPaths): Promise<TlsFiles> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { cert, key };
}

/**
 * On every SIGHUP, reads the files again and hands them to `apply` (the relay's `reloadTls`).
 * Returns the function that stops listening.
 */
export function reloadTlsOnSighup(paths: TlsPaths, apply: (tls: TlsFiles) => void, logger: Logger): () => void {
  let reloading = false;
  const reload = (): void => {
    if (reloading) return;
    reloading = true;
    readTlsFiles(paths)
      .then((tls) => {
        apply(tls);
        logger.info({ cert: paths.certFile }, 'tls reloaded');
      })
      .catch((error: unknown) => logger.error({ err: error, cert: paths.certFile }, 'tls reload failed; the certificate in use stays'))
      .finally(() => (reloading = false));
  };
  process.on('SIGHUP', reload);
  return () => void process.off('SIGHUP', reload);
}
