import { readSample } from '../media/call-stats.js';
import { RECOVERY_POLICY } from './recovery-policy.js';

/**
 * Sees the other side's media stop and start again, from the inbound RTP packet count of
 * `getStats()` every {@link RECOVERY_POLICY.mediaPollMs}: ICE states say it late or never
 * (Chromium's stayed `connected` through a 3 s cut; a muted microphone or a stopped camera
 * still sends packets, silence and black frames, so no packets means no path). Only once packets
 * have arrived does their absence count: a peer that sends nothing at all is not an outage.
 *
 * @example
 * ```ts
 * const watch = new MediaWatch(pc, (flowing) => console.log(flowing ? 'media back' : 'media lost'));
 * watch.start();
 * ```
 */
export class MediaWatch {
  /** Whether media stopped for {@link RECOVERY_POLICY.mediaLostAfterMs} and has not come back. */
  lost = false;
  /** Whether the path in use (the selected candidate pair) goes through a TURN server. */
  relayed = false;
  /** Whether media has arrived at all (only then does its absence count). */
  get seen(): boolean {
    return this.#packets > 0;
  }
  readonly #pc: RTCPeerConnection;
  readonly #report: (flowing: boolean) => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #packets = 0;
  #lastArrivalAt = 0;
  #reading = false;

  /** @param report - called with `false` when media is lost, `true` when it flows again. */
  constructor(pc: RTCPeerConnection, report: (flowing: boolean) => void) {
    this.#pc = pc;
    this.#report = report;
  }

  /** Starts reading (again: a new path after a restart counts on from the same totals). */
  start(): void {
    if (this.#timer === undefined) this.#every(RECOVERY_POLICY.mediaPollMs);
  }

  /** Reads at `ms` intervals from now on (faster while media is lost: its return is what counts). */
  #every(ms: number): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#poll(), ms);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#reading) return; // a slow getStats() is not read twice
    this.#reading = true;
    let packets: number;
    try {
      const sample = readSample(await this.#pc.getStats(), 0);
      packets = sample.packetsReceived;
      if (sample.path) this.relayed = sample.path === 'relay';
    } catch {
      return this.stop(); // only a closed connection rejects
    } finally {
      this.#reading = false;
    }
    if (this.#timer === undefined) return;
    const now = performance.now();
    // Fewer than before: a stream's entry went (a transceiver stopped); count on from here.
    if (packets < this.#packets) this.#packets = packets;
    if (packets > this.#packets) {
      this.#packets = packets;
      this.#lastArrivalAt = now;
      if (this.lost) this.#set(false);
    } else if (this.seen && !this.lost && now - this.#lastArrivalAt >= RECOVERY_POLICY.mediaLostAfterMs) {
      this.#set(true);
    }
  }

  #set(lost: boolean): void {
    this.lost = lost;
    const { mediaPollMs, mediaLostPollMs } = RECOVERY_POLICY;
    this.#every(lost ? mediaLostPollMs : mediaPollMs);
    this.#report(!lost);
  }
}
