/**
 * A Lua script kept in a `.lua` file next to the code that calls it: read once, when first
 * needed (`npm run build:tsc` copies the files next to the compiled modules), loaded into Redis
 * once, then run by its SHA.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How a script reaches Redis: one command, as node-redis's `sendCommand` takes it. */
export type SendCommand = (args: string[]) => Promise<unknown>;

/** One script file. */
export class LuaScript {
  readonly #file: string;
  #source: string | undefined;
  #sha: string | null = null;

  /** `file`: e.g. `new URL('./room-script.lua', import.meta.url)`. */
  constructor(file: URL) {
    this.#file = fileURLToPath(file);
  }

  /** The script's text. Throws at once if the file is missing (a build without its `.lua` files). */
  get source(): string {
    if (this.#source === undefined) {
      try {
        this.#source = readFileSync(this.#file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${this.#file} (built without \`npm run build:tsc\`?)`, { cause: error });
      }
    }
    return this.#source;
  }

  /** Runs the script with `keys` and `args` (EVALSHA; loaded again once if Redis lost it). */
  async run(send: SendCommand, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const call = (sha: string) => send(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    try {
      this.#sha ??= String(await send(['SCRIPT', 'LOAD', this.source]));
      return await call(this.#sha);
    } catch (error) {
      // Redis restarted without its scripts: load it again once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.#sha = String(await send(['SCRIPT', 'LOAD', this.source]));
      return call(this.#sha);
    }
  }
}
