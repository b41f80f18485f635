import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ENVIRONMENT, parseConfig, usage } from './config.js';

describe('parseConfig', () => {
  it('needs nothing: port 8080 on 127.0.0.1, library defaults', () => {
    assert.deepEqual(parseConfig({}, []), {
      help: false,
      port: 8080,
      host: '127.0.0.1',
      metrics: null,
      tls: null,
      logLevel: 'info',
      options: {},
    });
    assert.deepEqual(parseConfig({ METRICS_PORT: '9464' }, []).metrics, { port: 9464, host: '127.0.0.1' });
    assert.throws(() => parseConfig({ METRICS_HOST: '0.0.0.0' }, []), /METRICS_HOST is set but METRICS_PORT is not/);
  });

  it('reads every variable', () => {
    const config = parseConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        ALLOWED_ORIGINS: 'https://shop.example.com, https://www.example.com',
        TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
        TURN_SECRET: 'coturn-secret',
        TURN_TTL: '600',
        ICE_SERVERS: 'stun:stun.example.com:3478',
        ROOM_CAPACITY: '3',
        TOKEN_SECRET: 'a-long-random-token-secret',
        MAX_PAYLOAD_BYTES: '200000',
        REJOIN_GRACE: '2.5',
        LOG_LEVEL: 'warn',
        METRICS_PORT: '9464',
        METRICS_HOST: '127.0.0.2',
        TLS_CERT: '/etc/ssl/relay.pem',
        TLS_KEY: '/etc/ssl/relay.key',
      },
      [],
    );
    assert.deepEqual(config, {
      help: false,
      port: 9000,
      host: '0.0.0.0',
      metrics: { port: 9464, host: '127.0.0.2' },
      tls: { certFile: '/etc/ssl/relay.pem', keyFile: '/etc/ssl/relay.key' },
      logLevel: 'warn',
      options: {
        allowedOrigins: ['https://shop.example.com', 'https://www.example.com'],
        turn: {
          urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
          secret: 'coturn-secret',
          ttlSeconds: 600,
        },
        iceServers: [{ urls: 'stun:stun.example.com:3478' }],
        roomCapacity: 3,
        tokenSecret: 'a-long-random-token-secret',
        maxPayloadBytes: 200000,
        rejoinGraceMs: 2500,
      },
    });
  });

  it('takes ICE_SERVERS as a JSON array too', () => {
    const value = JSON.stringify([{ urls: ['turn:turn.example.com'], username: 'u', credential: 'c' }]);
    assert.deepEqual(parseConfig({ ICE_SERVERS: value }, []).options.iceServers, [
      { urls: ['turn:turn.example.com'], username: 'u', credential: 'c' },
    ]);
  });

  it('lets flags win over the environment', () => {
    const config = parseConfig({ PORT: '9000', HOST: '0.0.0.0' }, ['--port', '0', '--host=::1']);
    assert.deepEqual([config.port, config.host], [0, '::1']);
  });

  it('treats empty variables as unset', () => {
    assert.deepEqual(parseConfig({ PORT: '', TURN_URLS: ' ', TURN_SECRET: '' }, []).options, {});
  });

  it('answers --help without looking at the environment', () => {
    assert.equal(parseConfig({ PORT: 'nonsense' }, ['--help']).help, true);
    assert.equal(parseConfig({}, ['-h']).help, true);
  });

  const bad: Array<[string, Record<string, string>, string[], RegExp]> = [
    ['--port abc', {}, ['--port', 'abc'], /^--port must be an integer from 0 to 65535, got "abc"$/],
    ['--port 70000', {}, ['--port', '70000'], /--port must be an integer/],
    ['--port without a value', {}, ['--port'], /--port needs a value/],
    ['--host followed by a flag', {}, ['--host', '--port'], /--host needs a value/],
    ['unknown flag', {}, ['--verbose'], /unknown option "--verbose"/],
    ['stray argument', {}, ['8080'], /unexpected argument "8080"/],
    ['PORT -1', { PORT: '-1' }, [], /PORT must be an integer/],
    ['ROOM_CAPACITY 0', { ROOM_CAPACITY: '0' }, [], /^ROOM_CAPACITY must be an integer from 2 to 1000, got "0"$/],
    ['ROOM_CAPACITY 2.5', { ROOM_CAPACITY: '2.5' }, [], /ROOM_CAPACITY must be an integer/],
    ['TURN_URLS without secret', { TURN_URLS: 'turn:turn.example.com' }, [], /TURN_URLS is set but TURN_SECRET is not/],
    ['TURN_SECRET without URLs', { TURN_SECRET: 'x' }, [], /TURN_SECRET is set but TURN_URLS is not/],
    ['TURN_URLS with http', { TURN_URLS: 'http://turn.example.com', TURN_SECRET: 'x' }, [], /TURN_URLS: "http:\/\/turn.example.com"/],
    [
      'TURN_TTL 0',
      { TURN_URLS: 'turn:turn.example.com', TURN_SECRET: 'x', TURN_TTL: '0' },
      [],
      /TURN_TTL must be an integer from 1 to 86400/,
    ],
    // Defect 10: credentials good for a year would outlive any call and any revocation.
    [
      'TURN_TTL over a day',
      { TURN_URLS: 'turn:turn.example.com', TURN_SECRET: 'x', TURN_TTL: '31536000' },
      [],
      /TURN_TTL must be an integer from 1 to 86400/,
    ],
    ['TURN_TTL without TURN', { TURN_TTL: '60' }, [], /TURN_TTL is set but TURN_URLS is not/],
    ['TOKEN_MAX_AGE without TOKEN_SECRET', { TOKEN_MAX_AGE: '3600' }, [], /TOKEN_MAX_AGE is set but TOKEN_SECRET is not/],
    [
      'TOKEN_MAX_AGE 0',
      { TOKEN_SECRET: 'a-long-secret-of-the-relay', TOKEN_MAX_AGE: '0' },
      [],
      /TOKEN_MAX_AGE must be an integer from 60 to 31536000/,
    ],
    [
      'ALLOWED_ORIGINS with a path',
      { ALLOWED_ORIGINS: 'https://shop.example.com/' },
      [],
      /ALLOWED_ORIGINS: "https:\/\/shop.example.com\/"/,
    ],
    ['ICE_SERVERS bad URL', { ICE_SERVERS: 'stun.example.com' }, [], /ICE_SERVERS: "stun.example.com"/],
    ['ICE_SERVERS bad JSON', { ICE_SERVERS: '[{' }, [], /ICE_SERVERS starts with "\[" but is not valid JSON/],
    ['ICE_SERVERS entry without urls', { ICE_SERVERS: '[{}]' }, [], /ICE_SERVERS\[0\]\.urls/],
    ['TOKEN_SECRET too short', { TOKEN_SECRET: 'short' }, [], /TOKEN_SECRET must be at least 16 characters/],
    ['MAX_PAYLOAD_BYTES too small', { MAX_PAYLOAD_BYTES: '10' }, [], /MAX_PAYLOAD_BYTES must be an integer/],
    ['REJOIN_GRACE negative', { REJOIN_GRACE: '-1' }, [], /REJOIN_GRACE must be a number of seconds/],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, [], /LOG_LEVEL must be one of/],
  ];
  for (const [label, env, argv, message] of bad) {
    it(`refuses ${label}`, () => {
      assert.throws(
        () => parseConfig(env, argv),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          assert.ok(!error.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }

  it('lists every variable and flag in --help', () => {
    const text = usage();
    for (const [name] of ENVIRONMENT) assert.match(text, new RegExp(`^  ${name} `, 'm'));
    for (const flag of ['--port', '--host', '--help']) assert.ok(text.includes(flag));
  });
});
