import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createTurnCredentials } from './turn-credentials.js';

describe('createTurnCredentials', () => {
  const urls = ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp'];

  it("follows coturn's TURN REST API: <expiry>:<peer> and base64 HMAC-SHA1", () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0, 250);
    const { iceServer, expiresAt } = createTurnCredentials({ urls, secret: 's3cret', ttlSeconds: 600, peerId: 'peer-1234', now });
    const expiry = Math.floor(now / 1000) + 600;
    assert.equal(iceServer.username, `${expiry}:peer-1234`);
    assert.equal(iceServer.credential, createHmac('sha1', 's3cret').update(`${expiry}:peer-1234`).digest('base64'));
    assert.deepEqual(iceServer.urls, urls);
    assert.equal(expiresAt, expiry * 1000);
  });

  it('defaults to a one-hour lifetime from now', () => {
    const before = Date.now();
    const { expiresAt } = createTurnCredentials({ urls, secret: 's', peerId: 'peer-1234' });
    assert.ok(expiresAt >= Math.floor(before / 1000) * 1000 + 3600_000);
    assert.ok(expiresAt <= Date.now() + 3600_000);
  });

  it('does not share the caller’s URL array', () => {
    const { iceServer } = createTurnCredentials({ urls, secret: 's', peerId: 'peer-1234' });
    assert.notEqual(iceServer.urls, urls);
  });
});
