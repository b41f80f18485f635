import { ChatMessageEvent, PeerMessageEvent } from '../call/events.js';
import { ChatLog } from './chat-log.js';
import { MAX_CHAT_LENGTH, MAX_MESSAGE_BYTES, type Frame } from './data-frames.js';
import { FileTransfers } from './file-transfers.js';
import { PeerChannel } from './peer-channel.js';
import { PerSecond } from './per-second.js';

/** Chat lines taken from the other person per second: a flood beyond that is dropped. */
const LINES_PER_SECOND = 20;

/**
 * What the call carries besides audio and video, peer to peer on one data channel (the relay
 * never sees it): app messages (`send()`, `peer-message`), the chat (`chat-message`, its
 * {@link ChatLog}) and files ({@link FileTransfers}). It outlives each peer connection: what waits
 * for the channel is sent on the next one, and dropped when the call ends ({@link CallData.end}).
 */
export class CallData {
  readonly chat = new ChatLog();
  readonly files: FileTransfers;
  readonly #channel: PeerChannel;
  readonly #emit: (event: Event) => void;
  readonly #changed: () => void;
  /** The other person's name, for its chat lines. */
  readonly #peerName: () => string;
  /** The other side's chat lines shown per second: a flood beyond that is dropped. */
  readonly #lines = new PerSecond(LINES_PER_SECOND);

  constructor(emit: (event: Event) => void, changed: () => void, peerName: () => string) {
    this.#emit = emit;
    // Once a frame at most: whatever the other side floods in, the chat renders 60 times a second.
    let asked = false;
    this.#changed = () => {
      if (asked) return;
      asked = true;
      requestAnimationFrame(() => {
        asked = false;
        changed();
      });
    };
    this.#peerName = peerName;
    const files = (this.files = new FileTransfers(
      (this.#channel = new PeerChannel({
        frame: (frame) => this.#frame(frame),
        chunk: (n, bytes) => files.chunk(n, bytes),
        open: (open) => files.opened(open),
      })),
      (event) => {
        emit(event);
        this.#changed();
      },
      this.chat,
    ));
  }

  /**
   * Sends an app message: a JSON value of at most 64 KiB serialized, ordered and reliable; it
   * waits while the channel is not open. Throws `TypeError` (not JSON) or `RangeError` (too big).
   */
  send(data: unknown): void {
    const json = JSON.stringify(data) as string | undefined;
    if (json === undefined) throw new TypeError('send(): not JSON');
    if (new Blob([json]).size > MAX_MESSAGE_BYTES) throw new RangeError('send(): over 64 KiB');
    this.#channel.send(['m', data]);
  }

  /** Sends a chat line (at most 2,000 characters) as `name`. */
  say(text: string, name: string): void {
    text = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!text) return;
    this.#channel.send(['c', text]);
    this.#line(text, 'local', name);
  }

  /** Sends and receives on `dc` (the session's channel), or on none. */
  use(dc: RTCDataChannel | null): void {
    this.#channel.use(dc);
  }

  /** The call ended: waiting messages are dropped, transfers `interrupted`. */
  end(): void {
    this.#channel.end();
    this.files.opened(false, true);
  }

  #frame(frame: Frame): void {
    const [kind, value] = frame;
    if (kind === 'm') return this.#emit(new PeerMessageEvent({ data: value }));
    if (kind !== 'c') return this.files.frame(frame);
    if (this.#lines.take()) this.#line(value, 'remote', this.#peerName());
  }

  #line(text: string, from: 'local' | 'remote', name: string): void {
    const line = { text, from, name, at: Date.now() };
    this.chat.add(line);
    this.#emit(new ChatMessageEvent({ ...line }));
    this.#changed();
  }
}
