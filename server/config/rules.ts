/**
 * What each option's value must be, written once for both ways in: `parse` takes the text of an
 * environment variable, `check` a value given to `createSignalingServer` in code. Both say what is
 * wrong in the same words, after the option's name (`ROOM_CAPACITY`, or `roomCapacity`).
 */
import type { RTCIceServerInit } from '../../src/protocol.js';

/** A value that breaks its option's rule. `range`: the value has the right type but is out of bounds. */
export class InvalidOption extends Error {
  override name = 'InvalidOption';
  constructor(
    message: string,
    readonly range = false,
  ) {
    super(message);
  }
}

/** One option's rule. */
export interface Rule<T> {
  /** The value of an environment variable's (trimmed, non-empty) text; `undefined`: as if unset. */
  parse(text: string, name: string): T | undefined;
  /** Throws {@link InvalidOption} unless `value` (given in code) is usable. */
  check(value: unknown, name: string): void;
}

/** Schemes accepted in ICE server URLs. */
const ICE_URL_SCHEMES = ['stun:', 'stuns:', 'turn:', 'turns:'] as const;
/** Schemes accepted for coturn's URLs (coturn serves no `stuns:`). */
export const TURN_URL_SCHEMES = ['turn:', 'turns:', 'stun:'] as const;

/** Whether `value` is exactly an origin (`scheme://host[:port]`, no path). */
function isOrigin(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.origin !== 'null' && url.origin === value;
  } catch {
    return false; // not a URL at all: not an origin
  }
}

/** Whether an ICE server URL has one of `schemes` and something after it. */
function isIceUrl(value: unknown, schemes: readonly string[] = ICE_URL_SCHEMES): value is string {
  return (
    typeof value === 'string' && schemes.some((scheme) => value.startsWith(scheme) && value.length > scheme.length) && !/\s/.test(value)
  );
}

/** A comma-separated list, without empty items; `undefined` when nothing is left. */
export function list(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length === 0 ? undefined : items;
}

/** An integer from `min` to `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Rule<number> {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  const within = (value: unknown): value is number => Number.isInteger(value) && Number(value) >= min && Number(value) <= max;
  return {
    parse(text, name) {
      const value = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!within(value)) throw new InvalidOption(`${name} must be an integer ${range}, got "${text}"`);
      return value;
    },
    check(value, name) {
      if (!within(value)) throw new InvalidOption(`${name} must be an integer ${range}, got ${String(value)}`, true);
    },
  };
}

/** A duration in ms up to `maxMs`, given in seconds in the environment (`2.5`). */
export function seconds(maxMs: number): Rule<number> {
  return {
    parse(text, name) {
      if (!/^\d+(\.\d+)?$/.test(text) || Number(text) * 1000 > maxMs) {
        throw new InvalidOption(`${name} must be a number of seconds from 0 to ${maxMs / 1000}, got "${text}"`);
      }
      return Math.round(Number(text) * 1000);
    },
    check(value, name) {
      if (typeof value !== 'number' || !(value >= 0 && value <= maxMs)) {
        throw new InvalidOption(`${name} must be a number of ms from 0 to ${maxMs}, got ${String(value)}`, true);
      }
    },
  };
}

/** A number above 0 (library only: no environment variable uses it). */
export const positive: Rule<number> = {
  parse(value, name) {
    positive.check(Number(value), name);
    return Number(value);
  },
  check(value, name) {
    if (typeof value !== 'number' || !(value > 0)) throw new InvalidOption(`${name} must be > 0`, true);
  },
};

/** Any text. */
export const text: Rule<string> = {
  parse: (value) => value,
  check(value, name) {
    if (typeof value !== 'string') throw new InvalidOption(`${name} must be a string`);
  },
};

/** Text that is not empty. */
export const nonEmpty: Rule<string> = {
  parse: (value) => value,
  check(value, name) {
    if (typeof value !== 'string' || value === '') throw new InvalidOption(`${name} must not be empty`);
  },
};

/** One of `values`. */
export function oneOf<T extends string>(values: readonly T[]): Rule<T> {
  const includes = (value: unknown): value is T => values.some((allowed) => allowed === value);
  return {
    parse(value, name) {
      if (!includes(value)) throw new InvalidOption(`${name} must be one of ${values.join(', ')}, got "${value}"`);
      return value;
    },
    check(value, name) {
      if (!includes(value)) throw new InvalidOption(`${name} must be one of ${values.join(', ')}, got ${String(value)}`);
    },
  };
}

/** Text at least `min` characters long, e.g. a secret; `advice` follows the environment's message. */
export function longText(min: number, advice: string): Rule<string> {
  return {
    parse(value, name) {
      if (value.length < min) throw new InvalidOption(`${name} must be at least ${min} characters ${advice}`, true);
      return value;
    },
    check(value, name) {
      if (typeof value !== 'string' || value.length < min) throw new InvalidOption(`${name} must be at least ${min} characters`, true);
    },
  };
}

/** A comma-separated list of page origins (`https://shop.example.com`). */
export const origins: Rule<string[]> = {
  parse(value, name) {
    const items = list(value);
    for (const item of items ?? []) checkOrigin(item, name);
    return items;
  },
  check(value, name) {
    if (!Array.isArray(value)) throw new InvalidOption(`${name} must be a list of origins`);
    for (const item of value) checkOrigin(item, name);
  },
};

function checkOrigin(value: unknown, name: string): void {
  if (!isOrigin(value)) {
    throw new InvalidOption(`${name}: "${String(value)}" is not an origin like https://shop.example.com (no path, no trailing slash)`);
  }
}

/** A comma-separated list of at least one URL with one of `schemes`. */
export function urls(schemes: readonly string[]): Rule<string[]> {
  const each = (items: readonly unknown[], name: string): void => {
    const bad = items.find((url) => !isIceUrl(url, schemes));
    if (bad !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value the code passed, as String() shows it
      throw new InvalidOption(`${name}: "${String(bad)}" is not a ${schemes.join(', ').replace(/, ([^,]*)$/, ' or $1')} URL`);
    }
  };
  return {
    parse(value, name) {
      const items = list(value);
      each(items ?? [], name);
      return items;
    },
    check(value, name) {
      if (!Array.isArray(value) || value.length === 0) throw new InvalidOption(`${name} must list at least one URL`);
      each(value, name);
    },
  };
}

/** `redis://` or `rediss://` (in code, a node-redis client is taken as it is). */
export const redisUrl: Rule<string> = {
  parse(value, name) {
    if (!/^rediss?:\/\/./.test(value)) throw new InvalidOption(`${name} must be a redis:// or rediss:// URL, got "${value}"`);
    return value;
  },
  check(value, name) {
    if (typeof value === 'string') redisUrl.parse(value, name);
  },
};

/** Trusted proxy hops: a number of them, or `true` for one (`false`: none). */
export const proxyHops: Rule<number> = {
  parse(value, name) {
    if (value === 'true') return 1;
    if (value === 'false') return 0;
    return hops.parse(value, name);
  },
  check(value, name) {
    if (typeof value !== 'boolean') hops.check(value, name);
  },
};
const hops = integer(0, 10);

/**
 * Extra ICE servers: in the environment comma-separated URLs, or a JSON array of
 * `RTCIceServer`; in code an array of them.
 */
export const iceServers: Rule<RTCIceServerInit[]> = {
  parse(value, name) {
    if (!value.startsWith('[')) {
      const items = list(value) ?? [];
      const bad = items.find((url): boolean => !isIceUrl(url));
      if (bad !== undefined) throw new InvalidOption(`${name}: "${bad}" is not a stun:, stuns:, turn: or turns: URL`);
      return items.map((url) => ({ urls: url }));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidOption(`${name} starts with "[" but is not valid JSON`);
    }
    if (!Array.isArray(parsed)) throw new InvalidOption(`${name} must be a JSON array`);
    return parsed.map((entry: unknown, index) => toIceServer(entry, index, name));
  },
  check(value, name) {
    if (!Array.isArray(value)) throw new InvalidOption(`${name} must be a JSON array`);
    value.forEach((entry: unknown, index) => void toIceServer(entry, index, name));
  },
};

/** One checked `RTCIceServer`, with only its own fields. */
function toIceServer(entry: unknown, index: number, name: string): RTCIceServerInit {
  const where = `${name}[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new InvalidOption(`${where} must be an object with urls`);
  const { urls, username, credential } = entry as Record<string, unknown>;
  const urlList: unknown = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(urlList) || urlList.length === 0 || !urlList.every((url) => isIceUrl(url))) {
    throw new InvalidOption(`${where}.urls must be stun:/turn: URLs`);
  }
  if ((username !== undefined && typeof username !== 'string') || (credential !== undefined && typeof credential !== 'string')) {
    throw new InvalidOption(`${where}: username and credential must be strings`);
  }
  return {
    urls: typeof urls === 'string' ? urls : urlList.map(String),
    ...(username === undefined ? {} : { username }),
    ...(credential === undefined ? {} : { credential }),
  };
}
