/**
 * Valibot schemas for every inbound payload.
 *
 * Nothing a client sends is used before it has passed one of these. `v.object` keeps only the
 * keys it declares (unknown keys, `__proto__` included, are dropped), so what comes out is a
 * fresh object of exactly the protocol's shape, safe to forward.
 */
import * as v from 'valibot';
import { LIMITS, PEER_ID_PATTERN, ROOM_PATTERN } from '../../src/protocol.js';
import type { ErrorCode, JoinRequest, OfferRequest, SignalRequest } from '../../src/protocol.js';

const peerId = v.pipe(v.string(), v.regex(PEER_ID_PATTERN, 'a peer id (8–64 of A–Z a–z 0–9 _ -)'));

/**
 * The shape of an SDP (RFC 8866): `v=0` first, then lines of `<letter>=<value>`, each ended by
 * CRLF (or LF). Not a parser: enough that any text does not pass as "SDP". Linear (no
 * backtracking), and run only on what passed the length check.
 */
const SDP_SHAPE = /^v=0\r?\n(?:[a-z]=[^\r\n]*\r?\n)*$/;

const sdp = v.pipe(
  v.string(),
  v.maxLength(LIMITS.sdpLength, `at most ${LIMITS.sdpLength} characters`),
  v.regex(SDP_SHAPE, 'an SDP (v=0, then <letter>=<value> lines)'),
);

/** An offer, answer or pranswer carries an SDP; a rollback none (or an empty one). */
const description = v.variant('type', [
  v.object({ type: v.picklist(['offer', 'answer', 'pranswer']), sdp }),
  v.object({ type: v.literal('rollback'), sdp: v.optional(v.literal('')) }),
]);

const candidate = v.object({
  candidate: v.pipe(v.string(), v.maxLength(LIMITS.candidateLength, `at most ${LIMITS.candidateLength} characters`)),
  sdpMid: v.nullish(v.pipe(v.string(), v.maxLength(LIMITS.sdpMidLength, `at most ${LIMITS.sdpMidLength} characters`))),
  sdpMLineIndex: v.nullish(v.pipe(v.number(), v.integer('an integer'), v.minValue(0, 'at least 0'), v.maxValue(65535, 'at most 65535'))),
  usernameFragment: v.nullish(
    v.pipe(v.string(), v.maxLength(LIMITS.usernameFragmentLength, `at most ${LIMITS.usernameFragmentLength} characters`)),
  ),
});

const media = v.object({ audio: v.boolean(), video: v.boolean(), screen: v.optional(v.boolean()) });

/** `join` payload. `peerId` (resume) requires `key`. */
export const joinSchema = v.pipe(
  v.object({
    room: v.pipe(
      v.string(),
      v.maxLength(LIMITS.roomLength, `at most ${LIMITS.roomLength} characters`),
      v.regex(ROOM_PATTERN, 'letters, digits, ".", "_" and "-", not starting with "."'),
    ),
    name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.nameLength, `at most ${LIMITS.nameLength} characters`))),
    token: v.optional(
      v.pipe(v.string(), v.minLength(1, 'not empty'), v.maxLength(LIMITS.tokenLength, `at most ${LIMITS.tokenLength} characters`)),
    ),
    peerId: v.optional(peerId),
    key: v.optional(
      v.pipe(
        v.string(),
        v.minLength(LIMITS.keyMinLength, `at least ${LIMITS.keyMinLength} characters`),
        v.maxLength(LIMITS.keyMaxLength, `at most ${LIMITS.keyMaxLength} characters`),
      ),
    ),
  }),
  v.check((request) => request.peerId === undefined || request.key !== undefined, 'peerId requires key'),
);

/** `signal` payload: `to` plus exactly one of `description`, `candidate`, `media`, `restart`. */
export const signalSchema = v.pipe(
  v.object({
    to: peerId,
    description: v.optional(description),
    candidate: v.optional(candidate),
    media: v.optional(media),
    restart: v.optional(v.literal(true)),
  }),
  v.check(
    (request) => [request.description, request.candidate, request.media, request.restart].filter((part) => part !== undefined).length === 1,
    'exactly one of description, candidate, media, restart',
  ),
);

/** `offer` payload: an offer, with its SDP, left for the next peer to join. */
export const offerSchema = v.object({
  description: v.object({ type: v.literal('offer'), sdp }),
});

// Compile-time proof that what the schemas produce is what the protocol declares.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _JoinMatches = Assert<Same<v.InferOutput<typeof joinSchema>, JoinRequest>>;
export type _OfferMatches = Assert<Same<v.InferOutput<typeof offerSchema>, OfferRequest>>;
export type _SignalMatches = Assert<v.InferOutput<typeof signalSchema> extends SignalRequest ? true : false>;

/** A failed validation as it goes back to the client: a stable code and a short message. */
export interface ValidationFailure {
  code: Extract<ErrorCode, 'invalid-payload' | 'invalid-room'>;
  message: string;
}

/**
 * Turn valibot issues into the error the client sees. A `room` that is a string but not a
 * valid room name is `invalid-room`; everything else is `invalid-payload`. The message names
 * the field and what was expected, never echoes the input.
 */
export function describeIssues(issues: ReadonlyArray<v.BaseIssue<unknown>>): ValidationFailure {
  const issue = issues[0];
  if (issue === undefined) return { code: 'invalid-payload', message: 'Invalid payload.' };
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  const code = path === 'room' && issue.kind === 'validation' ? 'invalid-room' : 'invalid-payload';
  let expected = issue.message;
  if (issue.kind === 'schema') {
    expected =
      issue.received === 'undefined'
        ? 'required'
        : `expected ${issue.expected === 'Object' ? 'an object' : (issue.expected ?? 'another type')}`;
  }
  const message = `${path === '' ? 'payload' : path}: ${expected}`;
  return { code, message: message.length > 160 ? `${message.slice(0, 157)}...` : message };
}
