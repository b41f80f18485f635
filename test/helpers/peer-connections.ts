// Watches the page's RTCPeerConnections (without changing them) so tests can count open ones
// and read their stats. Install before the code under test creates any.
const created: RTCPeerConnection[] = [];
const Native = window.RTCPeerConnection;

if (!(Native as { watched?: boolean }).watched) {
  class Watched extends Native {
    static watched = true;
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      created.push(this);
    }
  }
  window.RTCPeerConnection = Watched;
}

/** Every RTCPeerConnection created in this page so far. */
export function peerConnections(): RTCPeerConnection[] {
  return created;
}

/** Those not closed. */
export function openPeerConnections(): RTCPeerConnection[] {
  return created.filter((pc) => pc.signalingState !== 'closed');
}

/** The candidate type (`host`, `srflx`, `relay`) of the local side of the selected pair. */
export async function selectedLocalCandidateType(pc: RTCPeerConnection): Promise<string | undefined> {
  const stats = await pc.getStats();
  let pairId: string | undefined;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    // Firefox marks the pair instead of naming it on the transport.
    if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pairId ??= s.id;
  });
  const pair = pairId ? stats.get(pairId) : undefined;
  return pair ? stats.get(pair.localCandidateId)?.candidateType : undefined;
}
