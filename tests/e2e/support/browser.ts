/**
 * Headless Debian Chromium through playwright-core, recording every request that leaves
 * localhost so a test can prove the app works offline.
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Launches Chromium the way CI runs it: headless, no sandbox (root), no background traffic. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.HANDSHAKE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RecordedPage {
  page: Page;
  context: BrowserContext;
  /** URLs of requests (including WebSockets) to any host other than localhost. */
  external: string[];
  /** Uncaught page errors, which should never happen. */
  errors: string[];
}

/** A fresh page (own storage) that records external requests and page errors. */
export async function openPage(
  browser: Browser,
  options: {
    colorScheme?: 'light' | 'dark';
    reducedMotion?: 'reduce' | 'no-preference';
    locale?: string;
    viewport?: { width: number; height: number };
  } = {},
): Promise<RecordedPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: options.reducedMotion ?? 'no-preference',
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const external: string[] = [];
  const errors: string[] = [];
  const record = (url: string) => {
    const { protocol, hostname } = new URL(url);
    if (!['data:', 'blob:', 'about:'].includes(protocol) && !LOCAL_HOSTS.has(hostname))
      external.push(url);
  };
  page.on('request', (request) => record(request.url()));
  page.on('websocket', (socket) => record(socket.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, context, external, errors };
}
