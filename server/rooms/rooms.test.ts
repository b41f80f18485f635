import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PEER_ID_PATTERN } from '../../src/protocol.js';
import type { Participant, RemovalReason, RoomNotice } from './room-store.js';
import { Rooms } from './rooms.js';

const KEY = 'a'.repeat(64);
const OTHER_KEY = 'b'.repeat(64);

const created: Rooms[] = [];
afterEach(() => {
  for (const rooms of created.splice(0)) rooms.close();
});

function setup(options: { capacity?: number; rejoinGraceMs?: number } = {}) {
  const sent: Array<{ to: string } & RoomNotice> = [];
  const removed: Array<{ peerId: string; reason: RemovalReason }> = [];
  let onRemoved: ((participant: Participant) => void) | undefined;
  const rooms = new Rooms({
    capacity: options.capacity ?? 2,
    rejoinGraceMs: options.rejoinGraceMs ?? 60_000,
    listener: {
      send: (to, notice) => sent.push({ to, ...notice }),
      removed: (participant, reason) => {
        removed.push({ peerId: participant.peerId, reason });
        onRemoved?.(participant);
      },
    },
  });
  created.push(rooms);
  const join = (connectionId: string, extra: { room?: string; peerId?: string; keyHash?: string; ownPeerId?: string } = {}) => {
    const result = rooms.join({ room: extra.room ?? 'r', name: connectionId, connectionId, ...extra });
    if (!result.ok) throw new Error(result.code);
    return result;
  };
  // Bounded: the timeout also keeps the event loop alive while waiting for the (unref'd) grace timer.
  const nextRemoval = () =>
    new Promise<Participant>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no removal')), 5000);
      onRemoved = (participant) => {
        clearTimeout(timer);
        resolve(participant);
      };
    });
  return { rooms, sent, removed, join, nextRemoval };
}

describe('Rooms', () => {
  it('makes the later joiner polite and tells the earlier one', () => {
    const { rooms, sent, join } = setup();
    const a = join('A');
    assert.equal(a.participant.polite, false);
    assert.deepEqual(a.peers, []);
    assert.match(a.participant.peerId, PEER_ID_PATTERN);
    const b = join('B');
    assert.equal(b.participant.polite, true);
    assert.deepEqual(b.peers, [{ peerId: a.participant.peerId, name: 'A' }]);
    assert.deepEqual(sent, [{ to: 'A', event: 'peer-joined', message: { peerId: b.participant.peerId, name: 'B', polite: false } }]);
    assert.equal(rooms.roomCount, 1);
    assert.equal(rooms.participantCount, 2);
  });

  it('refuses a newcomer to a full room of connected participants', () => {
    const { rooms, join } = setup();
    join('A');
    join('B');
    const result = rooms.join({ room: 'r', name: '', connectionId: 'C' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.code, 'room-full');
    assert.equal(rooms.participantOf('C'), undefined);
  });

  it('deletes a room when its last participant leaves and tells the others', () => {
    const { rooms, sent, removed, join } = setup();
    const a = join('A');
    const b = join('B');
    sent.length = 0;
    rooms.leave('A');
    assert.deepEqual(sent, [{ to: 'B', event: 'peer-left', message: { peerId: a.participant.peerId } }]);
    rooms.leave('B');
    assert.equal(rooms.roomCount, 0);
    assert.equal(rooms.participantCount, 0);
    assert.deepEqual(removed, [
      { peerId: a.participant.peerId, reason: 'left' },
      { peerId: b.participant.peerId, reason: 'left' },
    ]);
    assert.equal(rooms.leave('B'), undefined);
  });

  it('keeps a lost participant offline, then removes it when the grace period ends', async () => {
    const { rooms, sent, join, nextRemoval } = setup({ rejoinGraceMs: 20 });
    const a = join('A');
    join('B');
    sent.length = 0;
    const removal = nextRemoval();
    rooms.disconnect('A');
    assert.equal(rooms.participantOf('A'), undefined);
    assert.equal(rooms.participantCount, 2);
    assert.deepEqual(sent, []);
    assert.equal((await removal).peerId, a.participant.peerId);
    assert.deepEqual(sent, [{ to: 'B', event: 'peer-left', message: { peerId: a.participant.peerId } }]);
  });

  it('resumes a participant with the right key, silently, on the new connection', () => {
    const { rooms, sent, join } = setup();
    const a = join('A', { keyHash: KEY });
    join('B');
    rooms.disconnect('A');
    sent.length = 0;
    const resumed = join('A2', { peerId: a.participant.peerId, keyHash: KEY });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.participant.peerId, a.participant.peerId);
    assert.equal(resumed.participant.polite, false);
    assert.equal(resumed.replacedConnectionId, null);
    assert.equal(resumed.peers.length, 1);
    assert.deepEqual(sent, []);
    assert.equal(rooms.participantOf('A2')?.peerId, a.participant.peerId);
  });

  it('moves a participant that is still connected to its new connection', () => {
    const { rooms, join } = setup();
    const a = join('A', { keyHash: KEY });
    const resumed = join('A2', { peerId: a.participant.peerId, keyHash: KEY });
    assert.equal(resumed.replacedConnectionId, 'A');
    assert.equal(rooms.participantOf('A'), undefined);
    assert.equal(rooms.disconnect('A'), undefined);
  });

  it('rejects a resume with the wrong key or without a stored key', () => {
    const { rooms, join } = setup();
    const a = join('A', { keyHash: KEY });
    const b = join('B');
    const wrong = rooms.join({ room: 'r', name: '', connectionId: 'X', peerId: a.participant.peerId, keyHash: OTHER_KEY });
    assert.equal(!wrong.ok && wrong.code, 'rejoin-rejected');
    const keyless = rooms.join({ room: 'r', name: '', connectionId: 'X', peerId: b.participant.peerId, keyHash: KEY });
    assert.equal(!keyless.ok && keyless.code, 'rejoin-rejected');
  });

  it('gives a newcomer its own peer id (derived from its key), never the unknown one it asks for, nor one in use', () => {
    const { join } = setup();
    const asked = join('A', { peerId: 'someone-elses-id', keyHash: KEY });
    assert.notEqual(asked.participant.peerId, 'someone-elses-id');
    assert.equal(asked.resumed, false);
    const own = join('B', { peerId: 'someone-elses-id', keyHash: KEY, ownPeerId: 'derived-id' });
    assert.equal(own.participant.peerId, 'derived-id');
    const elsewhere = join('C', { room: 'other', keyHash: KEY, ownPeerId: 'derived-id' });
    assert.notEqual(elsewhere.participant.peerId, 'derived-id');
  });

  it('keeps an offline member’s seat: a newcomer to the full room is refused, the member resumes', () => {
    const { rooms, sent, removed, join } = setup();
    join('A');
    const b = join('B', { peerId: 'b-peer-id-123', keyHash: KEY });
    rooms.disconnect('B');
    sent.length = 0;
    const refused = rooms.join({ room: 'r', name: 'C', connectionId: 'C' });
    assert.deepEqual(refused.ok ? 'joined' : refused.code, 'room-full');
    assert.deepEqual(removed, []);
    assert.deepEqual(sent, [], 'nobody is told anything');
    const back = rooms.join({ room: 'r', name: 'B', connectionId: 'B2', peerId: b.participant.peerId, keyHash: KEY });
    assert.ok(back.ok && back.resumed);
  });

  it('introduces a resumed participant to whoever joined while it was offline', () => {
    const { rooms, sent, join } = setup({ capacity: 3 });
    const a = join('A', { keyHash: KEY });
    rooms.disconnect('A');
    const c = join('C');
    assert.deepEqual(c.peers, [], 'an offline member is not shown to a newcomer');
    assert.equal(rooms.route('C', a.participant.peerId).ok, false);
    sent.length = 0;
    const resumed = join('A2', { peerId: a.participant.peerId, keyHash: KEY });
    assert.deepEqual(resumed.peers, [{ peerId: c.participant.peerId, name: 'C' }]);
    assert.equal(resumed.participant.polite, true);
    assert.deepEqual(sent, [{ to: 'C', event: 'peer-joined', message: { peerId: a.participant.peerId, name: 'A', polite: false } }]);
    assert.equal(rooms.route('C', a.participant.peerId).ok, true);
  });

  it('routes only to known, connected peers in the same room', () => {
    const { rooms, join } = setup();
    const a = join('A');
    const b = join('B');
    const x = join('X', { room: 'elsewhere' });
    assert.equal(rooms.route('A', b.participant.peerId).ok, true);
    const codes = [
      rooms.route('nobody', b.participant.peerId),
      rooms.route('A', a.participant.peerId),
      rooms.route('A', x.participant.peerId),
      rooms.route('A', 'no-such-peer'),
    ].map((result) => (result.ok ? 'ok' : result.code));
    assert.deepEqual(codes, ['not-joined', 'unknown-peer', 'unknown-peer', 'unknown-peer']);
    rooms.disconnect('B');
    const offline = rooms.route('A', b.participant.peerId);
    assert.equal(!offline.ok && offline.code, 'peer-unavailable');
  });

  it('removes at once when the grace period is 0', () => {
    const { rooms, join } = setup({ rejoinGraceMs: 0 });
    join('A');
    rooms.disconnect('A');
    assert.equal(rooms.participantCount, 0);
  });

  it('cancels grace timers on close', () => {
    const { rooms, removed, join } = setup({ rejoinGraceMs: 60_000 });
    join('A');
    rooms.disconnect('A');
    rooms.close();
    assert.equal(rooms.participantCount, 0);
    assert.deepEqual(removed, []);
  });
});
