/**
 * The one place where an inbound Socket.IO event becomes a call to a handler.
 *
 * Everything a client sends is untrusted: the arguments are taken as `unknown[]`, the ack is
 * the last argument only if it is a function, the payload must pass its schema, and any error
 * thrown by the handler is logged and answered with `internal` (its text never reaches the
 * client). Every client event expects an ack; one sent without is dropped unprocessed.
 */
import * as v from 'valibot';
import type { Logger } from 'pino';
import type { Ack, ErrorCode } from '../src/protocol.js';
import { describeIssues } from './schemas.js';

/** What a handler may answer. */
export type HandlerResult<T> = Ack<T> | Promise<Ack<T>>;

/** The untyped view of a socket used to register inbound listeners. */
export interface InboundSocket {
  readonly id: string;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
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

/**
 * Register `event` on `socket`. With a schema, the event takes exactly one payload argument
 * (validated, then passed to `run`); without, it takes none.
 */
export function handle<S extends v.GenericSchema, T>(
  socket: InboundSocket,
  logger: Logger,
  event: string,
  schema: S | null,
  run: (payload: v.InferOutput<S>) => HandlerResult<T>,
): void {
  socket.on(event, (...args: unknown[]) => {
    const { payload, ack } = splitAck(args);
    if (ack === null) {
      logger.debug({ socket: socket.id, event }, 'dropped an event sent without ack');
      return;
    }
    const answer = (result: Ack<T>): void => {
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
    let input: v.InferOutput<S>;
    if (schema === null) {
      input = undefined as v.InferOutput<S>;
    } else {
      const parsed = v.safeParse(schema, payload[0]);
      if (!parsed.success) {
        const failure = describeIssues(parsed.issues);
        logger.debug({ socket: socket.id, event, code: failure.code }, 'rejected a payload');
        answer(fail(failure.code, failure.message));
        return;
      }
      input = parsed.output;
    }
    const internal = (error: unknown): void => {
      try {
        logger.error({ err: error, socket: socket.id, event }, 'handler failed');
      } catch {
        // A failing logger must not keep the client from its answer.
      }
      answer(fail('internal', 'Internal error.'));
    };
    try {
      const result = run(input);
      if (result instanceof Promise) result.then(answer, internal);
      else answer(result);
    } catch (error) {
      internal(error);
    }
  });
}
