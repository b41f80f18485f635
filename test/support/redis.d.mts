export interface RedisOptions {
  /** Port (default: a free one). */
  port?: number;
  /** The redis-server binary (default: `$REDIS_SERVER_PATH` or `redis-server` on PATH). */
  command?: string;
  /** How long to wait for it to answer PING, in ms (default 10000). */
  startTimeout?: number;
  /** Keep the data across kill/restart (AOF, fsync on every write), as a production Redis does. Default: none. */
  persistent?: boolean;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  isRunning(): boolean;
  /** One command; the raw RESP reply. */
  command(args: string[]): Promise<string>;
  /** Keys matching `pattern` (KEYS: tests only). */
  keys(pattern?: string): Promise<string[]>;
  /** SIGTERM (SIGKILL after 5 s) and remove its temp dir. */
  stop(): Promise<void>;
  /** SIGKILL; `restart()` can bring it back (empty: no persistence). */
  kill(): Promise<void>;
  /** SIGKILL, then start again on the same port; resolves when it answers. */
  restart(): Promise<void>;
}

export function startRedis(options?: RedisOptions): Promise<RedisServer>;
