/**
 * The one place where an inbound Socket.IO event becomes a call to a handler.
 *
 * Everything a client sends is untrusted: the arguments are taken as `unknown[]`, the ack is
 * the last argument only if it is a function, the payload must pass its schema, and any error
 * thrown by the handler is logged and answered with `internal` (its text never reaches the
 * client; a store that cannot be reached answers `unavailable`). `join` and `ice-servers` sent
 * without an ack are dropped unprocessed (their answer is their point); `signal`, `leave` and `offer` without one are processed alike, and a refusal is logged at
 * debug instead of answered (fire-and-forget is how most Socket.IO clients send).
 */
import * as v from 'valibot';
import type { Logger } from 'pino';
import type { Ack, AckData, ClientToServerEvents, ErrorCode } from '../../src/protocol.js';
import { StoreUnavailableError } from '../rooms/room-store.js';
import { describeIssues } from './schemas.js';

/** What a handler may answer. */
export type HandlerResult<T> = Ack<T> | Promise<Ack<T>>;

/** What a handler needs of a socket: its id (for the log). */
export interface InboundSocket {
  readonly id: string;
}

/** Build an error ack. */
export function fail(code: ErrorCode, message: string): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

/** Split raw event arguments into the payload arguments and the ack callback (if any). */
export function splitAck(args: readonly unknown[]): { payload: unknown[]; ack: ((answer: unknown) => void) | null } {
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    return { payload: args.slice(0, -1), ack: last as (answer: unknown) => void };
  }
  return { payload: [...args], ack: null };
}

/** Told of every answer (the relay's metrics): the event, `ok` or the error code, how long it took, and the answer itself. */
export type AnswerObserver = (event: string, result: string, seconds: number, answer: object) => void;

/** Events that may be sent without an ack (see the module comment). */
const ACK_OPTIONAL: ReadonlySet<keyof ClientToServerEvents> = new Set(['signal', 'leave', 'away', 'offer']);

/** What `run` gets: the validated payload, or nothing for an event without one. */
export type PayloadOf<S extends v.GenericSchema | null> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

/**
 * The listener for `event`, shared by every socket (the socket is `this`, as Socket.IO calls
 * listeners; no closure per socket). With a schema, the event takes exactly one payload
 * argument (validated, then passed to `run`); without, it takes none. `run` answers with the ack
 * data the protocol declares for `event`.
 *
 * @example
 * ```ts
 * const onLeave = handler(logger, 'leave', null, (socket) => ({ ok: true, data: null }));
 * io.on('connection', (socket) => socket.on('leave', onLeave));
 * ```
 */
export function handler<E extends keyof ClientToServerEvents, S extends v.GenericSchema | null, K extends InboundSocket>(
  logger: Logger,
  event: E,
  schema: S,
  run: (socket: K, payload: PayloadOf<S>) => HandlerResult<AckData<E>>,
  observe?: AnswerObserver,
): (this: K, ...args: unknown[]) => void {
  type T = AckData<E>;
  return function listener(this: K, ...args: unknown[]) {
    const socket = this;
    const started = performance.now();
    const { payload, ack } = splitAck(args);
    if (ack === null && !ACK_OPTIONAL.has(event)) {
      logger.debug({ socket: socket.id, event }, 'dropped an event sent without ack');
      return;
    }
    const answer = (result: Ack<T>, logged = false): void => {
      observe?.(event, result.ok ? 'ok' : result.error.code, (performance.now() - started) / 1000, result);
      if (ack === null) {
        if (!result.ok && !logged) logger.debug({ socket: socket.id, event, code: result.error.code }, 'refused an event sent without ack');
        return;
      }
      try {
        ack(result);
      } catch {
        // Socket.IO's ack only throws if the connection is gone: nothing left to tell.
      }
    };
    const expected = schema === null ? 0 : 1;
    if (payload.length !== expected) {
      answer(fail('invalid-payload', expected === 0 ? 'payload: expected none' : 'payload: expected exactly one'));
      return;
    }
    let input: PayloadOf<S>;
    if (schema === null) {
      input = undefined as PayloadOf<S>;
    } else {
      const parsed = v.safeParse(schema, payload[0]);
      if (!parsed.success) {
        const failure = describeIssues(parsed.issues);
        logger.debug({ socket: socket.id, event, code: failure.code }, 'rejected a payload');
        answer(fail(failure.code, failure.message), true);
        return;
      }
      input = parsed.output as PayloadOf<S>;
    }
    const internal = (error: unknown): void => {
      if (error instanceof StoreUnavailableError) {
        answer(fail('unavailable', 'The call server cannot take this right now; try again shortly.'));
        return;
      }
      try {
        logger.error({ err: error, socket: socket.id, event }, 'handler failed');
      } catch {
        // A failing logger must not keep the client from its answer.
      }
      answer(fail('internal', 'Internal error.'));
    };
    try {
      const result = run(socket, input);
      if (result instanceof Promise) result.then(answer, internal);
      else answer(result);
    } catch (error) {
      internal(error);
    }
  };
}
