import type { HandshakeAuth, JoinRequest } from '../protocol.js';

/**
 * The join that rides in the relay connection's first handshake (see `HandshakeAuth` in
 * protocol.ts): the relay answers it with `joined` a round trip sooner than a `join` event.
 * The whole client-side rule is here: a handshake that is {@link HandshakeJoin.hold}-ed waits
 * until the caller either joins ({@link HandshakeJoin.carry}) or decides not to yet
 * ({@link HandshakeJoin.release}); only the first handshake carries a join.
 */
export class HandshakeJoin {
  #join: JoinRequest | null = null;
  #sent = false;
  #held: Promise<void> = Promise.resolve();
  #release: () => void = () => {
    // Nothing held yet.
  };

  /** Keeps the next handshake until {@link HandshakeJoin.carry} or {@link HandshakeJoin.release}. */
  hold(): void {
    if (this.#sent) return;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }

  /** Lets a held handshake go, without a join. */
  release(): void {
    this.#release();
  }

  /** Puts `join` in the first handshake, if it has not gone out yet; whether it did. */
  carry(join: JoinRequest): boolean {
    if (this.#sent) return false;
    this.#join = join;
    this.#release();
    return true;
  }

  /** What the handshake sends (Socket.IO's `auth` callback), once it may go. */
  async auth(): Promise<HandshakeAuth> {
    await this.#held;
    const auth: HandshakeAuth = this.#join ? { join: this.#join } : {};
    this.#join = null;
    this.#sent = true;
    return auth;
  }
}
