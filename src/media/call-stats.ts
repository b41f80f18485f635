/** How the call is doing, as a person would put it. */
export type QualityLevel = 'good' | 'fair' | 'poor' | 'lost';

/** Why the quality is not `good` (as Daily's network-quality reasons), or `null` when it is. */
export type QualityReason = 'packet-loss' | 'rtt' | 'bandwidth' | 'no-media' | null;

/** The call's quality, from `getStats()`; rates are over the last {@link QUALITY.windowMs}. */
export interface CallQuality {
  level: QualityLevel;
  /** What holds it back: `no-media` (nothing arriving), `packet-loss`, `rtt` or `bandwidth` (the sender's estimate). */
  reason: QualityReason;
  /** The way the media goes: `direct` (peer to peer) or `relay` (through a TURN server); `null` before a path is chosen. */
  path: 'direct' | 'relay' | null;
  /** The transport to the other side, or to the TURN server on a relayed path. */
  protocol: 'udp' | 'tcp' | 'tls' | null;
  /** Round-trip time of the connection in ms (`null` until measured). */
  rttMs: number | null;
  /** Share of the packets sent to us that were lost over the last interval, 0..1. */
  packetLoss: number;
  sendKbps: number;
  receiveKbps: number;
  /** The other person's video as it arrives (0 without video). */
  frameWidth: number;
  frameHeight: number;
  framesPerSecond: number;
}

/**
 * The thresholds, and why:
 * - `lost`: no media packet in the whole window (a muted microphone and a stopped camera still
 *   send silence and black frames), or nothing at all (media, RTCP or ICE checks) for
 *   `lostAfterMs`. A call with a camera off still receives RTCP every second, so 3 s of silence
 *   is an outage, not a pause.
 * - `poor`: loss ≥ 10 % or RTT ≥ 500 ms. Past 10 % loss, retransmission and concealment no
 *   longer hide it: video freezes, speech breaks up. 500 ms RTT is 250 ms one way, past which
 *   ITU-T G.114 finds most people dissatisfied (people talk over each other).
 * - `fair`: loss ≥ 3 % or RTT ≥ 300 ms. Opus and VP8 with NACK conceal up to about 2–3 % loss
 *   well; 300 ms RTT is G.114's 150 ms one-way limit for transparent interactivity.
 */
export const QUALITY = {
  /** How often getStats() is read: an outage shows within `lostAfterMs` + `pollMs` (4 s). */
  pollMs: 1000,
  /** Rates are averaged, and `quality` refreshed, over this window. */
  windowMs: 2000,
  lostAfterMs: 3000,
  /** Timers run a little early or late: three polls 999 ms apart still count as 3 s. */
  slackMs: 100,
  poor: { loss: 0.1, rttMs: 500 },
  fair: { loss: 0.03, rttMs: 300 },
  /** Below this estimate of what can be sent (kbit/s; Chromium's `availableOutgoingBitrate`) video suffers: `fair`. */
  fairBelowKbps: 150,
} as const;

/** The figures of one `getStats()` report that quality is derived from. */
export interface StatsSample {
  at: number;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  /** Bytes received on the selected candidate pair (media, RTCP, ICE checks), and which pair. */
  heard: number;
  pairId: string;
  rttMs: number | null;
  frameWidth: number;
  frameHeight: number;
  framesPerSecond: number;
  /** Chromium's estimate of the bandwidth out, kbit/s (`null` where not given). */
  outKbps: number | null;
  path: CallQuality['path'];
  protocol: CallQuality['protocol'];
}

/**
 * The fields of a stats report's entries (webrtc-stats) that are read here and by the tests,
 * whatever the entry's `type`. Firefox marks the selected candidate pair with `selected`.
 */
export interface StatsEntry {
  type: string;
  id: string;
  kind?: string;
  bytesSent?: number;
  bytesReceived?: number;
  packetsReceived?: number;
  packetsLost?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  selectedCandidatePairId?: string;
  selected?: boolean;
  nominated?: boolean;
  state?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
  protocol?: string;
  relayProtocol?: string;
  availableOutgoingBitrate?: number;
}

/**
 * A stats report with its entries typed (an `RTCStatsReport` is one: the DOM types give its
 * entries as `any`). A missing id reads as no entry, as `Map.get` does.
 */
export type StatsReport = ReadonlyMap<string | undefined, StatsEntry>;

/** Reads the figures out of a stats report (Chromium and Firefox name things differently). */
export function readSample(report: StatsReport, at: number): StatsSample {
  const s: StatsSample = {
    at,
    bytesSent: 0,
    bytesReceived: 0,
    packetsReceived: 0,
    packetsLost: 0,
    heard: 0,
    pairId: '',
    rttMs: null,
    frameWidth: 0,
    frameHeight: 0,
    framesPerSecond: 0,
    outKbps: null,
    path: null,
    protocol: null,
  };
  let pair: StatsEntry | undefined;
  let rtt: number | undefined;
  report.forEach((r) => {
    if (r.type === 'outbound-rtp') s.bytesSent += r.bytesSent ?? 0;
    if (r.type === 'inbound-rtp') {
      s.bytesReceived += r.bytesReceived ?? 0;
      s.packetsReceived += r.packetsReceived ?? 0;
      s.packetsLost += Math.max(0, r.packetsLost ?? 0);
      if (r.kind === 'video')
        ({ frameWidth: s.frameWidth = 0, frameHeight: s.frameHeight = 0, framesPerSecond: s.framesPerSecond = 0 } = r);
    }
    if (r.type === 'remote-inbound-rtp') rtt = r.roundTripTime ?? rtt;
    // Chromium names the selected pair on the transport; Firefox marks the pair itself.
    if (r.type === 'transport') pair = report.get(r.selectedCandidatePairId) ?? pair;
    if (r.type === 'candidate-pair' && r.selected) pair ??= r;
  });
  s.heard = pair?.bytesReceived ?? 0;
  s.pairId = String(pair?.id);
  if (pair) {
    const local = report.get(pair.localCandidateId);
    const relayed = local?.candidateType === 'relay' || report.get(pair.remoteCandidateId)?.candidateType === 'relay';
    s.path = relayed ? 'relay' : 'direct';
    // The browser's own values: `udp` or `tcp`, and `tls` too for the way to a TURN server.
    s.protocol = (((relayed && local?.relayProtocol) || local?.protocol) ?? null) as CallQuality['protocol'];
    if (pair.availableOutgoingBitrate !== undefined) s.outKbps = Math.round(pair.availableOutgoingBitrate / 1000);
  }
  rtt = pair?.currentRoundTripTime ?? rtt;
  if (rtt !== undefined) s.rttMs = Math.round(rtt * 1000);
  return s;
}

/** The quality between two samples; `lastHeardAt` is when bytes last arrived. */
export function deriveQuality(before: StatsSample, now: StatsSample, lastHeardAt: number): CallQuality {
  const kbps = (bytes: number) => Math.max(0, Math.round((bytes * 8) / Math.max(1, now.at - before.at)));
  const received = now.packetsReceived - before.packetsReceived;
  const lost = now.packetsLost - before.packetsLost;
  const packetLoss = lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 1000 : 0;
  const { rttMs, frameWidth, frameHeight } = now;
  const over = (limit: { loss: number; rttMs: number }) => packetLoss >= limit.loss || (rttMs ?? 0) >= limit.rttMs;
  const silent = now.at - lastHeardAt + QUALITY.slackMs >= QUALITY.lostAfterMs;
  // Packets came before and none in this window: nothing arrives, though the path may still answer.
  const noMedia = silent || (received === 0 && before.packetsReceived > 0);
  const starved = now.outKbps !== null && now.outKbps < QUALITY.fairBelowKbps;
  const level: QualityLevel = noMedia ? 'lost' : over(QUALITY.poor) ? 'poor' : over(QUALITY.fair) || starved ? 'fair' : 'good';
  const fairLoss = packetLoss >= QUALITY.fair.loss;
  const reason: QualityReason =
    level === 'good' ? null : noMedia ? 'no-media' : fairLoss ? 'packet-loss' : (rttMs ?? 0) >= QUALITY.fair.rttMs ? 'rtt' : 'bandwidth';
  return {
    level,
    reason,
    path: now.path,
    protocol: now.protocol,
    rttMs,
    packetLoss,
    sendKbps: kbps(now.bytesSent - before.bytesSent),
    receiveKbps: kbps(now.bytesReceived - before.bytesReceived),
    frameWidth,
    frameHeight,
    framesPerSecond: Math.round(now.framesPerSecond),
  };
}

/**
 * Reads a peer connection's `getStats()` every second on a timer it owns, and reports the
 * call's quality: every {@link QUALITY.windowMs} ms, and at once when the level changes.
 * {@link CallStatsMonitor.stop} clears the timer; so does a closed connection.
 *
 * @example
 * ```ts
 * const monitor = new CallStatsMonitor(pc, (quality) => render(quality));
 * monitor.start();
 * ```
 */
export class CallStatsMonitor {
  /** The last quality reported, if any. */
  quality: CallQuality | null = null;
  readonly #pc: RTCPeerConnection;
  readonly #report: (quality: CallQuality) => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The samples of the last window, oldest first. */
  #samples: StatsSample[] = [];
  #lastHeardAt = 0;
  #ticks = 0;

  constructor(pc: RTCPeerConnection, report: (quality: CallQuality) => void) {
    this.#pc = pc;
    this.#report = report;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastHeardAt = performance.now();
    this.#timer = setInterval(() => void this.#poll(), QUALITY.pollMs);
    void this.#poll();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    const tick = ++this.#ticks;
    let sample: StatsSample;
    try {
      sample = readSample(await this.#pc.getStats(), performance.now());
    } catch {
      return this.stop(); // only a closed connection rejects
    }
    // A slow getStats() answered after a newer one, or after stop(): drop it.
    if (tick !== this.#ticks || this.#timer === undefined) return;
    const samples = this.#samples;
    const previous = samples.at(-1);
    // Bytes arrived (a new pair after an ICE restart starts counting afresh).
    if (sample.heard > 0 && (sample.pairId !== previous?.pairId || sample.heard > previous.heard)) this.#lastHeardAt = sample.at;
    samples.push(sample);
    if (samples.length * QUALITY.pollMs > QUALITY.windowMs + QUALITY.pollMs) samples.shift();
    if (!previous) return;
    const quality = deriveQuality(samples[0], sample, this.#lastHeardAt);
    // Once per window, or at once for a new level.
    if (quality.level === this.quality?.level && tick % (QUALITY.windowMs / QUALITY.pollMs)) return;
    this.quality = quality;
    this.#report(quality);
  }
}
