export interface WaitOptions {
  /** Give up after this many ms (default 10000). */
  timeout?: number;
  /** Poll every this many ms (default 50). */
  interval?: number;
  /** What is being waited for, for the timeout error. */
  message?: string;
}
export function waitFor<T>(fn: () => T | Promise<T>, options?: WaitOptions): Promise<NonNullable<T>>;
export function withTimeout<T>(promise: Promise<T>, timeout: number, message: string): Promise<T>;
/** Thrown by a waitFor callback to stop waiting at once. */
export class GiveUp extends Error {}
