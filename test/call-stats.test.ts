// Pure logic of CallStatsMonitor: how figures become a quality level (the thresholds of QUALITY).
// The monitor on a real connection is covered by controls.test.ts and recovery.test.ts.
import { expect } from '@open-wc/testing';
import { deriveQuality, QUALITY, type StatsSample } from '../src/media/call-stats.js';

const sample = (at: number, figures: Partial<StatsSample> = {}): StatsSample => ({
  at,
  bytesSent: 0,
  bytesReceived: 0,
  packetsReceived: 0,
  packetsLost: 0,
  heard: 0,
  pairId: 'pair',
  rttMs: 20,
  frameWidth: 640,
  frameHeight: 360,
  framesPerSecond: 30,
  outKbps: null,
  path: 'direct',
  protocol: 'udp',
  ...figures,
});

describe('deriveQuality', () => {
  it('is good with little loss and a short round trip, with rates over the window', () => {
    const q = deriveQuality(sample(0), sample(2000, { bytesReceived: 250_000, bytesSent: 125_000, packetsReceived: 1000 }), 2000);
    expect(q).to.deep.equal({
      level: 'good',
      reason: null,
      path: 'direct',
      protocol: 'udp',
      rttMs: 20,
      packetLoss: 0,
      sendKbps: 500,
      receiveKbps: 1000,
      frameWidth: 640,
      frameHeight: 360,
      framesPerSecond: 30,
    });
  });

  it('is fair, then poor, as loss or round trip passes each threshold', () => {
    const level = (lost: number, rttMs: number) =>
      deriveQuality(sample(0), sample(2000, { packetsReceived: 1000 - lost, packetsLost: lost, rttMs }), 2000).level;
    expect(level(29, 20)).to.equal('good');
    expect(level(QUALITY.fair.loss * 1000, 20)).to.equal('fair');
    expect(level(QUALITY.poor.loss * 1000, 20)).to.equal('poor');
    expect(level(0, QUALITY.fair.rttMs - 1)).to.equal('good');
    expect(level(0, QUALITY.fair.rttMs)).to.equal('fair');
    expect(level(0, QUALITY.poor.rttMs)).to.equal('poor');
  });

  it('says why it is not good: packet loss first, then round trip, then the bandwidth estimate', () => {
    const quality = (figures: Partial<StatsSample>) =>
      deriveQuality(sample(0, { packetsReceived: 1 }), sample(2000, { packetsReceived: 1000, ...figures }), 2000);
    expect(quality({}).reason).to.equal(null);
    expect(quality({ packetsReceived: 900, packetsLost: 100, rttMs: 600 })).to.include({ level: 'poor', reason: 'packet-loss' });
    expect(quality({ rttMs: QUALITY.fair.rttMs })).to.include({ level: 'fair', reason: 'rtt' });
    expect(quality({ outKbps: QUALITY.fairBelowKbps - 1 })).to.include({ level: 'fair', reason: 'bandwidth' });
    expect(quality({ outKbps: QUALITY.fairBelowKbps })).to.include({ level: 'good', reason: null });
    expect(quality({ path: 'relay', protocol: 'tcp' })).to.include({ path: 'relay', protocol: 'tcp' });
  });

  it('is lost with reason no-media when no media packet came in the window though the path still answers, or nothing at all', () => {
    const before = sample(0, { packetsReceived: 500 });
    expect(deriveQuality(before, sample(2000, { packetsReceived: 500 }), 2000)).to.include({ level: 'lost', reason: 'no-media' });
    expect(deriveQuality(before, sample(2000, { packetsReceived: 501 }), 2000)).to.include({ level: 'good', reason: null });
    expect(deriveQuality(before, sample(QUALITY.lostAfterMs, { packetsReceived: 500 }), 0)).to.include({
      level: 'lost',
      reason: 'no-media',
    });
  });

  it('is lost after lostAfterMs without a byte, even when the timer ran a few ms early', () => {
    const heardAt = 1000;
    const at = (ms: number) => deriveQuality(sample(heardAt), sample(ms), heardAt).level;
    expect(at(heardAt + QUALITY.lostAfterMs - 1000)).to.equal('good');
    expect(at(heardAt + 3 * 999)).to.equal('lost');
    expect(at(heardAt + QUALITY.lostAfterMs)).to.equal('lost');
  });
});
