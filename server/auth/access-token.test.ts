import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createAccessToken, verifyAccessToken } from './access-token.js';

const SECRET = 'a-long-random-token-secret';

describe('access tokens', () => {
  it('mints an HS256 JWT with the room and an expiry', async () => {
    const token = await createAccessToken({ secret: SECRET, room: 'support-4711', ttlSeconds: 120 });
    assert.equal(decodeProtectedHeader(token).alg, 'HS256');
    const claims = decodeJwt(token);
    assert.equal(claims.room, 'support-4711');
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(claims.exp! - (now + 120)) <= 2);
  });

  it('verifies only for the same room and secret', async () => {
    const token = await createAccessToken({ secret: SECRET, room: 'support-4711' });
    assert.equal(await verifyAccessToken(token, 'support-4711', SECRET), true);
    assert.equal(await verifyAccessToken(token, 'support-4712', SECRET), false);
    assert.equal(await verifyAccessToken(token, 'support-4711', 'another-long-secret-value'), false);
    assert.equal(await verifyAccessToken('garbage', 'support-4711', SECRET), false);
    assert.equal(await verifyAccessToken(`${token}x`, 'support-4711', SECRET), false);
  });

  it('refuses a token valid for longer than the maximum age ahead, a day by default (defect 8)', async () => {
    const century = await createAccessToken({ secret: SECRET, room: 'support-4711', ttlSeconds: 100 * 365 * 86_400 });
    assert.equal(await verifyAccessToken(century, 'support-4711', SECRET), false);
    const day = await createAccessToken({ secret: SECRET, room: 'support-4711', ttlSeconds: 86_400 });
    assert.equal(await verifyAccessToken(day, 'support-4711', SECRET), true);
    const week = await createAccessToken({ secret: SECRET, room: 'support-4711', ttlSeconds: 7 * 86_400 });
    assert.equal(await verifyAccessToken(week, 'support-4711', SECRET), false);
    assert.equal(await verifyAccessToken(week, 'support-4711', SECRET, 7 * 86_400), true);
    assert.equal(await verifyAccessToken(day, 'support-4711', SECRET, 3600), false);
  });

  it('refuses a short secret and a non-positive lifetime', async () => {
    await assert.rejects(createAccessToken({ secret: 'short', room: 'r' }), /at least 16/);
    await assert.rejects(createAccessToken({ secret: SECRET, room: 'r', ttlSeconds: 0 }), /ttlSeconds/);
  });

  it("accepts a token minted by the README's plain-Node snippet", async () => {
    // Kept identical to the README ("Access tokens").
    function mintToken(secret: string, room: string, ttlSeconds = 600): string {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const data = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ room, iat: now, exp: now + ttlSeconds })}`;
      return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
    }
    assert.equal(await verifyAccessToken(mintToken(SECRET, 'support-4711'), 'support-4711', SECRET), true);
    assert.equal(await verifyAccessToken(mintToken(SECRET, 'support-4711', -60), 'support-4711', SECRET), false);
  });
});
