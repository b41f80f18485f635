// A peer that is not <p2p-video-call>: a raw Socket.IO client and a real RTCPeerConnection in
// the page, speaking the relay protocol and the call's data channel by hand, as a hostile or
// foreign client would. It answers the element's offer (the element, first in the room, is
// impolite), sends the fake camera, and opens the negotiated channel (id 0).
import { io, type Socket } from 'socket.io-client';
import type { JoinData, SignalMessage } from '../../src/protocol.js';
import { until } from './wait.js';

export interface RawPeer {
  socket: Socket;
  pc: RTCPeerConnection;
  /** The call's data channel, open. */
  channel: RTCDataChannel;
  /** Every text frame the element sent on it, parsed. */
  frames: unknown[];
  /** Leaves: the channel, the connection, the camera and the socket. */
  close(): void;
}

/** Joins `room` on `relayUrl` as `name` and connects to the element waiting there. */
export async function joinRawPeer(relayUrl: string, room: string, name: string): Promise<RawPeer> {
  const socket = io(relayUrl, { transports: ['websocket'], forceNew: true, reconnection: false });
  const pc = new RTCPeerConnection();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const channel = pc.createDataChannel('raw', { negotiated: true, id: 0 });
  channel.binaryType = 'arraybuffer';
  const frames: unknown[] = [];
  channel.onmessage = (e: MessageEvent) => {
    if (typeof e.data === 'string') frames.push(JSON.parse(e.data));
  };
  let to = '';
  pc.onicecandidate = (e) => {
    if (e.candidate) socket.emit('signal', { to, candidate: e.candidate.toJSON() });
  };
  const answer = async (offer: RTCSessionDescriptionInit) => {
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription();
    socket.emit('signal', { to, description: pc.localDescription!.toJSON() });
  };
  socket.on('signal', (m: SignalMessage) => {
    if (m.description?.type === 'offer') void answer(m.description);
    else if (m.candidate) pc.addIceCandidate(m.candidate as RTCIceCandidateInit).catch(() => undefined);
  });
  const joined = (await socket.emitWithAck('join', { room, name })) as { ok: boolean; data: JoinData };
  if (!joined.ok) throw new Error(`the raw peer could not join: ${JSON.stringify(joined)}`);
  to = joined.data.peers[0].peerId;
  if (joined.data.offer) await answer(joined.data.offer);
  await until(() => channel.readyState === 'open', 'the raw peer’s data channel open', 20_000);
  return {
    socket,
    pc,
    channel,
    frames,
    close: () => {
      channel.close();
      pc.close();
      stream.getTracks().forEach((t) => t.stop());
      socket.disconnect();
    },
  };
}
