// The hardened coturn configuration the README gives (docs/turnserver.conf), run by the real
// coturn: every option is one it knows, and it takes every denied range (issue 22, defect 10).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnManaged } from '../../test/support/processes.mjs';
import { waitFor } from '../../test/support/wait.mjs';

const CONF = new URL('../../docs/turnserver.conf', import.meta.url);
const TURNSERVER = process.env.TURNSERVER_PATH ?? 'turnserver';

/** `name` or `name=value` lines, without comments. */
async function options(): Promise<Array<[string, string | undefined]>> {
  const text = await readFile(CONF, 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
    });
}

describe('docs/turnserver.conf (defect 10: the hardened coturn configuration)', () => {
  it('names only options coturn knows, and denies the metadata endpoint, private, link-local, CGNAT, ULA ranges and TCP relaying', async () => {
    // coturn lists its options in -h (and exits non-zero doing so).
    const help = await promisify(execFile)(TURNSERVER, ['-h']).then(
      ({ stdout, stderr }) => stdout + stderr,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    const all = await options();
    const unknown = all.map(([name]) => name).filter((name) => !new RegExp(`--${name}\\b`).test(help));
    assert.deepEqual(unknown, [], 'options coturn does not know');
    const names = new Set(all.map(([name]) => name));
    for (const required of ['use-auth-secret', 'no-tcp-relay', 'no-multicast-peers', 'no-cli', 'fingerprint']) {
      assert.ok(names.has(required), required);
    }
    const denied = all.filter(([name]) => name === 'denied-peer-ip').map(([, value]) => value!);
    for (const range of [
      '169.254.0.0-169.254.255.255',
      '100.64.0.0-100.127.255.255',
      '0.0.0.0-0.255.255.255',
      '10.0.0.0-10.255.255.255',
      'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]) {
      assert.ok(denied.includes(range), range);
    }
  });

  it('is taken by coturn as it is: it starts, and lists every denied range as blocked', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'turnserver-conf-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const [port, tlsPort] = [await freePort({ udp: true }), await freePort({ udp: true })];
    // On loopback, without TLS (the example's certificate does not exist here).
    const coturn = spawnManaged(
      TURNSERVER,
      [
        '-c',
        CONF.pathname,
        '--listening-ip=127.0.0.1',
        `--listening-port=${port}`,
        `--tls-listening-port=${tlsPort}`,
        '--no-tls',
        '--no-dtls',
        `--pidfile=${join(dir, 'pid')}`,
        `--userdb=${join(dir, 'db')}`,
      ],
      { name: 'turnserver (docs/turnserver.conf)', keepLines: 400 },
    );
    t.after(() => coturn.stop());
    await waitFor(() => coturn.output().includes('Total General servers') || !coturn.isRunning(), {
      timeout: 10_000,
      interval: 50,
      message: 'coturn to start with docs/turnserver.conf',
    });
    assert.ok(coturn.isRunning(), coturn.output());
    const output = coturn.output();
    assert.match(output, /--no-tcp-relay: TCP relay endpoints are not allowed/);
    const denied = (await options()).filter(([name]) => name === 'denied-peer-ip').map(([, value]) => value!);
    const blocked = denied.filter((range) => output.includes(`Black listing: ${range}`));
    assert.deepEqual(blocked, denied, 'coturn parsed every denied range');
  });
});
