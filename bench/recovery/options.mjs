// bench:recovery's command line (documented at the top of bench/recovery.mjs).
import { parseArgs } from 'node:util';
import { BROWSER_LABEL, KNOWN_BROWSERS, OptionError } from '../connect/options.mjs';

export { BROWSER_LABEL, OptionError };

/** The systems measured, in this order: [name, label]. */
export const SYSTEMS = [
  ['product', '<p2p-video-call>'],
  ['peerjs', 'PeerJS 1.5.5 + peer 1.0.2'],
  ['floor', 'in-page floor'],
];
export const SYSTEM_LABEL = Object.fromEntries(SYSTEMS);

/** After the heal, a side whose video is not back within this long is "not back". */
export const GIVE_UP_MS = 30_000;
/** Frames that must follow the heal for video to count as back (as firstFrameAfter in test/e2e/harness.ts). */
export const FRAMES_BACK = 3;

export function usage() {
  return `usage: node bench/recovery.mjs [--trials N] [--outages 1,3,10,30] [--browser chromium|firefox]
                             [--systems product,peerjs,floor] [--quiet-wait S] [--json]
Run it through \`npm run bench:recovery\` (build + loopback-only network namespace).\n`;
}

/** The options from `argv`; throws an {@link OptionError} when one is bad. */
export function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        trials: { type: 'string', default: '5' },
        outages: { type: 'string', default: '1,3,10,30' },
        browser: { type: 'string', default: 'chromium' },
        systems: { type: 'string', default: SYSTEMS.map(([name]) => name).join(',') },
        'quiet-wait': { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new OptionError(error.message);
  }
  const options = {
    trials: Number(values.trials),
    outages: values.outages.split(',').map((s) => Number(s.trim())),
    browser: values.browser.trim().toLowerCase(),
    systems: values.systems
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    quietWait: Number(values['quiet-wait']),
    json: values.json,
    help: values.help,
  };
  if (!Number.isInteger(options.trials) || options.trials < 1)
    throw new OptionError(`--trials must be an integer >= 1, got ${values.trials}`);
  if (options.outages.length === 0 || !options.outages.every((s) => Number.isFinite(s) && s > 0 && s <= 600)) {
    throw new OptionError(`--outages takes seconds > 0 (at most 600), comma-separated; got ${JSON.stringify(values.outages)}`);
  }
  if (!KNOWN_BROWSERS.includes(options.browser)) {
    throw new OptionError(`--browser takes one of ${KNOWN_BROWSERS.join(', ')}; got ${JSON.stringify(values.browser)}`);
  }
  const unknown = options.systems.filter((s) => !Object.hasOwn(SYSTEM_LABEL, s));
  if (unknown.length || options.systems.length === 0) {
    throw new OptionError(
      `--systems takes a comma-separated list of ${SYSTEMS.map(([n]) => n).join(', ')}; got ${JSON.stringify(values.systems)}`,
    );
  }
  // measured in the usual order whatever order they were given in
  options.systems = SYSTEMS.map(([name]) => name).filter((name) => options.systems.includes(name));
  if (!Number.isInteger(options.quietWait) || options.quietWait < 0) {
    throw new OptionError(`--quiet-wait must be an integer >= 0, got ${values['quiet-wait']}`);
  }
  return options;
}
