import type { StatsReport } from '../../src/media/call-stats.js';

// Watches the page's RTCPeerConnections (without changing them) so tests can count open ones
// and read their stats. Install before the code under test creates any.
const created: RTCPeerConnection[] = [];
/** Those that were given the other side's description: used for a call, not just prepared. */
const negotiated = new WeakSet<RTCPeerConnection>();
/** Told of each one as it is created (before the code under test adds its listeners). */
const creationListeners = new Set<(pc: RTCPeerConnection) => void>();
const Native = window.RTCPeerConnection;

if (!(Native as { watched?: boolean }).watched) {
  class Watched extends Native {
    static watched = true;
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      created.push(this);
      for (const listener of creationListeners) listener(this);
    }
    override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      negotiated.add(this);
      return super.setRemoteDescription(description);
    }
  }
  window.RTCPeerConnection = Watched;
}

/** Calls `listener` with every RTCPeerConnection created from now on, until the returned function is called. */
export function onPeerConnection(listener: (pc: RTCPeerConnection) => void): () => void {
  creationListeners.add(listener);
  return () => creationListeners.delete(listener);
}

/** Every RTCPeerConnection created in this page so far. */
export function peerConnections(): RTCPeerConnection[] {
  return created;
}

/**
 * Those created since `peerConnections()` had `since` entries that negotiated with another side.
 * (An element alone in a room prepares one for the next peer; one it closes unused is not here.)
 */
export function callPeerConnections(since = 0): RTCPeerConnection[] {
  return created.slice(since).filter((pc) => negotiated.has(pc));
}

/** Those not closed. */
export function openPeerConnections(): RTCPeerConnection[] {
  return created.filter((pc) => pc.signalingState !== 'closed');
}

/** The candidate type (`host`, `srflx`, `relay`) of the local side of the selected pair. */
export async function selectedLocalCandidateType(pc: RTCPeerConnection): Promise<string | undefined> {
  const stats: StatsReport = await pc.getStats();
  let pairId: string | undefined;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    // Firefox marks the pair instead of naming it on the transport.
    if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pairId ??= s.id;
  });
  const pair = pairId ? stats.get(pairId) : undefined;
  return pair ? stats.get(pair.localCandidateId)?.candidateType : undefined;
}
