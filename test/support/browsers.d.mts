import type { Browser, LaunchOptions, Page } from 'puppeteer-core';

export type BrowserKind = 'chromium' | 'firefox';
/** `$CHROME_PATH` or `/usr/lib/chromium/chromium`. */
export function chromiumPath(): string;
/** `$FIREFOX_PATH` or `/usr/bin/firefox-esr`. */
export function firefoxPath(): string;
export const CHROMIUM_ARGS: readonly string[];
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>>;
export function browserEnv(): NodeJS.ProcessEnv;
export function launchOptions(kind: BrowserKind): LaunchOptions;
export function openWindow(browser: Browser): Promise<Page>;
export function assertLoopbackOnly(what: string): void;
