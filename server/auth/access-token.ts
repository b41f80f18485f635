/**
 * Access tokens: a relay started with a token secret only lets a socket into a room when it
 * presents a JWT (HS256, signed with that secret) whose `room` claim is exactly that room and
 * whose `exp` lies in the future. A site's backend mints one per visitor and puts it in the
 * element's `token` attribute. There is no wildcard: a token opens one room.
 */
import { SignJWT, jwtVerify } from 'jose';
import { InvalidOption, longText } from '../config/rules.js';

/** The longest a token may still be valid when it is presented, by default: a day. */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 86_400;

/** Shortest secret accepted for signing tokens (HS256 wants a long random one; 32+ bytes is better). */
export const TOKEN_SECRET_MIN_LENGTH = 16;

/** The one rule for a token secret: the relay's option (`TOKEN_SECRET`) and minting alike. */
export const TOKEN_SECRET = {
  minLength: TOKEN_SECRET_MIN_LENGTH,
  rule: longText(TOKEN_SECRET_MIN_LENGTH, '(use a long random string)'),
} as const;

/** Input of {@link createAccessToken}. */
export interface AccessTokenRequest {
  /** The relay's token secret (`TOKEN_SECRET`). */
  secret: string;
  /** The one room this token opens. */
  room: string;
  /** Lifetime in seconds. Default 3600. It only needs to cover the time until the join. */
  ttlSeconds?: number;
}

/**
 * Mint an access token for one room (for a site's backend).
 *
 * @example
 * ```ts
 * import { createAccessToken } from 'p2p-video-call/server';
 * const token = await createAccessToken({ secret: process.env.TOKEN_SECRET!, room: 'support-4711' });
 * // <p2p-video-call room="support-4711" token="${token}">
 * ```
 */
export async function createAccessToken(request: AccessTokenRequest): Promise<string> {
  const ttlSeconds = request.ttlSeconds ?? 3600;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError('createAccessToken: ttlSeconds must be a positive number');
  }
  return new SignJWT({ room: request.room })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + Math.round(ttlSeconds))
    .sign(secretKey(request.secret));
}

/**
 * Whether `token` is a valid, unexpired token for `room` whose `exp` is at most `maxAgeSeconds`
 * ahead (a token minted to last for years is refused: whoever holds it could open the room for
 * that long). Never throws: any defect (bad signature, other algorithm, expired, no `exp`, too
 * long a life left, other room, garbage) is simply `false`.
 */
export async function verifyAccessToken(
  token: string,
  room: string,
  secret: string,
  maxAgeSeconds = DEFAULT_TOKEN_MAX_AGE_SECONDS,
): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'room'],
    });
    return payload.room === room && payload.exp! - Date.now() / 1000 <= maxAgeSeconds;
  } catch {
    return false; // every defect is a refusal (see above); the caller logs the refused join
  }
}

function secretKey(secret: string): Uint8Array {
  try {
    TOKEN_SECRET.rule.check(secret, 'token secret');
  } catch (error) {
    throw error instanceof InvalidOption ? new RangeError(error.message) : error;
  }
  return new TextEncoder().encode(secret);
}
