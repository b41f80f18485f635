/**
 * What goes over the call's data channel, and the checks on what comes in. The other peer is
 * untrusted: a frame that does not parse, or breaks a bound below, is dropped.
 *
 * Text frames are JSON arrays, the kind first. File bytes go as binary messages: the file's
 * number (4 bytes, big-endian), then the bytes.
 */
export type Frame =
  /** An app message (`send()`). */
  | ['m', unknown]
  /** A chat line. */
  | ['c', string]
  /** A file offer: the sender's transfer number, name, size in bytes, MIME type. */
  | ['o', number, string, number, string]
  /** The receiver takes the sender's file `n`: its bytes may come. */
  | ['a', number]
  /** Either side cancels file `n`, or the receiver refuses it (`too-large`). */
  | ['x', number, FileErrorCode]
  /** The receiver has every byte of the sender's file `n`. */
  | ['d', number];

/** Why a transfer failed (`file-error`). */
export type FileErrorCode = 'too-large' | 'cancelled' | 'interrupted';

/** The largest app message, serialized (UTF-8 bytes). */
export const MAX_MESSAGE_BYTES = 65_536;
/** The longest chat line (characters). */
export const MAX_CHAT_LENGTH = 2_000;

const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const text = (s: unknown, max: number): s is string => typeof s === 'string' && s.length <= max;

/** The frame in `data`, or `null` when it is not one. Never throws. */
export function parseFrame(data: string): Frame | null {
  // A JSON text of n UTF-8 bytes has at most n characters; the frame adds a few.
  if (data.length > MAX_MESSAGE_BYTES + 16) return null;
  let f: unknown;
  try {
    f = JSON.parse(data);
  } catch {
    return null;
  }
  if (!Array.isArray(f)) return null;
  const [kind, a, b, c, d] = f as unknown[];
  const ok =
    kind === 'm'
      ? f.length === 2
      : kind === 'c'
        ? text(a, MAX_CHAT_LENGTH)
        : kind === 'o'
          ? count(a) && text(b, 255) && count(c) && text(d, 255)
          : kind === 'x'
            ? count(a) && (b === 'too-large' || b === 'cancelled')
            : (kind === 'a' || kind === 'd') && count(a);
  return ok ? (f as Frame) : null;
}
