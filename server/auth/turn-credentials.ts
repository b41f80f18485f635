/**
 * Short-lived TURN credentials in coturn's "TURN REST API" format (`use-auth-secret`).
 *
 * coturn, started with `--use-auth-secret --static-auth-secret=<secret>`, accepts any
 * username of the form `<expiry unix seconds>:<anything>` whose password is
 * `base64(HMAC-SHA1(secret, username))`, until the expiry. The relay and coturn share only the
 * secret; the secret never leaves the server.
 * See https://datatracker.ietf.org/doc/html/draft-uberti-behave-turn-rest-00 and coturn's
 * `turnserver.conf` (`use-auth-secret`).
 */
import { createHmac } from 'node:crypto';
import type { RTCIceServerInit } from '../../src/protocol.js';

/** The TURN part of the relay's configuration. */
export interface TurnOptions {
  /** TURN (and optionally STUN) URLs of the coturn server, e.g. `turn:turn.example.com:3478?transport=udp`. */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long handed-out credentials stay valid, in seconds. Default 3600. */
  ttlSeconds?: number;
}

/** Input of {@link createTurnCredentials}. */
export interface TurnCredentialsRequest extends TurnOptions {
  /** Put after the expiry in the username, so coturn's logs show whose allocation it is. */
  peerId: string;
  /** Current time in ms (for tests); default `Date.now()`. */
  now?: number;
}

/** One `RTCIceServer` entry with credentials, and when they expire. */
export interface TurnCredentials {
  iceServer: Required<RTCIceServerInit>;
  /** Unix time in ms after which coturn rejects the credentials. */
  expiresAt: number;
}

/** Default lifetime of TURN credentials, in seconds. */
export const DEFAULT_TURN_TTL_SECONDS = 3600;

/**
 * Mint TURN credentials for one peer.
 *
 * @example
 * ```ts
 * const { iceServer, expiresAt } = createTurnCredentials({
 *   urls: ['turn:turn.example.com:3478?transport=udp'],
 *   secret: process.env.TURN_SECRET!,
 *   peerId: 'a1b2c3d4e5f6',
 * });
 * // iceServer = { urls: [...], username: '1767225600:a1b2c3d4e5f6', credential: 'base64…' }
 * ```
 */
export function createTurnCredentials(request: TurnCredentialsRequest): TurnCredentials {
  const ttlSeconds = request.ttlSeconds ?? DEFAULT_TURN_TTL_SECONDS;
  const now = request.now ?? Date.now();
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiry}:${request.peerId}`;
  const credential = createHmac('sha1', request.secret).update(username).digest('base64');
  return { iceServer: { urls: [...request.urls], username, credential }, expiresAt: expiry * 1000 };
}
