#!/usr/bin/env node
// Makes docs/call-with-device-menu.png: the relay CLI on a free loopback port, its demo page in
// two Chromium windows joined to one room, and the first one's device menu opened. Run inside
// the loopback-only namespace: `npm run screenshot` (after `npm run build`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { assertLoopbackOnly, launchOptions, openWindow } from '../test/support/browsers.mjs';

assertLoopbackOnly('screenshot');
const out = fileURLToPath(new URL('../docs/call-with-device-menu.png', import.meta.url));
const probe = createServer().listen(0, '127.0.0.1');
await once(probe, 'listening');
const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
probe.close();
const relay = spawn(process.execPath, ['lib/server/cli.js', '--port', String(port), '--host', '127.0.0.1'], {
  env: { ...process.env, LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const browser = await puppeteer.launch(launchOptions('chromium'));
try {
  for (let i = 0; i < 50 && !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the relay is starting: poll /healthz, bounded
  }
  const room = `shot-${Date.now().toString(36)}`;
  const pages = [];
  for (const name of ['Ada Lovelace', 'Grace Hopper']) {
    const page = await openWindow(browser);
    await page.setViewport({ width: 900, height: 760 });
    await page.goto(`http://127.0.0.1:${port}/?room=${room}&name=${encodeURIComponent(name)}&autostart`);
    pages.push(page);
    await page.waitForFunction(() => ['waiting', 'connected'].includes(document.querySelector('p2p-video-call')?.state ?? ''), { timeout: 15_000 });
  }
  const [page] = pages;
  await page.waitForFunction(() => document.querySelector('p2p-video-call')?.quality, { timeout: 15_000 });
  await page.evaluate(() => {
    const el = document.querySelector('p2p-video-call');
    el.shadowRoot.querySelector('[part~="settings-button"]').click();
  });
  await page.waitForFunction(() => !document.querySelector('p2p-video-call').shadowRoot.querySelector('[part~="device-menu"]').hidden);
  const element = await page.$('p2p-video-call');
  await element.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  relay.kill();
}
