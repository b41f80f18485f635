/**
 * The library's option check: every row of the option table that code can set, checked by the
 * same rule the environment's variable is parsed with.
 */
import { OPTION_TABLE } from './option-table.js';
import type { SignalingServerOptions } from './options.js';
import { InvalidOption } from './rules.js';

/** Throw a `TypeError`/`RangeError` with a plain message if an option is unusable. */
export function checkOptions(options: SignalingServerOptions): void {
  for (const option of OPTION_TABLE) {
    if (option.read === undefined) continue; // the CLI's own (port, host, log level)
    const value = option.read(options);
    if (value === undefined && !option.requiredIn?.(options)) continue;
    try {
      option.rule.check(value, option.key);
    } catch (error) {
      if (!(error instanceof InvalidOption)) throw error;
      const message = `createSignalingServer: ${error.message}`;
      throw error.range ? new RangeError(message) : new TypeError(message);
    }
  }
}
