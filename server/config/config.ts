/**
 * The relay's configuration from the environment and the command line: a pure function, so
 * every rule can be tested without starting anything. A bad value throws a {@link ConfigError}
 * whose message names the variable and says what it must be. The variables, their rules and
 * defaults are the rows of the option table.
 */
import {
  DEFAULT_HOST,
  DEFAULT_LOG_LEVEL,
  DEFAULT_METRICS_HOST,
  DEFAULT_PORT,
  OPTION_TABLE,
  type Draft,
  type LogLevel,
  type RelayOptions,
} from './option-table.js';
import { InvalidOption } from './rules.js';

export type { LogLevel } from './option-table.js';
export { DEFAULT_HOST, DEFAULT_PORT } from './option-table.js';

/** A configuration value that cannot be used. The message is one line, meant for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What the CLI needs to start the relay. */
export interface RelayConfig {
  /** `--help` was given: print {@link usage} and exit. Nothing else is filled in then. */
  help: boolean;
  port: number;
  host: string;
  /** The metrics listener (`METRICS_PORT`, `METRICS_HOST`): none when `null`. */
  metrics: { port: number; host: string } | null;
  /** The certificate and key files (`TLS_CERT`, `TLS_KEY`): plain HTTP when `null`. */
  tls: { certFile: string; keyFile: string } | null;
  /** pino level. */
  logLevel: LogLevel;
  /** Options for `createSignalingServer` (without `httpServer` and `logger`). */
  options: RelayOptions;
}

/** Every environment variable the relay reads, for `--help`: name, default, meaning. */
export const ENVIRONMENT: ReadonlyArray<readonly [name: string, fallback: string, meaning: string]> = OPTION_TABLE.flatMap((option) =>
  option.env === undefined
    ? []
    : [[option.env, option.shown ?? (option.default === undefined ? 'none' : String(option.default)), option.help ?? ''] as const],
);

/** The `--help` text. */
export function usage(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length)) + 2;
  return [
    'Usage: p2p-video-call-server [--port N] [--host H] [--help]',
    '',
    'The signaling relay for <p2p-video-call>. Serves Socket.IO, the drop-in bundle at',
    '/p2p-video-call.js, a demo page at / and /healthz.',
    '',
    'Options:',
    '  --port N   port to listen on (overrides PORT)',
    '  --host H   address to listen on (overrides HOST)',
    '  --help     show this help',
    '',
    'Environment variables (default in brackets):',
    ...ENVIRONMENT.map(([name, fallback, meaning]) => `  ${name.padEnd(width)}${meaning} [${fallback}]`),
    '',
  ].join('\n');
}

/**
 * Build the relay configuration from environment variables and command-line arguments
 * (without the node and script paths). Command-line flags win over the environment.
 *
 * @throws {ConfigError} on an unknown flag or an unusable value.
 * @example
 * ```ts
 * const config = parseConfig(process.env, process.argv.slice(2));
 * ```
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): RelayConfig {
  const flags = parseArgv(argv);
  if (flags.help)
    return { help: true, port: DEFAULT_PORT, host: DEFAULT_HOST, metrics: null, tls: null, logLevel: DEFAULT_LOG_LEVEL, options: {} };
  const given = (name: string): string | undefined => {
    const flag = name === 'PORT' ? flags.port : name === 'HOST' ? flags.host : undefined;
    if (flag !== undefined) return flag;
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const draft: Draft = { options: {}, turn: {} };
  const set = new Set<string>();
  try {
    for (const option of OPTION_TABLE) {
      if (option.env === undefined) continue;
      const text = given(option.env);
      if (text === undefined) continue;
      const flag = (option.env === 'PORT' && flags.port !== undefined) || (option.env === 'HOST' && flags.host !== undefined);
      if (option.take(draft, text, flag ? `--${option.key}` : option.env)) set.add(option.env);
    }
  } catch (error) {
    throw error instanceof InvalidOption ? new ConfigError(error.message) : error;
  }
  for (const option of OPTION_TABLE) {
    if (option.env !== undefined && option.needs !== undefined && set.has(option.env) && !set.has(option.needs)) {
      throw new ConfigError(`${option.env} is set but ${option.needs} is not`);
    }
  }

  const options: RelayOptions = draft.options;
  const { urls, secret, ttlSeconds } = draft.turn;
  if (urls !== undefined && secret !== undefined) options.turn = { urls, secret, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) };
  return {
    help: false,
    port: draft.port ?? DEFAULT_PORT,
    host: draft.host ?? DEFAULT_HOST,
    metrics: draft.metricsPort === undefined ? null : { port: draft.metricsPort, host: draft.metricsHost ?? DEFAULT_METRICS_HOST },
    tls: draft.tlsCert === undefined || draft.tlsKey === undefined ? null : { certFile: draft.tlsCert, keyFile: draft.tlsKey },
    logLevel: draft.logLevel ?? DEFAULT_LOG_LEVEL,
    options,
  };
}

function parseArgv(argv: readonly string[]): { help: boolean; port?: string; host?: string } {
  const flags: { help: boolean; port?: string; host?: string } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      flags.help = true;
      continue;
    }
    const match = /^--(port|host)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      throw new ConfigError(arg.startsWith('-') ? `unknown option "${arg}"` : `unexpected argument "${arg}"`);
    }
    const name = match[1] as 'port' | 'host';
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '' || (match[2] === undefined && value.startsWith('--'))) {
      throw new ConfigError(`--${name} needs a value`);
    }
    flags[name] = value;
  }
  return flags;
}
