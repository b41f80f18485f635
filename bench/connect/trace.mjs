// --trace: a subclass of RTCPeerConnection installed in the page that logs each negotiation step.
// The bundle looks RTCPeerConnection up on the global object when a call starts, so it uses it.

/** Installs the traced RTCPeerConnection. Self-contained: puppeteer serialises it into the page. */
export function pageInstallTrace() {
  if (window.__connectBenchTrace) return;
  const trace = (window.__connectBenchTrace = { events: [], pcs: 0 });
  const log = (pc, type) => trace.events.push({ pc, type, t: performance.now() });
  const Native = window.RTCPeerConnection;
  class TracedRTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      const id = trace.pcs++;
      Object.defineProperty(this, '__benchId', { value: id });
      log(id, 'created');
      this.addEventListener('negotiationneeded', () => log(id, 'negotiationneeded'));
      this.addEventListener('icecandidate', (e) => log(id, e.candidate?.candidate ? 'candidate' : 'gathering-done'));
      this.addEventListener('iceconnectionstatechange', () => log(id, `ice-${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => log(id, `conn-${this.connectionState}`));
      this.addEventListener('track', (e) => log(id, `track-${e.track.kind}`));
    }
    async setLocalDescription(...args) {
      log(this.__benchId, 'sld-start');
      const result = await super.setLocalDescription(...args);
      log(this.__benchId, `sld-done-${this.localDescription?.type}`);
      return result;
    }
    async setRemoteDescription(description, ...rest) {
      log(this.__benchId, `srd-start-${description?.type}`);
      const result = await super.setRemoteDescription(description, ...rest);
      log(this.__benchId, `srd-done-${description?.type}`);
      return result;
    }
    async addIceCandidate(...args) {
      log(this.__benchId, 'remote-candidate');
      return super.addIceCandidate(...args);
    }
  }
  window.RTCPeerConnection = TracedRTCPeerConnection;
}

/** Turns one trial's trace (times already relative to t0) into the phases of the negotiation. */
export function tracePhases(events) {
  const first = (pc, type) => events.find((e) => (pc === undefined || e.pc === pc) && e.type === type)?.t;
  const offerer = events.find((e) => e.type === 'sld-done-offer')?.pc;
  // The element may prepare peer connections it closes unused: the answerer is the one offered to.
  const answerer = events.find((e) => e.type === 'srd-start-offer' && e.pc !== offerer)?.pc;
  if (offerer === undefined || answerer === undefined) return null;
  const both = (type) => {
    const a = first(offerer, type);
    const b = first(answerer, type);
    return a === undefined || b === undefined ? undefined : Math.max(a, b);
  };
  return {
    offererCreated: first(offerer, 'created'),
    answererCreated: first(answerer, 'created'),
    offerReady: first(offerer, 'sld-done-offer'),
    offerReceived: first(answerer, 'srd-start-offer'),
    offerApplied: first(answerer, 'srd-done-offer'),
    answerStarted: events.find((e) => e.pc === answerer && e.type === 'sld-start' && e.t >= (first(answerer, 'srd-done-offer') ?? Infinity))
      ?.t,
    answerReady: first(answerer, 'sld-done-answer'),
    answerReceived: first(offerer, 'srd-start-answer'),
    answerApplied: first(offerer, 'srd-done-answer'),
    firstCandidate: first(undefined, 'candidate'),
    iceConnected: both('ice-connected'),
    connected: both('conn-connected'),
    offers: events.filter((e) => e.type === 'sld-done-offer').length,
  };
}

/** The phases of {@link tracePhases}, in order, with their labels. */
export const TRACE_PHASES = [
  ['offererCreated', 'offerer: RTCPeerConnection created'],
  ['answererCreated', 'answerer: RTCPeerConnection created'],
  ['offerReady', 'offerer: offer set (setLocalDescription)'],
  ['offerReceived', 'answerer: offer received (via relay)'],
  ['offerApplied', 'answerer: offer applied'],
  ['answerStarted', 'answerer: answer asked for (setLocalDescription)'],
  ['answerReady', 'answerer: answer set'],
  ['answerReceived', 'offerer: answer received (via relay)'],
  ['answerApplied', 'offerer: answer applied'],
  ['firstCandidate', 'first local ICE candidate (either side)'],
  ['iceConnected', 'ICE connected on both'],
  ['connected', 'connectionState connected on both (DTLS)'],
];
