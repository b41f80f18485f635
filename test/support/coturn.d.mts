export interface CoturnOptions {
  /** Listening port (default: a free one). */
  port?: number;
  /** Shared secret for `--static-auth-secret` (default: 32 random hex characters). */
  secret?: string;
  /** First port of its relay range; the range is 201 ports (default: random in 20000–59000). */
  minPort?: number;
  /** The coturn binary (default: `$TURNSERVER_PATH` or `turnserver` on PATH). */
  command?: string;
  /** How long to wait for it to answer STUN, in ms (default 10000). */
  startTimeout?: number;
}

export interface Coturn {
  readonly port: number;
  readonly secret: string;
  /** `['turn:127.0.0.1:PORT?transport=udp']` */
  readonly urls: string[];
  readonly pid: number | undefined;
  /** The last lines of its log. */
  output(): string;
  isRunning(): boolean;
  /** SIGTERM (SIGKILL after 5 s) and remove its temp dir. */
  stop(): Promise<void>;
  /** SIGKILL; `restart()` can bring it back. */
  kill(): Promise<void>;
  /** SIGKILL, then start again on the same port, secret and relay range; resolves when it answers. */
  restart(): Promise<void>;
}

export function startCoturn(options?: CoturnOptions): Promise<Coturn>;
export function turnCredentials(
  secret: string,
  options?: { user?: string; ttl?: number; now?: number },
): { username: string; credential: string };
export function stunBinding(port: number, timeout: number): Promise<boolean>;
