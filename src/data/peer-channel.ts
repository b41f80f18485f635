import { parseFrame, type Frame } from './data-frames.js';

/** Something with binary chunks to send when the channel has room: a file being sent. */
export interface ChunkSource {
  /** The next chunk (transfer number first), or nothing ready now (it calls `pump()` once it is). */
  next(): Uint8Array | undefined;
}

/** What a {@link PeerChannel} hands on. */
export interface PeerChannelHandlers {
  /** A valid text frame arrived. */
  frame(frame: Frame): void;
  /** File bytes arrived for the other side's transfer `n`. */
  chunk(n: number, bytes: Uint8Array): void;
  /** The channel opened (`true`), or closed or was replaced (`false`). */
  open(open: boolean): void;
}

/**
 * Flow control above the watermarks: below `HIGH` bytes buffered the channel takes more; it
 * waits for `bufferedamountlow` at `LOW`. A few MiB keep a loopback or LAN link busy, and keep a
 * 2 GiB file out of memory (Chromium closes a channel with 16 MiB buffered: peerjs#291; simple-peer#895 is the "send queue is full" that comes of not waiting).
 */
const HIGH = 4 << 20;
const LOW = 1 << 20;

/**
 * The call's data channel as one ordered, reliable pipe that outlives each `RTCDataChannel`:
 * the session's channel is attached with {@link PeerChannel.use} (again after a rebuild), text
 * frames wait in order while it is not open, and binary chunks of the {@link PeerChannel.sources}
 * are interleaved behind the text, round robin, so a message is never stuck behind a file.
 */
export class PeerChannel {
  /** Senders of binary chunks (files), served in turn. */
  readonly sources = new Set<ChunkSource>();
  #dc: RTCDataChannel | null = null;
  /** Text frames not yet handed to the channel. */
  #queue: string[] = [];
  #pumping = false;
  readonly #on: PeerChannelHandlers;

  constructor(handlers: PeerChannelHandlers) {
    this.#on = handlers;
  }

  /** Whether frames go out now. */
  get open(): boolean {
    return this.#dc?.readyState === 'open';
  }

  /**
   * Sends from `dc` from now on (`null`: none). The one place the channel changes: the old
   * one's handlers are removed first, so nothing it says later reaches us.
   */
  use(dc: RTCDataChannel | null): void {
    const old = this.#dc;
    if (old === dc) return;
    this.#dc = dc;
    if (old) {
      old.onopen = old.onclose = old.onmessage = old.onbufferedamountlow = null;
      this.#on.open(false);
    }
    if (!dc) return;
    dc.binaryType = 'arraybuffer';
    dc.bufferedAmountLowThreshold = LOW;
    dc.onbufferedamountlow = () => this.pump();
    dc.onopen = () => {
      this.#on.open(true);
      this.pump();
    };
    // Open already (a prepared session's): no open event comes.
    if (dc.readyState === 'open') dc.onopen(new Event('open'));
    dc.onclose = () => this.use(null);
    dc.onmessage = ({ data }: MessageEvent<string | ArrayBuffer>) => {
      if (typeof data === 'string') {
        const frame = parseFrame(data);
        if (frame) this.#on.frame(frame);
      } else if (data.byteLength > 4) {
        this.#on.chunk(new DataView(data).getUint32(0), new Uint8Array(data, 4));
      }
    };
  }

  /** Sends `frame` once the channel is open, after the ones before it. */
  send(frame: Frame): void {
    this.#queue.push(JSON.stringify(frame));
    this.pump();
  }

  /** Drops what waits (the call ended) and lets go of the channel. */
  end(): void {
    this.#queue = [];
    this.use(null);
  }

  /** Hands the channel what it has room for: text first, then a chunk of each source in turn. */
  pump(): void {
    // Not again from inside itself (a `file-progress` listener that sends): chunks would go out
    // of order. What such a listener queues goes out on this loop's next turn.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      this.#fill();
    } finally {
      this.#pumping = false;
    }
  }

  #fill(): void {
    const dc = this.#dc;
    while (dc?.readyState === 'open' && dc.bufferedAmount < HIGH) {
      let frame: string | Uint8Array | undefined = this.#queue[0];
      for (const source of frame === undefined ? this.sources : []) {
        if ((frame = source.next())) {
          // To the back of the line, unless that was its last chunk (it left the set then).
          if (this.sources.delete(source)) this.sources.add(source);
          break;
        }
      }
      if (!frame) return;
      try {
        dc.send(frame as string);
      } catch (error) {
        // Closing under us (its close event follows): the text waits for the next channel.
        return console.warn('p2p-video-call:', error);
      }
      if (frame === this.#queue[0]) this.#queue.shift();
    }
  }
}
