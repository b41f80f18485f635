/**
 * What a client's rejoin key proves. The key is the client's secret (it never leaves the
 * relay, not even in logs); two values are derived from it, each by its own hash so that
 * neither reveals the key or the other:
 * - its hash, stored with the participant, which a resume must match;
 * - the peer id a new participant with that key gets. After a relay restart (when no
 *   participant is known), a client asking for its peer id again gets it only if its key is
 *   the one that id was derived from: knowing a peer id (it is in the partner's events and in
 *   the relay's log lines) is not enough to claim it.
 */
import { createHash } from 'node:crypto';

/** sha256 (hex) of the key: what a resume is checked against. */
export function keyHashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The peer id a participant joining with this key gets (22 characters of base64url). */
export function peerIdOf(key: string): string {
  return createHash('sha256').update('p2p-video-call peer id\n').update(key).digest('base64url').slice(0, 22);
}
