// Many relay nodes acting as one, on a real redis-server: capacity held under concurrent joins
// across nodes, a node SIGKILLed mid-call, Redis killed and restarted, and nothing left in Redis
// once everyone has left. (The protocol suite runs across two nodes too: RELAY_STORE=redis.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { SignalMessage } from '../../../src/protocol.js';
import { startRedis, type RedisServer } from '../../../test/support/redis.mjs';
import { startRelayProcess, type RelayProcess } from '../../../test/e2e/harness.js';
import { waitFor } from '../../../test/support/wait.mjs';
import {
  codeOf,
  connectTo,
  join,
  joined,
  once,
  record,
  flush,
  request,
  signal,
  startRelay,
  type Client,
  type TestRelay,
} from '../../test-support/relay-clients.js';

const MEDIA = { audio: true, video: true };
let redis: RedisServer;
let prefixes = 0;
/** Each test's relays get keys of their own. */
const newPrefix = () => `cluster-${++prefixes}:`;

before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

/** `n` relay nodes in this process sharing `redis` under one key prefix. */
async function nodes(n: number, prefix = newPrefix(), options = {}): Promise<TestRelay[]> {
  return Promise.all(Array.from({ length: n }, () => startRelay({ redis: redis.url, redisPrefix: prefix, ...options })));
}

/** The keys under `prefix` (not the adapter's: pub/sub keeps none). */
const keysOf = (prefix: string) => redis.keys(`${prefix}*`);

describe('capacity across nodes', () => {
  it('admits exactly 2 of 50 concurrent joins spread over 3 nodes, 20 times over', async (t) => {
    const prefix = newPrefix();
    const relays = await nodes(3, prefix);
    t.after(() => Promise.all(relays.map((r) => r.close())));
    const clients: Client[] = [];
    for (let i = 0; i < 50; i++) clients.push(await relays[i % 3].connect());
    for (let round = 1; round <= 20; round++) {
      const room = `contested-${round}`;
      const acks = await Promise.all(clients.map((c, i) => join(c, { room, name: `n${i}` })));
      const codes = acks.map(codeOf);
      assert.equal(codes.filter((c) => c === 'ok').length, 2, `round ${round}: ${codes.join()}`);
      assert.equal(codes.filter((c) => c === 'room-full').length, 48, `round ${round}`);
      // The two admitted know each other: one polite, one not.
      const admitted = acks.flatMap((ack) => (ack.ok ? [ack.data] : []));
      assert.deepEqual(admitted.map((d) => d.polite).sort(), [false, true]);
      await Promise.all(clients.filter((_, i) => acks[i].ok).map((c) => request(c, 'leave')));
    }
    // Nothing but the nodes' own keys and the join counters (which expire within a minute).
    const own = (k: string) => k.startsWith(`${prefix}node`) || k.startsWith(`${prefix}conns:`) || k.startsWith(`${prefix}joins`);
    assert.deepEqual(await keysOf(prefix).then((keys) => keys.filter((k) => !own(k))), []);
  });
});

describe('a relay node dies', () => {
  let nodeA: RelayProcess;
  let nodeB: RelayProcess;
  const prefix = 'killed-node:';
  const env = () => ({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, REJOIN_GRACE: '2' });

  before(async () => {
    [nodeA, nodeB] = await Promise.all([
      startRelayProcess({ fromSource: true, env: env() }),
      startRelayProcess({ fromSource: true, env: env() }),
    ]);
  });
  after(() => Promise.all([nodeA?.stop(), nodeB?.stop()]));

  /** How many nodes Redis counts as alive. */
  const nodeCount = async () => Number((await redis.command(['ZCARD', `${prefix}nodes`])).slice(1));

  /** Ann on node A, Bob on node B, in a new room, with rejoin keys. */
  async function call(room: string) {
    const ann = await connectTo(nodeA.url);
    const bob = await connectTo(nodeB.url);
    const annJoined = await joined(ann, { room, name: 'Ann', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room, name: 'Bob', key: 'key-of-bob-0123456789' });
    await heard;
    const got = once<SignalMessage>(bob, 'signal');
    assert.equal(codeOf(await signal(ann, { to: bobJoined.peerId, media: MEDIA })), 'ok');
    assert.equal((await got).from, annJoined.peerId);
    return { ann, bob, annJoined, bobJoined };
  }

  it('a client of the dead node resumes on another node as the same participant; nobody sees it leave', async (t) => {
    const { ann, bob, annJoined, bobJoined } = await call('resume-after-kill');
    t.after(() => [ann, bob].forEach((c) => c.disconnect()));
    const inboxBob = record(bob);
    const lost = once(ann, 'disconnect');
    t.after(() => nodeA.restart());
    await nodeA.kill();
    await lost;
    // Reconnected through the load balancer to a live node: node B here.
    const ann2 = await connectTo(nodeB.url);
    t.after(() => ann2.disconnect());
    const ack = await join(ann2, { room: 'resume-after-kill', name: 'Ann', peerId: annJoined.peerId, key: 'key-of-ann-0123456789' });
    assert.ok(ack.ok, JSON.stringify(ack));
    assert.equal(ack.data.resumed, true);
    assert.deepEqual(ack.data.peers, [{ peerId: bobJoined.peerId, name: 'Bob' }]);
    const got = once<SignalMessage>(bob, 'signal');
    assert.equal(codeOf(await signal(ann2, { to: bobJoined.peerId, media: MEDIA })), 'ok');
    assert.equal((await got).from, annJoined.peerId);
    // Once node B has taken node A for dead (its heartbeat ran out: 5 s), the sweep that did so
    // found Ann back online: still no peer-left.
    await waitFor(async () => (await nodeCount()) === 1, { timeout: 10_000, interval: 100, message: 'node A swept' });
    await flush(bob);
    assert.deepEqual(
      inboxBob.filter((e) => e.event !== 'signal'),
      [],
      'no peer-left, no peer-joined',
    );
  });

  it('its participants count as offline, and their partners on other nodes get peer-left after the grace', async (t) => {
    const { ann, bob, annJoined } = await call('left-after-kill');
    t.after(() => [ann, bob].forEach((c) => c.disconnect()));
    const left = once<{ peerId: string }>(bob, 'peer-left', 15_000);
    const killedAt = Date.now();
    t.after(() => nodeA.restart());
    await nodeA.kill();
    assert.deepEqual(await left, { peerId: annJoined.peerId });
    const after = Date.now() - killedAt;
    // Noticed within the node timeout (5 s) + one beat (1 s), then the grace (2 s) + one beat.
    assert.ok(after >= 2000 && after <= 9500, `peer-left ${after} ms after the kill`);
    t.diagnostic(`peer-left ${after} ms after the node was killed (node timeout 5 s, grace 2 s)`);
  });
});

describe('Redis goes away', () => {
  it('answers 503 and join unavailable at once, keeps established calls, and works again when Redis is back', async (t) => {
    const prefix = newPrefix();
    const [one, two] = await nodes(2, prefix);
    t.after(() => Promise.all([one.close(), two.close()]));
    const ann = await one.connect();
    const bob = await two.connect();
    const annJoined = await joined(ann, { room: 'through-outage', name: 'Ann', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room: 'through-outage', name: 'Bob', key: 'key-of-bob-0123456789' });
    await heard;
    const inboxes = [record(ann), record(bob)];

    await redis.kill();
    await waitFor(async () => (await fetch(`${one.url}/healthz`)).status === 503, { timeout: 5000, interval: 50, message: '/healthz 503' });
    // Only the verdict to the public (defect 7): the reason is in the log.
    assert.equal(await (await fetch(`${one.url}/healthz`)).text(), '{"ok":false}');
    const carol = await one.connect();
    const askedAt = Date.now();
    assert.equal(codeOf(await join(carol, { room: 'during-outage' })), 'unavailable');
    const answeredIn = Date.now() - askedAt;
    assert.ok(answeredIn < 1000, `answered at once (${answeredIn} ms)`);
    // Established calls: their connections stay (media is peer to peer and never touched Redis).
    assert.equal(ann.connected && bob.connected, true);

    await redis.restart(); // empty: no persistence
    const backAt = Date.now();
    for (const node of [one, two]) {
      await waitFor(async () => (await fetch(`${node.url}/healthz`)).status === 200, {
        timeout: 10_000,
        interval: 50,
        message: '/healthz 200 again',
      });
    }
    const healthyAfter = Date.now() - backAt;
    // The call goes on across nodes: both were put back, still knowing each other.
    await waitFor(
      async () => {
        const got = once<SignalMessage>(bob, 'signal', 1000).catch(() => null);
        const ack = await signal(ann, { to: bobJoined.peerId, media: MEDIA });
        return codeOf(ack) === 'ok' && (await got)?.from === annJoined.peerId;
      },
      { timeout: 10_000, interval: 100, message: 'signals across nodes again' },
    );
    t.diagnostic(
      `join unavailable answered in ${answeredIn} ms; /healthz 200 on both nodes ${healthyAfter} ms and signals across nodes ${Date.now() - backAt} ms after Redis was back`,
    );
    // And newcomers can join.
    const dave = await two.connect();
    assert.equal(codeOf(await join(carol, { room: 'after-outage' })), 'ok');
    assert.equal(codeOf(await join(dave, { room: 'after-outage' })), 'ok');
    for (const inbox of inboxes) assert.ok(!inbox.some((e) => e.event === 'peer-left'), JSON.stringify(inbox));
  });
});

describe('Redis outages the README describes (defect 3)', () => {
  it('two members of one room on the same node keep signaling while Redis is down', async (t) => {
    const [node] = await nodes(1);
    t.after(() => node.close());
    const ann = await node.connect();
    const bob = await node.connect();
    const annJoined = await joined(ann, { room: 'same-node', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room: 'same-node', key: 'key-of-bob-0123456789' });
    await heard;
    t.after(() => redis.restart());
    await redis.kill();
    await waitFor(async () => (await fetch(`${node.url}/healthz`)).status === 503, {
      timeout: 5000,
      interval: 50,
      message: '/healthz 503',
    });
    for (const [from, to, toId, fromId] of [
      [ann, bob, bobJoined.peerId, annJoined.peerId],
      [bob, ann, annJoined.peerId, bobJoined.peerId],
    ] as const) {
      const got = once<SignalMessage>(to, 'signal');
      assert.equal(codeOf(await signal(from, { to: toId, media: MEDIA })), 'ok');
      assert.equal((await got).from, fromId);
    }
    // A peer this node does not have is still refused, with the outage's code.
    assert.equal(codeOf(await signal(ann, { to: 'someone-elsewhere', media: MEDIA })), 'unavailable');
  });

  it('a member that disconnects while a persistent Redis is down is recorded when it is back: its partner on another node gets peer-left after the grace', async (t) => {
    // A Redis that keeps its data (AOF), as the README asks for (one restarted empty forgets
    // who knew whom: see the README's "what dies" table).
    const redis = await startRedis({ persistent: true });
    t.after(() => redis.stop());
    const prefix = newPrefix();
    const [one, two] = await Promise.all([0, 1].map(() => startRelay({ redis: redis.url, redisPrefix: prefix, rejoinGraceMs: 500 })));
    t.after(() => Promise.all([one.close(), two.close()]));
    const ann = await one.connect();
    const bob = await two.connect();
    await joined(ann, { room: 'missed-disconnect', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room: 'missed-disconnect', key: 'key-of-bob-0123456789' });
    await heard;
    await redis.kill();
    await waitFor(async () => (await fetch(`${two.url}/healthz`)).status === 503, { timeout: 5000, interval: 50, message: 'node two 503' });
    const left = once<{ peerId: string }>(ann, 'peer-left', 15_000);
    bob.io.engine.close(); // lost while node two cannot write it down
    await redis.restart();
    assert.deepEqual(await left, { peerId: bobJoined.peerId });
  });

  it('a member that disconnects while Redis is read-only is recorded once it is writable: its partner on another node gets peer-left', async (t) => {
    // Node two's warnings, to know when Redis has refused to record the disconnect.
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const prefix = newPrefix();
    const one = await startRelay({ redis: redis.url, redisPrefix: prefix, rejoinGraceMs: 500 });
    const two = await startRelay({ redis: redis.url, redisPrefix: prefix, rejoinGraceMs: 500, logger });
    t.after(() => Promise.all([one.close(), two.close()]));
    const ann = await one.connect();
    const bob = await two.connect();
    await joined(ann, { room: 'read-only-missed', key: 'key-of-ann-0123456789' });
    const heard = once(ann, 'peer-joined');
    const bobJoined = await joined(bob, { room: 'read-only-missed', key: 'key-of-bob-0123456789' });
    await heard;
    t.after(() => redis.command(['REPLICAOF', 'NO', 'ONE']));
    await redis.command(['REPLICAOF', '127.0.0.1', '1']);
    await waitFor(async () => (await fetch(`${two.url}/healthz`)).status === 503, { timeout: 5000, interval: 50, message: 'node two 503' });
    const left = once<{ peerId: string }>(ann, 'peer-left', 15_000);
    bob.io.engine.close(); // lost while Redis refuses to write it down
    await waitFor(() => warnings.some((line) => line.includes('could not record a disconnect')), {
      timeout: 5000,
      interval: 20,
      message: 'the disconnect refused by the read-only Redis',
    });
    await redis.command(['REPLICAOF', 'NO', 'ONE']);
    assert.deepEqual(await left, { peerId: bobJoined.peerId });
  });

  it('a read-only Redis (a primary demoted in a failover) makes /healthz 503 and joins unavailable, until it is writable', async (t) => {
    const [node] = await nodes(1);
    t.after(() => node.close());
    t.after(() => redis.command(['REPLICAOF', 'NO', 'ONE']));
    // A replica of nothing (port 1 on loopback): the connection stays open, every write fails.
    await redis.command(['REPLICAOF', '127.0.0.1', '1']);
    await waitFor(async () => (await fetch(`${node.url}/healthz`)).status === 503, {
      timeout: 5000,
      interval: 50,
      message: '/healthz 503 with Redis read-only',
    });
    const carol = await node.connect();
    assert.equal(codeOf(await join(carol, { room: 'read-only' })), 'unavailable');
    await redis.command(['REPLICAOF', 'NO', 'ONE']);
    await waitFor(async () => (await fetch(`${node.url}/healthz`)).status === 200, {
      timeout: 5000,
      interval: 50,
      message: '/healthz 200 once Redis is writable',
    });
    assert.equal(codeOf(await join(carol, { room: 'read-only' })), 'ok');
  });
});

describe('Redis keys', () => {
  it('leaves nothing behind once everyone has left or the grace has passed', async (t) => {
    const prefix = newPrefix();
    const relays = await nodes(2, prefix, { rejoinGraceMs: 200 });
    t.after(() => Promise.all(relays.map((r) => r.close())));
    const clients = await Promise.all(Array.from({ length: 8 }, (_, i) => relays[i % 2].connect()));
    for (let i = 0; i < 8; i += 2) {
      await joined(clients[i], { room: `r${i}`, key: `key-number-${i}-0123456789` });
      await joined(clients[i + 1], { room: `r${i}`, key: `key-number-${i + 1}-0123456789` });
    }
    assert.ok((await keysOf(prefix)).length > 0);
    // Half leave, half lose their connection (and never come back).
    for (let i = 0; i < 8; i++) {
      if (i % 2 === 0) await request(clients[i], 'leave');
      else clients[i].io.engine.close();
    }
    // The join counters per client address (MAX_JOINS_PER_MINUTE) expire by themselves.
    const joinKeys = (keys: string[]) => keys.filter((k) => k.startsWith(`${prefix}joins`));
    // Each live node's own keys: its members, its connection counts.
    const nodeKeys = (keys: string[]) => keys.filter((k) => k.startsWith(`${prefix}node`) || k.startsWith(`${prefix}conns:`));
    await waitFor(
      async () => {
        const keys = await keysOf(prefix);
        return keys.length === nodeKeys(keys).length + joinKeys(keys).length;
      },
      {
        timeout: 5000,
        interval: 100,
        message: 'no room, offline or stats key left',
      },
    );
    // The nodes' own keys go with the nodes.
    await Promise.all(relays.map((r) => r.close()));
    const left = await keysOf(prefix);
    assert.deepEqual(
      left.filter((k) => !joinKeys([k]).length),
      [],
    );
    for (const key of joinKeys(left)) {
      const ttl = Number((await redis.command(['PTTL', key])).slice(1)); // ":<ms>"
      assert.ok(ttl > 0 && ttl <= 60_000, `${key} expires within a minute (${ttl} ms)`);
    }
  });
});
