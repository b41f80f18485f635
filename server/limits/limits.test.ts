// The relay's limits per client address and per node: each one hit, the code the client gets,
// and a client from another address unaffected. Addresses are told apart by X-Forwarded-For
// with TRUST_PROXY (the loopback interface gives every test client the same address), which
// also shows that without it a forged header changes nothing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { limitedAddress } from './address-block.js';
import { clientAddress } from './connection-limits.js';
import { createSignalingServer, type SignalingServer } from '../relay/create-signaling-server.js';
import type { SignalingServerOptions } from '../config/options.js';
import { waitFor } from '../../test/support/wait.mjs';
import { codeOf, connectTo, joined, request, sharedRedis, type Client, type RawClient } from '../test-support/relay-clients.js';

const servers: SignalingServer[] = [];
const clients: Client[] = [];
after(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all(servers.map((s) => s.close()));
});

async function relay(options: SignalingServerOptions): Promise<string> {
  const server = createSignalingServer({ logger: false, staticFiles: false, ...options });
  servers.push(server);
  return (await server.listen(0, '127.0.0.1')).url;
}

/** A client as if from `address` (through a trusted proxy that says so). */
async function from(url: string, address: string): Promise<Client> {
  const client = await connectTo(url, { 'X-Forwarded-For': address });
  clients.push(client);
  return client;
}

/** The code of a refused connection (`connect_error`'s data), or of a refusal without one. */
async function refusedWith(url: string, address: string): Promise<string> {
  const error = (await connectTo(url, { 'X-Forwarded-For': address }).then(
    (client) => {
      clients.push(client);
      assert.fail(`a connection from ${address} was accepted`);
    },
    (e: unknown) => e,
  )) as Error & { data?: { code?: string } };
  return error.data?.code ?? `no code (${error.message})`;
}

describe('client address', () => {
  const req = (forwarded: string | undefined) =>
    ({
      socket: { remoteAddress: '10.0.0.1' },
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    }) as unknown as IncomingMessage;

  it('is the TCP peer unless proxies are trusted, then the entry the outermost trusted proxy saw', () => {
    assert.equal(clientAddress(req('1.2.3.4'), 0), '10.0.0.1', 'a forged header is ignored without TRUST_PROXY');
    assert.equal(clientAddress(req('6.6.6.6, 1.2.3.4'), 1), '1.2.3.4', 'what the client wrote itself is left of the proxy’s entry');
    assert.equal(clientAddress(req('6.6.6.6, 1.2.3.4, 10.0.0.9'), 2), '1.2.3.4');
    assert.equal(clientAddress(req(undefined), 1), '10.0.0.1');
  });

  it('TRUST_PROXY with a chain shorter than its hops: the TCP peer, not an entry the client wrote (defect 9)', () => {
    // Two trusted proxies, but the request reached the relay directly with a header of its own:
    // rotating that header must not give it a new address for the per-address limits.
    for (const forged of ['6.6.6.6', '7.7.7.7', ' 8.8.8.8 ']) assert.equal(clientAddress(req(forged), 2), '10.0.0.1');
    assert.equal(clientAddress(req('6.6.6.6, 1.2.3.4'), 3), '10.0.0.1');
    assert.equal(clientAddress(req(''), 1), '10.0.0.1');
  });
});

describe('the address the limits count (defect 5: each full IPv6 address was a new one)', () => {
  it('is an IPv6 address’s /64, and an IPv4 address as is, also when written IPv4-mapped', () => {
    const cases: Array<[string, string]> = [
      ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
      ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
      ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      ['::ffff:192.0.2.7', '192.0.2.7'],
      ['::FFFF:192.0.2.7', '192.0.2.7'],
      ['192.0.2.7', '192.0.2.7'],
      ['unknown', 'unknown'],
    ];
    for (const [address, block] of cases) assert.equal(limitedAddress(address), block, address);
    // A host rotating through its /64 stays one address for the limits.
    const rotated = new Set(Array.from({ length: 50 }, (_, i) => limitedAddress(`2001:db8:1:2:${i.toString(16)}::${i + 1}`)));
    assert.deepEqual([...rotated], ['2001:db8:1:2::/64']);
  });
});

describe('limits', () => {
  it('refuses a connection past the per-address limit with too-many-connections; another address connects', async () => {
    const url = await relay({ trustProxy: true, limits: { connectionsPerAddress: 3 } });
    for (let i = 0; i < 3; i++) await from(url, '203.0.113.1');
    assert.equal(await refusedWith(url, '203.0.113.1'), 'too-many-connections');
    const other = await from(url, '203.0.113.2');
    await joined(other, { room: 'limits-a' });
    // Once one closes, the address may connect again.
    clients.find((c) => c.connected)!.disconnect();
    const again = await waitForAccepted(url, '203.0.113.1');
    assert.ok(again.connected);
  });

  it('counts every refused connection in connections_refused_total, also those turned away before the handshake', async () => {
    const url = await relay({ trustProxy: true, limits: { connectionsPerAddress: 1 } });
    await from(url, '203.0.113.9');
    // The first one over the limit is let in to be told why; while it is still open, the next
    // one is turned away before the handshake (allowRequest), with no code it could read.
    const told = await refusedWith(url, '203.0.113.9');
    const barred = await refusedWith(url, '203.0.113.9');
    assert.equal(told, 'too-many-connections');
    const refused = await servers.at(-1)!.metrics.registry.getSingleMetric('p2p_video_call_connections_refused_total')!.get();
    assert.deepEqual(
      refused.values.map((v) => [v.labels.code, v.value]),
      [['too-many-connections', 2]],
      `both counted (the second was ${barred})`,
    );
  });

  it('counts the TCP peer without TRUST_PROXY, whatever X-Forwarded-For says', async () => {
    const url = await relay({ limits: { connectionsPerAddress: 2 } });
    await from(url, '198.51.100.1');
    await from(url, '198.51.100.2');
    assert.equal(await refusedWith(url, '198.51.100.3'), 'too-many-connections');
  });

  it('refuses connections past the node’s limit with server-busy', async () => {
    const url = await relay({ trustProxy: true, limits: { connectionsPerNode: 2 } });
    await from(url, '192.0.2.1');
    await from(url, '192.0.2.2');
    assert.equal(await refusedWith(url, '192.0.2.3'), 'server-busy');
  });

  it('refuses joins past the per-address limit with rate-limited; another address joins', async () => {
    const url = await relay({ trustProxy: true, limits: { joinsPerAddressPerMinute: 2 } });
    const a = await from(url, '203.0.113.7');
    await joined(a, { room: 'joins-1' });
    assert.equal(codeOf(await request(a as unknown as RawClient, 'leave')), 'ok');
    await joined(a, { room: 'joins-2' });
    assert.equal(codeOf(await request(a as unknown as RawClient, 'leave')), 'ok');
    const refused = await request(a, 'join', { room: 'joins-3' });
    assert.equal(codeOf(refused), 'rate-limited');
    const b = await from(url, '203.0.113.8');
    await joined(b, { room: 'joins-3' });
  });

  it('counts an address’s connections over all nodes through Redis, and frees them as they close', async () => {
    const { url: redis } = await sharedRedis();
    const options: SignalingServerOptions = {
      trustProxy: true,
      limits: { connectionsPerAddress: 3 },
      redis,
      redisPrefix: `conns-${process.pid}:`,
    };
    const [one, two] = [await relay(options), await relay(options)];
    const held = [await from(one, '203.0.113.20'), await from(one, '203.0.113.20'), await from(two, '203.0.113.20')];
    assert.equal(await refusedWith(two, '203.0.113.20'), 'too-many-connections');
    // Refused on the other node too: told why, or (while the refused one above is still being
    // closed and counted) turned away at the handshake. Never accepted.
    assert.match(await refusedWith(one, '203.0.113.20'), /^too-many-connections$|^no code/);
    await from(two, '203.0.113.21'); // another address
    held[0].disconnect();
    const again = await waitForAccepted(two, '203.0.113.20');
    assert.ok(again.connected);
  });

  it('shares the join limit between nodes through Redis', async () => {
    const { url: redis } = await sharedRedis();
    const options: SignalingServerOptions = {
      trustProxy: true,
      limits: { joinsPerAddressPerMinute: 2 },
      redis,
      redisPrefix: `limits-${process.pid}:`,
    };
    const [one, two] = [await relay(options), await relay(options)];
    await joined(await from(one, '203.0.113.9'), { room: 'shared-1' });
    await joined(await from(two, '203.0.113.9'), { room: 'shared-2' });
    const third = await from(one, '203.0.113.9');
    assert.equal(codeOf(await request(third as unknown as RawClient, 'join', { room: 'shared-3' })), 'rate-limited');
  });
});

/** Connects from `address` once the relay has counted a closed connection (bounded retries). */
function waitForAccepted(url: string, address: string): Promise<Client> {
  // The close is counted asynchronously: retry the connection until it is let in.
  return waitFor(() => from(url, address).catch(() => null), { timeout: 2000, interval: 20, message: `${address} to connect again` });
}
