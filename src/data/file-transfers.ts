import { FileErrorEvent, FileProgressEvent, FileReceivedEvent } from '../call/events.js';
import type { ChatFile, ChatLog } from './chat-log.js';
import type { FileErrorCode, Frame } from './data-frames.js';
import type { ChunkSource, PeerChannel } from './peer-channel.js';
import { PerSecond } from './per-second.js';

/** What is read from a file at once: the sender holds at most this and the channel's few MiB. */
const SLICE = 1 << 20;
/** The largest chunk's bytes: under every browser's SCTP message size (Chromium's is 256 KiB). */
const CHUNK = 65_532;
/** The other side's files taken at once: more offers are refused (`too-large`), so a peer can't pile them up. */
const INCOMING = 32;
/** The largest file taken from the other side unless the element says otherwise (`max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 100 << 20;

/** A file under way, either way, as the chat shows it, and what moving it takes. */
interface Transfer extends ChatFile, ChunkSource {
  /** Its number on the wire (random: both sides' numbers are in one table). */
  n: number;
  /** When the last `file-progress` went out. */
  told: number;
  /** Ours: the file, the slice read and where the next chunk starts in it, how far it is read. */
  file?: Blob;
  slice?: Uint8Array;
  at: number;
  read: number;
  reading?: boolean;
  /** Ours: the offer went out on the channel open now. */
  offered?: boolean;
  /** Theirs: the MIME type it gave, and the bytes so far. */
  type: string;
  parts: BlobPart[];
  done(): void;
}

/**
 * Files both ways on the {@link PeerChannel}: the offer, the receiver's answer (refused at once
 * when over its limit, so no byte moves), the bytes in chunks read slice by slice, and the
 * receiver's "all here". Events: `file-progress` (at most every 100 ms, and at the end),
 * `file-received`, `file-error`; each file is in the {@link ChatLog} too. The other side's
 * frames are checked against what it offered.
 */
export class FileTransfers {
  /** The largest file this side accepts (bytes; the element's `max-file-size`). */
  maxFileSize = DEFAULT_MAX_FILE_SIZE;
  readonly #channel: PeerChannel;
  readonly #emit: (event: Event) => void;
  readonly #chat: ChatLog;
  readonly #all = new Map<number, Transfer>();
  /** The other side's offers taken per second (beyond: refused unseen). */
  readonly #offers = new PerSecond(INCOMING);

  constructor(channel: PeerChannel, emit: (event: Event) => void, chat: ChatLog) {
    this.#channel = channel;
    this.#emit = emit;
    this.#chat = chat;
  }

  /** Sends `file`; resolves once the other side has every byte, or the transfer failed (`file-error`). */
  send(file: Blob, name = (file as File).name || 'file'): Promise<void> {
    return new Promise((done) => {
      // The receiver takes names and types of at most 255 characters.
      const t = this.#add(
        crypto.getRandomValues(new Uint32Array(1))[0],
        name.slice(0, 255),
        file.size,
        file.type.slice(0, 255),
        'send',
        done,
      );
      t.file = file;
      t.next = () => this.#next(t);
      // Unless a listener of its first file-progress cancelled it already.
      if (this.#all.get(t.n) === t) this.#offer(t);
    });
  }

  /** Cancels transfer `id` (of `file-progress`), either way: `file-error` `cancelled` on both sides. */
  cancel(id: string): void {
    const t = this.#all.get(+id);
    if (!t) return;
    this.#channel.send(['x', t.n, 'cancelled']);
    this.#fail(t, 'cancelled');
  }

  /**
   * The channel opened or closed. Open: files that waited are offered. Closed: what was under
   * way is `interrupted`; files not offered yet wait for the next channel (`end`: the call
   * ended, nothing waits).
   */
  opened(open: boolean, end = false): void {
    // A copy: a file-error listener may send another file.
    for (const t of [...this.#all.values()]) {
      if (t.offered || end || !t.file) this.#fail(t, 'interrupted');
      else if (open) this.#offer(t);
    }
  }

  /** A frame about a file. */
  frame([kind, n, name, size, type]: Frame): void {
    const t = this.#all.get(n as number);
    if (kind === 'o') {
      if (t) return;
      // Offers beyond INCOMING a second are refused unseen: a flood of them can't fill the chat.
      if (!this.#offers.take()) return this.#channel.send(['x', n, 'too-large']);
      const offered = this.#add(n, name, size, type, 'receive');
      if (offered.size > this.maxFileSize || [...this.#all.values()].filter((t) => !t.file).length > INCOMING) {
        this.#channel.send(['x', offered.n, 'too-large']);
        return this.#fail(offered, 'too-large');
      }
      this.#channel.send(['a', offered.n]);
      this.#received(offered);
    } else if (kind === 'x') {
      if (t) this.#fail(t, name);
    } else if (t?.file && kind === 'a' && !t.slice) {
      this.#channel.sources.add(t);
      this.#read(t);
    } else if (t?.file && kind === 'd' && t.bytes === t.size) {
      this.#all.delete(t.n);
      this.#channel.sources.delete(t);
      t.slice = t.file = undefined;
      this.#progress(t, true);
      t.done();
    }
  }

  /** Bytes of the other side's file `n`. */
  chunk(n: number, bytes: Uint8Array): void {
    const t = this.#all.get(n);
    if (!t || t.file) return;
    if (t.bytes + bytes.length > t.size) {
      // More than it offered: it is not getting that in.
      this.#channel.send(['x', n, 'too-large']);
      return this.#fail(t, 'too-large');
    }
    t.parts.push(bytes as Uint8Array<ArrayBuffer>);
    // Every 16 MiB into a Blob: the browser keeps it (on disk when it must), not the page's heap.
    if (t.parts.length > 255) t.parts = [new Blob(t.parts)];
    t.bytes += bytes.length;
    this.#progress(t);
    // Unless a listener of that progress cancelled it.
    if (this.#all.get(n) === t) this.#received(t);
  }

  #add(
    n: number,
    name: string,
    size: number,
    type: string,
    direction: 'send' | 'receive',
    done = () => {
      // Nobody waits for a file we receive.
    },
  ): Transfer {
    const t = { id: `${n}`, n, name, size, type, direction, bytes: 0, told: 0, at: 0, read: 0, parts: [], done } as unknown as Transfer;
    this.#all.set(n, t);
    this.#chat.add(t);
    this.#progress(t, true);
    return t;
  }

  #offer(t: Transfer): void {
    if (!this.#channel.open) return;
    t.offered = true;
    this.#channel.send(['o', t.n, t.name, t.size, t.type]);
  }

  /** The next chunk of `t`, from the slice read; the next slice is read once it is used up. */
  #next(t: Transfer): Uint8Array | undefined {
    const slice = t.slice;
    if (!slice || t.at >= slice.length) return;
    const bytes = slice.subarray(t.at, (t.at += CHUNK));
    const chunk = new Uint8Array(bytes.length + 4);
    new DataView(chunk.buffer).setUint32(0, t.n);
    chunk.set(bytes, 4);
    t.bytes += bytes.length;
    this.#progress(t);
    if (t.bytes === t.size) this.#channel.sources.delete(t);
    else if (t.at >= slice.length) this.#read(t);
    return chunk;
  }

  #read(t: Transfer): void {
    if (t.reading) return;
    t.reading = true;
    t.file!.slice(t.read, (t.read += SLICE))
      .arrayBuffer()
      .then(
        (buffer) => {
          t.reading = false;
          // Over meanwhile (cancelled, interrupted): the slice is not kept.
          if (this.#all.get(t.n) !== t) return;
          t.slice = new Uint8Array(buffer);
          t.at = 0;
          // An empty file has nothing to send: its offer's answer is enough.
          if (!t.size) this.#channel.sources.delete(t);
          this.#channel.pump();
        },
        // The file can't be read (deleted, permission gone): the transfer is over.
        () => this.cancel(t.id),
      );
  }

  /** All of the other side's file arrived: `file-received`, a download link, and it hears so. */
  #received(t: Transfer): void {
    if (t.bytes < t.size) return;
    this.#all.delete(t.n);
    this.#channel.send(['d', t.n]);
    const file = new File(t.parts, t.name, { type: t.type });
    t.parts = [];
    // Its link, if it is still in the chat (the log revokes the links of what leaves it).
    if (this.#chat.items.includes(t)) t.url = URL.createObjectURL(file);
    this.#emit(new FileReceivedEvent({ id: t.id, name: t.name, size: t.size, type: t.type, file }));
  }

  /** `file-progress` for `t`: at most every 100 ms, and always when `now`. */
  #progress(t: Transfer, now = t.bytes === t.size): void {
    const at = performance.now();
    if (!now && at - t.told < 100) return;
    t.told = at;
    this.#emit(new FileProgressEvent({ id: t.id, name: t.name, size: t.size, bytes: t.bytes, direction: t.direction }));
  }

  /** `t` is over with `code`: forgotten, and `file-error`. */
  #fail(t: Transfer, code: FileErrorCode): void {
    if (!this.#all.delete(t.n)) return;
    t.error = code;
    t.parts = [];
    t.slice = t.file = undefined;
    this.#channel.sources.delete(t);
    this.#emit(new FileErrorEvent({ id: t.id, name: t.name, direction: t.direction, code }));
    t.done();
  }
}
