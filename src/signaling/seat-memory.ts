/** A seat in a room: the participant's peer id and the secret key that resumes it. */
export interface Seat {
  peerId: string;
  key: string;
}

const PREFIX = 'p2p-video-call:seat:';

/**
 * The seat this tab let go in a room (`where`: relay and room), to resume after a reload: the
 * relay keeps an offline member's seat for its grace period and gives it to no one else.
 *
 * Kept in sessionStorage. A seat is offered only once the page that held it closed its call
 * ({@link keepSeat} with `released`), so a duplicated tab (which copies sessionStorage) takes a
 * seat of its own instead of taking over a call still running in the original. Where storage is
 * unavailable (a sandboxed frame, storage blocked), nothing is remembered.
 */
export function recallSeat(where: string): Seat | null {
  try {
    const seat = JSON.parse(sessionStorage.getItem(PREFIX + where) ?? 'null') as (Seat & { released?: unknown }) | null;
    return seat?.released === true && typeof seat.peerId === 'string' && typeof seat.key === 'string' ? seat : null;
  } catch {
    return null; // storage blocked, or not our JSON: no seat to resume
  }
}

/** Remembers the seat a join got (`released`: its call is over, it may be resumed). */
export function keepSeat(where: string, seat: Seat, released: boolean): void {
  try {
    sessionStorage.setItem(PREFIX + where, JSON.stringify({ peerId: seat.peerId, key: seat.key, released }));
  } catch {
    // Storage blocked or full: the seat is simply not remembered.
  }
}
