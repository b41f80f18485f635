/**
 * The relay's Prometheus metrics (prom-client), in a registry of its own (two relays in one
 * process do not mix). What an operator watches: connections, rooms and participants, every
 * answer by event and result (joins and refusals by code), signals relayed, connections refused
 * by the limits, handler latency, Redis health and script latency, and the process metrics
 * (CPU, memory, event-loop lag, …) prom-client collects by default: those once per process,
 * shared by its relays (each set starts a GC observer and an event-loop monitor that nothing
 * stops, so one per relay would pile up in a process that starts many).
 *
 * Served on a listener of its own (`metrics-listener.ts`, `METRICS_PORT`), never on the public
 * port: the counts and the Redis state are for the operator, not for every visitor.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RoomStoreStats } from '../rooms/room-store.js';

/** Where the gauges read their values at scrape time. */
export interface MetricSources {
  /** Open Socket.IO connections on this node. */
  connections(): number;
  /** Rooms and participants (with Redis: over all nodes; a Redis call per scrape). */
  stats(): Promise<RoomStoreStats>;
  /** Whether the room store can take requests (`null`: no Redis, nothing to report). */
  storeUp(): boolean | null;
}

const PREFIX = 'p2p_video_call_';

let processMetrics: Registry | undefined;
/** The process's default metrics, in a registry made on first use and kept. */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
/** Handler latency buckets, in seconds: most answers take well under a millisecond. */
const HANDLER_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const SCRIPT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2];

/** The relay's metrics. Counters are moved by the relay; gauges are read at scrape time. */
export class RelayMetrics {
  /** The registry to serve (`registry.metrics()`, `registry.contentType`): this relay's metrics and the process's. */
  readonly registry: Registry;
  readonly #answers: Counter<'event' | 'result'>;
  readonly #signals: Counter;
  readonly #refused: Counter<'code'>;
  readonly #handlerSeconds: Histogram<'event'>;
  readonly #scriptSeconds: Histogram<'operation'>;
  readonly #answerChildren = new Map<string, Counter.Internal>();
  readonly #latencyChildren = new Map<string, Histogram.Internal<'event'>>();

  constructor(sources: MetricSources) {
    const own = new Registry();
    const registers = [own];
    new Gauge({
      name: `${PREFIX}connections`,
      help: 'Open Socket.IO connections on this node (joined or not)',
      registers,
      collect() {
        this.set(sources.connections());
      },
    });
    // Rooms and participants come from one read of the store per scrape.
    let counts: Promise<RoomStoreStats | null> | null = null;
    const read = () =>
      (counts ??= sources
        .stats()
        .then(
          (value) => value,
          () => null, // Redis away: the gauges keep their last value, relay_store_up says why
        )
        .finally(() => setImmediate(() => (counts = null))));
    new Gauge({
      name: `${PREFIX}rooms`,
      help: 'Non-empty rooms (with Redis: over all nodes)',
      registers,
      async collect() {
        const value = await read();
        if (value) this.set(value.rooms);
      },
    });
    new Gauge({
      name: `${PREFIX}participants`,
      help: 'Participants in rooms, offline ones in their grace period included (with Redis: over all nodes)',
      registers,
      async collect() {
        const value = await read();
        if (value) this.set(value.participants);
      },
    });
    new Gauge({
      name: `${PREFIX}store_up`,
      help: 'Whether the room store can take requests (1), or not (0: Redis unreachable or read-only); absent without Redis',
      registers,
      collect() {
        const up = sources.storeUp();
        if (up !== null) this.set(up ? 1 : 0);
      },
    });
    this.#answers = new Counter({
      name: `${PREFIX}answers_total`,
      help: 'Events answered, by event (join, signal, leave, away, offer, ice-servers) and result (ok or the error code)',
      labelNames: ['event', 'result'],
      registers,
    });
    this.#signals = new Counter({ name: `${PREFIX}signals_relayed_total`, help: 'Signals forwarded to the other peer', registers });
    this.#refused = new Counter({
      name: `${PREFIX}connections_refused_total`,
      help: 'Connections refused by the limits, by code (too-many-connections, server-busy)',
      labelNames: ['code'],
      registers,
    });
    this.#handlerSeconds = new Histogram({
      name: `${PREFIX}handler_seconds`,
      help: 'Time from an event’s arrival to its answer, by event',
      labelNames: ['event'],
      buckets: HANDLER_BUCKETS,
      registers,
    });
    this.#scriptSeconds = new Histogram({
      name: `${PREFIX}redis_script_seconds`,
      help: 'Time of one room-script call in Redis, by operation',
      labelNames: ['operation'],
      buckets: SCRIPT_BUCKETS,
      registers,
    });
    this.registry = Registry.merge([own, processRegistry()]);
  }

  /** An event was answered (or, sent without an ack, done) with `result` after `seconds`. */
  answered(event: string, result: string, seconds: number): void {
    // The labelled children, kept: prom-client hashes a label object on every call otherwise,
    // and this runs for every message the relay takes.
    const key = `${event}\n${result}`;
    let answers = this.#answerChildren.get(key);
    if (answers === undefined) this.#answerChildren.set(key, (answers = this.#answers.labels(event, result)));
    answers.inc();
    let latency = this.#latencyChildren.get(event);
    if (latency === undefined) this.#latencyChildren.set(event, (latency = this.#handlerSeconds.labels(event)));
    latency.observe(seconds);
  }

  /** A signal went to the other peer. */
  relayed(): void {
    this.#signals.inc();
  }

  /** A connection was refused by a limit. */
  refused(code: string): void {
    this.#refused.inc({ code });
  }

  /** One room-script call took `seconds`. */
  script(operation: string, seconds: number): void {
    this.#scriptSeconds.observe({ operation }, seconds);
  }

  /** Lets go of this relay's metrics (the process's stay, for its other relays). */
  close(): void {
    this.registry.clear();
  }
}
