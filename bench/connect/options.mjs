// bench:connect's command line: the options, their environment variables and their checks
// (documented at the top of bench/connect-time.mjs).

export const KNOWN_BROWSERS = ['chromium', 'firefox'];
export const BROWSER_LABEL = { chromium: 'Chromium', firefox: 'Firefox' };

/** Options that take a value: flag → [option, parser]. */
const VALUED = {
  '--browsers': ['browsers', (v) => v.split(',')],
  '--trials': ['trials', Number],
  '--warmup': ['warmup', Number],
  '--timeout': ['timeout', Number],
  '--quiet-wait': ['quietWait', Number],
  '--gap': ['gap', Number],
};
/** Options without a value: flag → [option, the value it sets]. */
const SWITCHES = {
  '--json': ['json', true],
  '--per-trial': ['perTrial', true],
  '--trace': ['trace', true],
  '--warm': ['warm', true],
  '--fresh-page': ['freshPage', true],
  '--no-baselines': ['baselines', false],
  '-h': ['help', true],
  '--help': ['help', true],
};

/** A bad option: the entry point prints it with the usage and exits 2. */
export class OptionError extends Error {}

export function usage() {
  return `usage: node bench/connect-time.mjs [--browsers chromium,firefox] [--trials N] [--warmup N]
                                 [--timeout MS] [--quiet-wait S] [--gap MS] [--fresh-page] [--warm] [--json] [--per-trial] [--trace]
Run it through \`npm run bench:connect\` (build + loopback-only network namespace).\n`;
}

/** The options from `argv` and `env`; throws an {@link OptionError} when one is bad. */
export function parseOptions(argv, env) {
  const options = {
    browsers: (env.BENCH_BROWSERS || 'chromium,firefox').split(','),
    trials: Number(env.BENCH_TRIALS || 20),
    warmup: Number(env.BENCH_WARMUP ?? 1),
    timeout: Number(env.BENCH_TIMEOUT || 20_000),
    json: false,
    perTrial: false,
    trace: false,
    warm: false,
    freshPage: false,
    quietWait: Number(env.BENCH_QUIET_WAIT || 0),
    gap: Number(env.BENCH_GAP ?? 500),
    baselines: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (Object.hasOwn(SWITCHES, flag)) {
      const [key, on] = SWITCHES[flag];
      options[key] = on;
    } else if (Object.hasOwn(VALUED, flag)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new OptionError(`${flag} needs a value`);
      const [key, parse] = VALUED[flag];
      options[key] = parse(v);
    } else {
      throw new OptionError(`unknown option ${arg}`);
    }
  }
  options.browsers = options.browsers.map((b) => b.trim().toLowerCase()).filter(Boolean);
  const unknown = options.browsers.filter((b) => !KNOWN_BROWSERS.includes(b));
  if (unknown.length || options.browsers.length === 0) {
    throw new OptionError(
      `--browsers takes a comma-separated list of ${KNOWN_BROWSERS.join(', ')}; got ${JSON.stringify(options.browsers.join(','))}`,
    );
  }
  for (const [name, min] of [
    ['trials', 1],
    ['warmup', 0],
    ['timeout', 1000],
    ['quietWait', 0],
    ['gap', 0],
  ]) {
    if (!Number.isInteger(options[name]) || options[name] < min) {
      throw new OptionError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be an integer >= ${min}, got ${options[name]}`);
    }
  }
  return options;
}
