import type { FileErrorCode } from './data-frames.js';

/** A chat line, as `chat-message` says it. */
export interface ChatLine {
  text: string;
  from: 'local' | 'remote';
  name: string;
  /** `Date.now()` when sent or received. */
  at: number;
}

/** A file in the chat (its transfer, live): under way, arrived (`url` to download it), or failed (`error`). */
export interface ChatFile {
  id: string;
  name: string;
  size: number;
  bytes: number;
  direction: 'send' | 'receive';
  url?: string;
  error?: FileErrorCode;
}

/** The lines kept: older ones go (a peer sending thousands can't grow the page). */
const KEPT = 200;

/**
 * The chat of this call: its lines and files, newest last, at most {@link KEPT}, and how many
 * arrived since it was last read. A received file gets an object URL for its download link,
 * revoked when it leaves the log.
 */
export class ChatLog {
  items: Array<ChatLine | ChatFile> = [];
  /** Lines and files from the other person since the chat was last open. */
  unread = 0;
  /** Whether the chat is shown: what arrives meanwhile is read. */
  reading = false;

  /** A line sent or received. */
  add(item: ChatLine | ChatFile): void {
    this.items.push(item);
    for (const gone of this.items.splice(0, this.items.length - KEPT)) this.#revoke(gone);
    if (!this.reading && (item as ChatLine).from !== 'local' && (item as ChatFile).direction !== 'send') this.unread++;
  }

  /** Marks everything read. */
  read(): void {
    this.unread = 0;
  }

  /** Empties the log (a new call). */
  clear(): void {
    this.items.forEach((i) => this.#revoke(i));
    this.items = [];
    this.unread = 0;
  }

  #revoke(item: ChatLine | ChatFile): void {
    if ((item as ChatFile).url) URL.revokeObjectURL((item as ChatFile).url!);
  }
}
