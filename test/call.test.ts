// Two <p2p-video-call> elements in one page call each other through the real relay.
import { expect } from '@open-wc/testing';
import { callPeerConnections, openPeerConnections, peerConnections, selectedLocalCandidateType } from './helpers/peer-connections.js';
import { addCall as addCallOn, connectPair as connectPairOn, newRoom as newRoomNamed, remoteVideo } from './helpers/calls.js';
import { io, type Socket } from 'socket.io-client';
import type { P2PVideoCall } from '../src/ui/p2p-video-call.js';
import type { CandidateInit, ClientToServerEvents, JoinData, ServerToClientEvents, SignalMessage } from '../src/protocol.js';
import type { CallErrorEvent, PeerLeftEvent, RemoteMediaChangeEvent } from '../src/call/events.js';
import { startCoturn, startRelay, stopCoturn, stopRelay, type RelayHandle } from './helpers/relay.js';
import { framesPresented, nextEvent, until } from './helpers/wait.js';

let relay: RelayHandle;
before(async () => {
  relay = await startRelay();
});
after(() => stopRelay(relay));
afterEach(() => document.querySelectorAll('p2p-video-call').forEach((el) => el.remove()));

/** An element on the shared relay, or on `url`. */
const addCall = (room: string, attributes: Record<string, string> = {}, url = relay.url): P2PVideoCall => addCallOn(room, url, attributes);
const newRoom = () => newRoomNamed('call');
/** Two connected elements in a new room. */
const connectPair = (attributes: Record<string, string> = {}, url = relay.url) => connectPairOn(url, attributes, 'call');

describe('a call through the relay', () => {
  it('connects two elements, and both remote videos play', async () => {
    const room = newRoom();
    const first = addCall(room, { name: 'First' });
    await until(() => first.state === 'waiting', 'first waiting');
    const joined = nextEvent(first, 'peer-joined');
    const firstConnected = nextEvent(first, 'call-connected');
    const second = addCall(room, { name: 'Second' });
    const secondConnected = nextEvent(second, 'call-connected');
    expect((await joined).detail.name).to.equal('Second');
    const [a, b] = await Promise.all([firstConnected, secondConnected]);
    expect(a.detail.peerId).to.equal(first.peer!.id);
    expect(b.detail.peerId).to.equal(second.peer!.id);
    expect(first.peer!.id).not.to.equal(second.peer!.id);
    expect(first.peer).to.deep.include({ name: 'Second' });
    expect(second.peer).to.deep.include({ name: 'First' });
    for (const el of [first, second]) {
      expect(el.state).to.equal('connected');
      await framesPresented(remoteVideo(el));
      expect(remoteVideo(el).videoWidth).to.be.greaterThan(0);
      expect(el.remoteStream!.getAudioTracks()).to.have.length(1);
    }
  });

  it('makes its offer while waiting alone, and the call uses that peer connection', async () => {
    const room = newRoom();
    const before = peerConnections().length;
    const first = addCall(room);
    await until(() => first.state === 'waiting', 'first waiting');
    const prepared = peerConnections()
      .slice(before)
      .filter((pc) => pc.signalingState !== 'closed');
    expect(prepared).to.have.length(1);
    await until(() => prepared[0].signalingState === 'have-local-offer', 'the offer made while waiting');
    const connected = nextEvent(first, 'call-connected');
    addCall(room);
    await connected;
    expect(callPeerConnections(before)).to.have.length(2);
    expect(callPeerConnections(before)[0]).to.equal(prepared[0]);
    expect(prepared[0].connectionState).to.equal('connected');
  });

  it('leaves its offer, with its candidates, at the relay: a newcomer answers it from its join ack, and the offer is not sent again', async () => {
    const room = newRoom();
    const first = addCall(room);
    await until(() => first.state === 'waiting', 'first waiting');
    // The newcomer: a bare Socket.IO client and peer connection in this page (receive only).
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(relay.url, { transports: ['websocket'], forceNew: true });
    const pc = new RTCPeerConnection();
    const offers: SignalMessage[] = [];
    socket.on('signal', (m) => {
      if (m.description?.type === 'offer') offers.push(m);
      else if (m.candidate)
        void pc.addIceCandidate(m.candidate).catch(() => {
          // One that arrives before the offer is applied: not needed here.
        });
    });
    try {
      // The offer is left once its candidates are gathered. A join that came before it gets
      // none (the element then sends it as usual): leave, and try again.
      let data: JoinData | undefined;
      for (let attempt = 1; !data?.offer; attempt++) {
        if (attempt > 5) throw new Error('no join ack carried the waiting element’s offer');
        await until(
          () => openPeerConnections().some((p) => p.signalingState === 'have-local-offer' && p.iceGatheringState === 'complete'),
          'the waiting element’s offer complete',
        );
        const ack = await socket.emitWithAck('join', { room, name: 'Raw' });
        if (!ack.ok) throw new Error(ack.error.code);
        data = ack.data;
        if (!data.offer) await socket.emitWithAck('leave');
      }
      offers.length = 0; // any from a join before: those came before their leave's ack
      const { offer, peers } = data;
      expect(offer.type).to.equal('offer');
      expect(offer.sdp).to.match(/\r\na=candidate:/, 'its candidates are in it');
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      const connected = nextEvent(first, 'call-connected');
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription();
      pc.onicecandidate = ({ candidate }) =>
        candidate && socket.emit('signal', { to: peers[0].peerId, candidate: candidate.toJSON() as CandidateInit });
      await socket.emitWithAck('signal', { to: peers[0].peerId, description: pc.localDescription!.toJSON() });
      await connected;
      await until(() => pc.connectionState === 'connected', 'the newcomer’s connection up');
      // Media state and such may follow, but no offer: the newcomer had it from the relay.
      await socket.emitWithAck('ice-servers');
      expect(offers).to.deep.equal([]);
    } finally {
      pc.close();
      socket.close();
    }
  });

  it('turns a third element away with call-error room-full and leaves the call alone', async () => {
    const { room, first, second } = await connectPair();
    const third = addCall(room);
    const error = await nextEvent<CallErrorEvent>(third, 'call-error');
    expect(error.detail.code).to.equal('room-full');
    expect(third.state).to.equal('failed');
    expect(third.localStream).to.equal(null);
    expect([first.state, second.state]).to.deep.equal(['connected', 'connected']);
  });

  it('sends the other peer back to waiting with peer-left when one hangs up', async () => {
    const { first, second } = await connectPair();
    const secondId = first.peer!.id;
    const left = nextEvent<PeerLeftEvent>(first, 'peer-left');
    const ended = nextEvent(first, 'call-ended');
    const localTracks = second.localStream!.getTracks();
    second.hangUp();
    expect((await left).detail.peerId).to.equal(secondId);
    expect((await ended).detail).to.deep.equal({ reason: 'peer-left' });
    expect(first.state).to.equal('waiting');
    expect(first.peer).to.equal(null);
    expect(second.state).to.equal('ended');
    expect(localTracks.every((t) => t.readyState === 'ended')).to.equal(true);
    // Only the first element is left: the call's peer connections are closed, and it holds one
    // prepared for the next peer, negotiated with nobody.
    const open = openPeerConnections();
    expect(open).to.have.length(1);
    expect(open[0].remoteDescription).to.equal(null);
  });

  it('says who left (issue 23): the status names the one who hung up, and the one who hung up is offered no microphone or camera', async () => {
    const { first, second } = await connectPair();
    const part = (el: P2PVideoCall, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
    const left = nextEvent<PeerLeftEvent>(first, 'peer-left');
    second.hangUp();
    await left;
    await until(
      () => part(first, 'status').textContent.trim() === 'Second left the call. Waiting for someone to join…',
      'the status names Second',
    );
    await second.updateComplete;
    expect(second.state).to.equal('ended');
    expect([part(second, 'mute-button').hidden, part(second, 'camera-button').hidden, part(second, 'hangup-button').hidden]).to.deep.equal([
      true,
      true,
      true,
    ]);
    expect(part(second, 'start-button').textContent.trim()).to.equal('Call again');
    // Someone new comes: the status is about them, not about who left.
    const third = addCall(first.room, { name: 'Third' });
    await nextEvent(first, 'call-connected', 20_000);
    await until(() => part(first, 'status').textContent.trim() === 'Connected with Third.', 'the status is about Third');
    third.hangUp();
  });

  it('tells the other side when the microphone or camera goes off', async () => {
    const { first, second } = await connectPair();
    const change = nextEvent<RemoteMediaChangeEvent>(second, 'remote-media-change');
    first.muted = true;
    expect((await change).detail).to.deep.equal({ audio: false, video: true, screen: false });
    const cameraOff = nextEvent<RemoteMediaChangeEvent>(second, 'remote-media-change');
    first.cameraOff = true;
    expect((await cameraOff).detail).to.deep.equal({ audio: false, video: false, screen: false });
    await second.updateComplete;
    const text = second.shadowRoot!.textContent;
    expect(text).to.include('Camera off');
    expect(text).to.include('Their microphone is off.');
  });

  it('connects through a real TURN server with relay-only ICE and the relay’s credentials', async () => {
    const turn = await startCoturn();
    const turnRelay = await startRelay({ turn: { urls: turn.urls, secret: turn.secret, ttlSeconds: 600 } });
    try {
      const before = peerConnections().length;
      const { first, second } = await connectPair({ 'ice-transport-policy': 'relay' }, turnRelay.url);
      const pcs = callPeerConnections(before);
      expect(pcs).to.have.length(2);
      for (const pc of pcs) {
        expect(pc.getConfiguration().iceTransportPolicy).to.equal('relay');
        // Right after `connected`, Chromium may not name the selected pair yet: poll briefly.
        expect(await until(() => selectedLocalCandidateType(pc), 'a selected candidate pair', 5000)).to.equal('relay');
      }
      for (const el of [first, second]) await framesPresented(remoteVideo(el));
    } finally {
      await stopRelay(turnRelay);
      await stopCoturn(turn);
    }
  });
});
