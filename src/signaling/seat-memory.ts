/** A seat in a room: the participant's peer id and the secret key that resumes it. */
export interface Seat {
  peerId: string;
  key: string;
}

const PREFIX = 'p2p-video-call:seat:';
/** A seat let go longer ago than this is not offered (the relay's grace is seconds). */
const FRESH_MS = 10 * 60 * 1000;

/**
 * The seat a page of this browser let go in a room (`where`: relay and room), to resume after a
 * reload, or when the call's link is opened again in a new tab: the relay keeps the seat of a
 * page that went away for its grace period and gives it to no one else.
 *
 * Kept in localStorage (shared by this origin's tabs), and offered once: a seat is offered
 * only after the page that held it closed its call ({@link keepSeat} with `released`), and is
 * marked taken as soon as it is recalled, so two tabs never resume one seat (the second would
 * take the call over from the first). Where storage is unavailable (a sandboxed frame, storage
 * blocked), nothing is remembered.
 */
export function recallSeat(where: string): Seat | null {
  try {
    const seat = JSON.parse(localStorage.getItem(PREFIX + where) ?? 'null') as (Seat & { released?: unknown; at?: unknown }) | null;
    const usable =
      seat?.released === true &&
      typeof seat.peerId === 'string' &&
      typeof seat.key === 'string' &&
      typeof seat.at === 'number' &&
      Date.now() - seat.at < FRESH_MS;
    if (seat) localStorage.removeItem(PREFIX + where); // taken (or stale): offered to no other tab
    return usable ? { peerId: seat.peerId, key: seat.key } : null;
  } catch {
    return null; // storage blocked, or not our JSON: no seat to resume
  }
}

/** Remembers the seat a join got (`released`: its call is over, it may be resumed). */
export function keepSeat(where: string, seat: Seat, released: boolean): void {
  try {
    localStorage.setItem(PREFIX + where, JSON.stringify({ peerId: seat.peerId, key: seat.key, released, at: Date.now() }));
  } catch {
    // Storage blocked or full: the seat is simply not remembered.
  }
}
