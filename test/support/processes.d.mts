import type { ChildProcess } from 'node:child_process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Resolves once the process has exited (or failed to spawn). */
  readonly exited: Promise<ExitInfo>;
  readonly exitInfo: ExitInfo | undefined;
  isRunning(): boolean;
  /** The last lines of stdout+stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after `timeout` ms (default 5000); resolves when it has exited. */
  stop(timeout?: number): Promise<ExitInfo>;
  /** SIGKILL; resolves when it has exited. */
  kill(): Promise<ExitInfo>;
}

/** Environment for a relay whose clients all come from 127.0.0.1 (no per-address limits). */
export const LOOPBACK_CLIENTS_ENV: Readonly<Record<string, string>>;
export function freePort(options?: { host?: string; udp?: boolean }): Promise<number>;
export function spawnManaged(
  command: string,
  args: string[],
  options?: { env?: NodeJS.ProcessEnv; cwd?: string; name?: string; keepLines?: number },
): ManagedProcess;
export function describeExit(proc: ManagedProcess): string;
export function spawnReady(
  command: string,
  args: string[],
  options: { name: string; ready: () => Promise<unknown>; timeout: number; what: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<ManagedProcess>;

/** A server process owning a temp directory: see `spawnRestartable`. */
export interface RestartableServer {
  /** The process running now (a new one after each restart). */
  current(): ManagedProcess;
  /** SIGTERM, then removes its directory. */
  stop(): Promise<void>;
  /** SIGKILL (the directory stays, for a restart). */
  kill(): Promise<void>;
  /** SIGKILL, then the same command and arguments again. */
  restart(): Promise<void>;
}
export function spawnRestartable(
  dir: string,
  command: string,
  args: string[],
  options: { name: string; ready: () => Promise<unknown>; timeout: number; what: string },
): Promise<RestartableServer>;
