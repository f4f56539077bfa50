// Debian's Chromium through playwright-core (never a downloaded browser), and screenshots into test-results/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './build-renderer.js';

export const SCREENSHOT_DIR = join(REPO, 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Saves test-results/screenshots/<name>-<theme>.png of the whole viewport. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const theme = await page.evaluate(() => document.documentElement.dataset.theme ?? 'dark');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const file = join(SCREENSHOT_DIR, `${name}-${theme}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Switches the theme with the dashboard's Alt+T shortcut (works while a dialog covers the toggle button). */
export async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  const current = await page.evaluate(() => document.documentElement.dataset.theme ?? 'dark');
  if (current !== theme) await page.keyboard.press('Alt+KeyT');
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

/** Screenshots in both themes, leaving the page in dark. */
export async function shotBoth(page: Page, name: string): Promise<void> {
  await setTheme(page, 'dark');
  await shot(page, name);
  await setTheme(page, 'light');
  await shot(page, name);
  await setTheme(page, 'dark');
}

export const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/** Screenshots at 1280x720 and 1920x1080, dark and light: <name>-<w>x<h>-<theme>.png; leaves the page at 1280x720. */
export async function shotSizes(page: Page, name: string): Promise<void> {
  for (const size of [...SIZES].reverse()) {
    await page.setViewportSize(size);
    await shotBoth(page, `${name}-${size.width}x${size.height}`);
  }
}
