// The package as a user gets it: `npm pack`, installed (`npm ci --offline`, from the npm cache
// the repository's own install filled) into a fresh project outside the repository, then
// type-checked (TypeScript strict, the package's .d.ts files included) and bundled (esbuild):
// a page that imports the element, one that uses the React wrapper, and <p2p-video-call> in
// React 19, Preact and Solid JSX and in a Vue template (vue-tsc) with the generated types. In
// each, a file with wrong props or a wrong event detail must fail, on exactly those lines.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { closeBrowser, launchBrowser, openPage, startRelayProcess } from './harness.js';
import { waitFor } from '../support/wait.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let consumer: string;

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** Where Node would find `name` from the package at `from` in a lockfile's tree. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

/**
 * A lockfile for the consumer, taken from the repository's: the same versions and integrity
 * hashes, so `npm ci --offline` finds every tarball in the cache without asking a registry.
 */
function consumerLock(
  registry: string,
  repoLock: { packages: Record<string, LockEntry> },
  manifest: { dependencies: Record<string, string>; devDependencies: Record<string, string> },
  tarball: { entry: LockEntry },
) {
  const source: Record<string, LockEntry> = { ...repoLock.packages, 'node_modules/p2p-video-call': tarball.entry };
  const packages: Record<string, LockEntry> = {};
  const dev = new Set(Object.keys(manifest.devDependencies));
  const visit = (path: string, isDev: boolean) => {
    if (packages[path] && !(packages[path].dev && !isDev)) return;
    const { dev: _dev, devOptional: _devOptional, ...entry } = source[path];
    // The tarball's address, as npm writes it: with it npm takes the tarball from its cache
    // by integrity instead of asking the registry for the package's metadata.
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved ??= `${registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    packages[path] = isDev ? { ...entry, dev: true } : entry;
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !entry.peerDependenciesMeta?.[n]?.optional),
    ];
    for (const name of names) {
      const found = resolveIn(source, path, name);
      if (found) visit(found, isDev);
      else assert.ok(entry.optionalDependencies?.[name], `${path} needs ${name}, which the repository's lockfile lacks`);
    }
  };
  for (const name of [...Object.keys(manifest.dependencies), ...dev]) visit(`node_modules/${name}`, dev.has(name));
  return {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'consumer', ...manifest }, ...packages },
  };
}

/** A strict tsconfig over `files`, with JSX from `jsx` (`react`, `preact`, `solid-js`). */
const tsconfig = (files: string[], jsx = 'react') =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      jsx: jsx === 'solid-js' ? 'preserve' : 'react-jsx',
      jsxImportSource: jsx,
      resolveJsonModule: true,
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: [],
      noEmit: true,
      skipLibCheck: false,
    },
    files,
  });

/** What each framework's checker is given: files that must pass, and one whose "error" lines must fail. */
const FRAMEWORKS = {
  react: {
    ok: {
      'page.ts': `
import 'p2p-video-call';
import { P2PVideoCall, type CallErrorCode, type StringsOverride } from 'p2p-video-call';

const call = document.createElement('p2p-video-call');
call.room = 'support-4711';
call.lang = 'de';
const strings: StringsOverride = { hangUp: 'Leave', status: { waiting: 'Your doctor will join you shortly.' } };
call.strings = strings;
call.addEventListener('call-error', (e) => {
  const code: CallErrorCode = e.detail.code;
  console.warn(code, e.detail.message);
});
call.addEventListener('call-connected', (e) => console.log(e.detail.peerId));
document.body.append(call);
console.log(call instanceof P2PVideoCall, call.state);
`,
      'wrapper.tsx': `
import { createRoot } from 'react-dom/client';
import { P2PVideoCall } from 'p2p-video-call/react';

function App() {
  return (
    <P2PVideoCall
      room="support-4711"
      signaling="https://relay.example.com"
      lang="fr"
      muted
      strings={{ hangUp: 'Quitter' }}
      onCallConnected={(e) => console.log(e.detail.peerId)}
      onCallError={(e) => console.warn(e.detail.code)}
      onQualityChange={(e) => console.log(e.detail.level)}
    />
  );
}
createRoot(document.getElementById('app')!).render(<App />);
`,
      'react-call.tsx': `
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { P2PVideoCall } from 'p2p-video-call/react';
import { registerLanguage } from 'p2p-video-call';
import de from 'p2p-video-call/lang/de.json';
import ja from 'p2p-video-call/lang/ja.json';

// In a bundle, the tables come from the package rather than from next to the script.
registerLanguage('de', de);
registerLanguage('ja', ja);

// Two visitors in one page, as React renders them; what their props report goes to window.reactLog.
const params = new URLSearchParams(location.search);
const log: string[] = [];
Object.assign(window, { reactLog: log });
function App() {
  const [lang, setLang] = useState('de');
  Object.assign(window, { setLang });
  return (
    <>
      {['Ada', 'Grace'].map((name) => (
        <P2PVideoCall
          key={name}
          name={name}
          room={params.get('room')!}
          signaling={params.get('relay')!}
          lang={lang}
          strings={{ hangUp: 'Tschüss' }}
          onCallStateChange={(e) => log.push(\`\${name} \${e.detail.state}\`)}
          onCallConnected={(e) => log.push(\`\${name} connected \${typeof e.detail.peerId}\`)}
        />
      ))}
    </>
  );
}
createRoot(document.getElementById('app')!).render(<App />);
`,
      'jsx.tsx': `
import type {} from 'p2p-video-call/types/react';
import 'p2p-video-call';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('app')!).render(
  <p2p-video-call room="support-4711" lang="ja" camera-off oncall-connected={(e) => console.log(e.detail.peerId)} />,
);
`,
    },
    wrong: {
      'wrong-react.tsx': `
import type {} from 'p2p-video-call/types/react';
import { P2PVideoCall } from 'p2p-video-call/react';

export const a = <P2PVideoCall room={42} />; // error
export const b = <P2PVideoCall onCallError={(e) => e.detail.nope} />; // error
export const c = <p2p-video-call muted="yes" />; // error
export const d = <p2p-video-call oncall-error={(e) => e.detail.peerId} />; // error
export const e = <P2PVideoCall strings={{ hangUp: 1 }} />; // error
`,
    },
  },
  preact: {
    ok: {
      'preact.tsx': `
import type {} from 'p2p-video-call/types/preact';
import 'p2p-video-call';
import { render } from 'preact';

render(<p2p-video-call room="support-4711" lang="pl" muted oncall-error={(e) => console.warn(e.detail.code)} />, document.body);
`,
    },
    wrong: {
      'wrong-preact.tsx': `
import type {} from 'p2p-video-call/types/preact';

export const a = <p2p-video-call room={42} />; // error
export const b = <p2p-video-call oncall-connected={(e) => e.detail.code} />; // error
`,
    },
  },
  'solid-js': {
    ok: {
      'solid.tsx': `
import type {} from 'p2p-video-call/types/solid';
import 'p2p-video-call';
import { render } from 'solid-js/web';

render(() => <p2p-video-call room="support-4711" lang="nl" prop:strings={{ hangUp: 'Ophangen' }} on:call-connected={(e) => console.log(e.detail.peerId)} />, document.body);
`,
    },
    wrong: {
      'wrong-solid.tsx': `
import type {} from 'p2p-video-call/types/solid';

export const a = <p2p-video-call room={42} />; // error
export const b = <p2p-video-call on:call-error={(e) => e.detail.peerId} />; // error
`,
    },
  },
  vue: {
    ok: {
      'App.vue': `<script setup lang="ts">
import type {} from 'p2p-video-call/types/vue';
import 'p2p-video-call';
import type { CallConnectedEvent } from 'p2p-video-call';
const connected = (e: CallConnectedEvent) => console.log(e.detail.peerId);
</script>
<template>
  <p2p-video-call room="support-4711" lang="it" :muted="true" :strings="{ hangUp: 'Riaggancia' }" @call-connected="connected" />
</template>
`,
    },
    wrong: {
      'Wrong.vue': `<script setup lang="ts">
import type {} from 'p2p-video-call/types/vue';
import type { CallConnectedEvent } from 'p2p-video-call';
</script>
<template>
  <p2p-video-call :room="42" />
  <p2p-video-call :muted="'yes'" />
  <p2p-video-call @call-error="(e: CallConnectedEvent) => e.detail.peerId" />
</template>
`,
    },
  },
} satisfies Record<string, { ok: Record<string, string>; wrong: Record<string, string> }>;
type Framework = keyof typeof FRAMEWORKS;

/** Errors of the framework's checker (`tsc`, or `vue-tsc` for Vue) over its files, as `file(line)`. */
async function check(framework: Framework, which: 'ok' | 'wrong'): Promise<{ errors: string[]; output: string }> {
  const config = `tsconfig.${framework}.${which}.json`;
  const bin = join(consumer, 'node_modules/.bin', framework === 'vue' ? 'vue-tsc' : 'tsc');
  const result = await run(bin, ['-p', config], { cwd: consumer }).catch((e: { stdout: string }) => e);
  const output = String(result.stdout);
  return { errors: [...output.matchAll(/^([\w.-]+)\((\d+),\d+\): error/gm)].map((m) => `${m[1]}(${m[2]})`), output };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-video-call-package-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const tgz = await readFile(join(dir, filename));
  const own = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as Pick<
    LockEntry,
    'version' | 'dependencies' | 'peerDependencies' | 'peerDependenciesMeta'
  >;
  const versionOf = async (name: string) =>
    (JSON.parse(await readFile(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = {
    dependencies: {
      'p2p-video-call': `file:../${filename}`,
      react: await versionOf('react'),
      'react-dom': await versionOf('react-dom'),
    },
    devDependencies: Object.fromEntries(
      await Promise.all(
        ['@types/react', '@types/react-dom', 'esbuild', 'preact', 'solid-js', 'typescript', 'vue', 'vue-tsc'].map(
          async (n): Promise<[string, string]> => [n, await versionOf(n)],
        ),
      ),
    ),
  };
  const entry: LockEntry = {
    version: own.version,
    resolved: `file:../${filename}`,
    integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
    dependencies: own.dependencies,
    peerDependencies: own.peerDependencies,
    peerDependenciesMeta: own.peerDependenciesMeta,
  };
  const repoLock = JSON.parse(await readFile(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  consumer = join(dir, 'consumer');
  await run('mkdir', [consumer]);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', ...manifest }));
  const registry = (await run('npm', ['config', 'get', 'registry'], { cwd: repo })).stdout.trim().replace(/\/?$/, '/');
  await writeFile(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(registry, repoLock, manifest, { entry })));
  for (const [framework, { ok, wrong }] of Object.entries(FRAMEWORKS)) {
    for (const [which, files] of Object.entries({ ok, wrong })) {
      for (const [file, text] of Object.entries(files)) await writeFile(join(consumer, file), text);
      const names = Object.keys(files);
      const config =
        framework === 'vue'
          ? JSON.stringify({ ...JSON.parse(tsconfig([])), files: undefined, include: names, vueCompilerOptions: { strictTemplates: true } })
          : tsconfig(names, framework);
      await writeFile(join(consumer, `tsconfig.${framework}.${which}.json`), config);
    }
  }
  await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: consumer, timeout: 120_000 });
});

after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('the packed package in a fresh project', () => {
  for (const framework of Object.keys(FRAMEWORKS) as Framework[]) {
    it(`type-checks, strict, <p2p-video-call> in ${framework}${framework === 'react' ? ' (plain import, the wrapper, JSX)' : ''}`, async () => {
      const { errors, output } = await check(framework, 'ok');
      assert.deepEqual(errors, [], output);
      assert.doesNotMatch(output, /error/i, output);
    });

    it(`refuses wrong props and event details in ${framework}, line by line`, async () => {
      const [[file, text]] = Object.entries(FRAMEWORKS[framework].wrong) as [[string, string]];
      const expected = text
        .split('\n')
        .flatMap((line, i) =>
          line.endsWith('// error') || (file.endsWith('.vue') && line.startsWith('  <p2p-video-call')) ? [`${file}(${i + 1})`] : [],
        );
      const { errors, output } = await check(framework, 'wrong');
      assert.deepEqual([...new Set(errors)], expected, output);
    });
  }

  it('bundles each page (esbuild), the element and its relay client inside', async () => {
    for (const [entry, framework] of [
      ['page.ts', 'react'],
      ['wrapper.tsx', 'react'],
      ['jsx.tsx', 'react'],
      ['preact.tsx', 'preact'],
    ]) {
      const out = join(dir, `${entry}.js`);
      const args = [entry, '--bundle', '--format=esm', '--minify', `--tsconfig=tsconfig.${framework}.ok.json`, `--outfile=${out}`];
      await run(join(consumer, 'node_modules/.bin/esbuild'), args, { cwd: consumer });
      const code = await readFile(out, 'utf8');
      assert.match(code, /customElements\.define\("p2p-video-call"/, entry);
      assert.match(code, /socket\.io/, entry);
    }
  });

  it('runs the React wrapper in Chromium: props set as properties, on… props get the events, a call connects', async () => {
    const app = join(dir, 'react-call.js');
    const args = [
      'react-call.tsx',
      '--bundle',
      '--format=esm',
      '--minify',
      '--define:process.env.NODE_ENV="production"',
      '--tsconfig=tsconfig.react.ok.json',
      `--outfile=${app}`,
    ];
    await run(join(consumer, 'node_modules/.bin/esbuild'), args, { cwd: consumer });
    const relay = await startRelayProcess();
    const site = createServer((request, response) => {
      const script = request.url === '/app.js';
      response.writeHead(200, { 'Content-Type': script ? 'text/javascript' : 'text/html; charset=utf-8' });
      const page = '<!doctype html><div id="app"></div><script type="module" src="/app.js"></script>';
      // A bundle that cannot be read fails the page load, and so the test, visibly.
      (script ? readFile(app) : Promise.resolve(page)).then(
        (body) => response.end(body),
        (error: unknown) => response.destroy(error as Error),
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const browser = await launchBrowser('chromium');
    try {
      const room = `react-${Date.now().toString(36)}`;
      const page = await openPage(
        browser,
        `http://127.0.0.1:${(site.address() as AddressInfo).port}/?room=${room}&relay=${encodeURIComponent(relay.url)}`,
      );
      const log = () => page.evaluate(() => (window as unknown as { reactLog: string[] }).reactLog ?? []);
      await waitFor(async () => (await log()).filter((l) => l.endsWith('connected string')).length === 2, {
        timeout: 20_000,
        message: 'both connected',
      });
      assert.ok((await log()).includes('Ada joining'), (await log()).join(', '));
      const texts = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('p2p-video-call')].map((el) => [
            el.shadowRoot!.querySelector('[part="hangup-button"]')!.textContent.trim(),
            el.shadowRoot!.querySelector('[part="status"]')!.textContent.trim(),
          ]),
        );
      await waitFor(async () => (await texts()).every(([, status]) => status.startsWith('Verbunden mit')), {
        timeout: 5000,
        message: 'German statuses',
      });
      assert.deepEqual(
        (await texts()).map(([hangUp]) => hangUp),
        ['Tschüss', 'Tschüss'],
      );
      // A prop change reaches the elements: the language switches.
      await page.evaluate(() => (window as unknown as { setLang: (l: string) => void }).setLang('ja'));
      await waitFor(async () => (await texts()).every(([, status]) => status.endsWith('と通話中です。')), {
        timeout: 5000,
        message: 'Japanese statuses',
      });
    } finally {
      await closeBrowser(browser);
      site.closeAllConnections();
      site.close();
      await relay.stop();
    }
  });

  it('declares every package its published modules import', async () => {
    const installed = join(consumer, 'node_modules/p2p-video-call');
    const own = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const declared = new Set([...Object.keys(own.dependencies), ...Object.keys(own.peerDependencies ?? {})]);
    const { stdout } = await run('grep', ['-rhoE', `from ['"][^./'"][^'"]*['"]`, join(installed, 'lib'), '--include=*.js']);
    const imported = new Set(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((m) => m.slice(6, -1))
        .filter((s) => !s.startsWith('node:') && !s.startsWith('p2p-video-call')) // (its own name: in doc comments)
        .map((s) =>
          s
            .split('/')
            .slice(0, s.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    );
    for (const name of imported) assert.ok(declared.has(name), `${name} is imported but not a dependency`);
  });
});
