// Our JSON-only Socket.IO parser (src/socket-io-parser.ts) against socket.io-parser, the one the
// relay uses: the same strings out for every packet we can send, the same packets back for every
// string the relay can send, and nothing accepted that socket.io-parser would refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as reference from 'socket.io-parser';
import { Decoder, Encoder, PacketType, type Packet } from './socket-io-parser.js';

/** What a decoder makes of a string: the packet, or that it threw. */
function decode(
  make: () => { add(chunk: unknown): void; on(event: 'decoded', fn: (packet: Packet) => void): unknown },
  chunk: unknown,
): Packet | 'refused' {
  const decoder = make();
  let decoded: Packet | undefined;
  decoder.on('decoded', (packet) => (decoded = packet));
  try {
    decoder.add(chunk);
  } catch {
    return 'refused';
  }
  assert.ok(decoded, 'a decoder that accepts a string emits its packet');
  return decoded;
}
const ours = (chunk: unknown) => decode(() => new Decoder(), chunk);
const theirs = (chunk: unknown) => decode(() => new reference.Decoder(), chunk);

const json = fc.jsonValue({ maxDepth: 3 });
const nsp = fc.constantFrom('/', '/admin', '/a/b', '/é');
const id = fc.option(fc.nat(), { nil: undefined });
const eventName = fc
  .string()
  .filter((name) => !['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(name));
/** Every packet a Socket.IO client or server sends without binary. */
const packet: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({ type: fc.constant(PacketType.CONNECT), nsp, data: fc.option(fc.dictionary(fc.string(), json), { nil: undefined }) }),
  fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp }),
  fc.record({
    type: fc.constant(PacketType.EVENT),
    nsp,
    id,
    data: fc.tuple(fc.oneof(eventName, fc.nat()), fc.array(json, { maxLength: 3 })).map(([name, args]) => [name, ...args]),
  }),
  fc.record({ type: fc.constant(PacketType.ACK), nsp, id: fc.nat(), data: fc.array(json, { maxLength: 3 }) }),
  fc.record({
    type: fc.constant(PacketType.CONNECT_ERROR),
    nsp,
    data: fc.oneof(fc.string(), fc.record({ message: fc.string(), data: json })),
  }),
);
/** JSON.parse(JSON.stringify(x)): what a packet's data is after a trip over the wire. */
const wire = (packet: Packet): Packet => JSON.parse(JSON.stringify(packet)) as Packet;

describe('socket-io-parser (JSON only)', () => {
  it('encodes every packet as socket.io-parser does', () => {
    const encoder = new reference.Encoder();
    fc.assert(
      fc.property(packet, (p) => assert.deepEqual(new Encoder().encode(p), encoder.encode(p as never))),
      { numRuns: 2000 },
    );
  });

  it('decodes what socket.io-parser encodes into the same packet', () => {
    const encoder = new reference.Encoder();
    fc.assert(
      fc.property(packet, (p) => {
        const [text] = encoder.encode(p) as string[];
        const decoded = ours(text);
        assert.deepEqual(decoded, theirs(text));
        assert.deepEqual(decoded, wire(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts no string socket.io-parser refuses, and reads every one it accepts alike', () => {
    const digits = fc.stringMatching(/^[0-9]{0,3}$/);
    const noise = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom('0', '1', '2', '3', '4', '5', '7', 'x', ''),
          fc.constantFrom('', '/', '/x,', '/x'),
          digits,
          fc.oneof(
            fc.string(),
            json.map((v) => JSON.stringify(v)),
          ),
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(noise, (text) => {
        const decoded = ours(text);
        if (decoded !== 'refused') assert.deepEqual(decoded, theirs(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses binary packets, non-strings and reserved event names', () => {
    for (const chunk of [
      '51-["a",{"_placeholder":true,"num":0}]',
      '61-0[{"_placeholder":true,"num":0}]',
      new Uint8Array([1]),
      '2["connect"]',
      '2["disconnect"]',
      '1{}',
      '0[]',
      '3{}',
      '2{}',
      '2x',
    ]) {
      assert.equal(ours(chunk), 'refused', String(chunk));
    }
  });

  it('reads the relay’s packets as the relay writes them', () => {
    assert.deepEqual(ours('0{"sid":"abc","pid":"x"}'), { type: 0, nsp: '/', data: { sid: 'abc', pid: 'x' } });
    assert.deepEqual(ours('2["signal",{"from":"p1"}]'), { type: 2, nsp: '/', data: ['signal', { from: 'p1' }] });
    assert.deepEqual(ours('312[{"ok":true}]'), { type: 3, nsp: '/', id: 12, data: [{ ok: true }] });
    assert.deepEqual(ours('4{"message":"no","data":{"code":"server-busy"}}'), {
      type: 4,
      nsp: '/',
      data: { message: 'no', data: { code: 'server-busy' } },
    });
    assert.deepEqual(ours('1/admin,'), { type: 1, nsp: '/admin' });
  });
});
