import { Emitter } from '@socket.io/component-emitter';

/**
 * The Socket.IO packet format (socket.io-protocol v5), JSON payloads only: the parser our client
 * hands to socket.io-client (its `parser` option), and what the drop-in bundle gets in place of
 * `socket.io-parser`.
 *
 * Why not socket.io-parser itself: most of it is binary support (attachments counted in the
 * header, buffers sent after the packet and put back in place), and our protocol is JSON only
 * (`protocol.ts`); it cost every visitor 1.1 KB gzip, this 0.4 KB. The wire format is the same,
 * so the relay keeps the default parser and any Socket.IO client can still talk to it.
 * `src/socket-io-parser.test.ts` checks both directions against socket.io-parser.
 *
 * A packet is `<type>[<nsp>,][<ack id>][<JSON payload>]`
 * (https://github.com/socketio/socket.io/blob/main/docs/socket.io-protocol/v5-current.md).
 * Binary packets (types 5 and 6) are refused like any malformed packet: the decoder throws and
 * socket.io-client closes the connection with "parse error" (then reconnects).
 */

/** socket.io-protocol revision. */
export const protocol = 5;

/** Packet types, as socket.io-parser names them (socket.io-client reads these). */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

/** A decoded packet, as socket.io-client reads it. */
export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Event names a peer may not send (socket.io-parser's list). */
const RESERVED_EVENTS = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** Whether a payload fits its packet type (socket.io-parser's rules; `PacketType` by number). */
function isPayloadValid(type: number, data: unknown): boolean {
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (type) {
    case 0: // CONNECT
      return isObject(data);
    case 4: // CONNECT_ERROR
      return typeof data === 'string' || isObject(data);
    case 2: // EVENT
      return Array.isArray(data) && (typeof data[0] === 'number' || (typeof data[0] === 'string' && !RESERVED_EVENTS.includes(data[0])));
    case 3: // ACK
      return Array.isArray(data);
    default: // DISCONNECT carries no payload
      return false;
  }
}

/** Type, then `/nsp` up to a comma (or the end), then the ack id's digits, then the payload. */
const PACKET = /^([0-4])(?:(\/[^,]*),?)?(\d*)([^]*)$/;

/** Turns packets into strings. */
export class Encoder {
  /** One string per packet (a binary packet would be several). */
  encode(packet: Packet): string[] {
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    const data = packet.data == null ? '' : JSON.stringify(packet.data);
    return [`${packet.type}${nsp}${packet.id ?? ''}${data}`];
  }
}

/** Turns strings into packets; emits `decoded` with each one, throws on anything else. */
export class Decoder extends Emitter<Record<string, never>, Record<string, never>, { decoded: (packet: Packet) => void }> {
  add(chunk: unknown): void {
    const match = typeof chunk === 'string' ? PACKET.exec(chunk) : null;
    if (!match) throw new Error('not a JSON socket.io packet');
    const [, type, nsp = '/', id, payload] = match;
    const packet: Packet = { type: Number(type), nsp };
    if (id) packet.id = Number(id);
    if (payload) {
      let data: unknown;
      try {
        data = JSON.parse(payload);
      } catch {
        data = undefined; // not JSON: refused just below as an invalid payload
      }
      if (!isPayloadValid(packet.type, data)) throw new Error('invalid payload');
      packet.data = data;
    }
    this.emitReserved('decoded', packet);
  }

  /** Nothing is held between packets. */
  destroy(): void {
    // Nothing to free.
  }
}
