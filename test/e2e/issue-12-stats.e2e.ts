// Issue 12 #13 and #3 in Chromium against the real headless app running the demo: the Statistics screen with
// per-follower numbers, the day P&L history from the journal surviving a reload and a restart of the app, and leaving
// the demo from the UI behind a confirmation (the empty workspace stays empty after a restart).
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDayBoundary, tradingDayOf } from '../../core/domain/trading-day.js';
import { shotSizes } from './support/browser.js';
import { openDemo } from './support/demo-session.js';
import { removeDataDir, startApp, type AppProcess } from './support/server.js';

const SLOW = { timeout: 90_000, interval: 250 };
/** The demo's accounts are sim accounts: their trading day is the futures one (it rolls at 17:00 New York). */
const SIM_DAY = tradingDayBoundary('sim');
const DAY_MS = 86_400_000;
let app: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ app, browser, page } = await openDemo());
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (app) removeDataDir(app.dataDir);
});

async function goStats(): Promise<void> {
  await page.getByTestId('nav-stats').click();
  await page.waitForFunction(() => location.hash.startsWith('#/stats'));
}

const days = () => page.getByTestId('day-pnl-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-day') ?? ''));
const copiesOf = async (account: string) =>
  Number(((await page.locator(`[data-testid="follower-stats-row"][data-account="${account}"] [data-testid="stat-copies"]`).textContent()) ?? '0').replace(/,/g, ''));

/** Past trading days of the demo's first follower, written into the stopped app's journal (one row per day). */
function seedPastDays(dataDir: string, count: number): string[] {
  const db = new BetterSqlite3(join(dataDir, 'journal.sqlite'));
  const insert = db.prepare(
    `INSERT INTO day_pnl (account_id, trading_day, day_start, day_end, day_pnl, equity, start_equity, currency, first_at, updated_at)
     VALUES ('demo-mirror', ?, ?, ?, ?, ?, NULL, 'USD', ?, ?)`,
  );
  const out: string[] = [];
  for (let k = count; k >= 1; k--) {
    const day = tradingDayOf(Date.now() - k * DAY_MS, SIM_DAY);
    const pnl = (k % 2 === 0 ? -1 : 1) * (120 + k * 37.5);
    insert.run(day.date, day.startMs, day.endMs, pnl.toFixed(2), (100_000 + pnl).toFixed(2), day.endMs - 1, day.endMs - 1);
    out.push(day.date);
  }
  db.close();
  return out;
}

describe('issue 12: statistics and leaving the demo', () => {
  it('issue 12 #13: the Statistics screen shows copies, P&L, win rate, latency and slippage per follower', async () => {
    await goStats();
    await expect.poll(() => page.getByTestId('follower-stats-row').count(), SLOW).toBe(3);
    await expect.poll(() => copiesOf('demo-mirror'), SLOW).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('[data-account="demo-mirror"] [data-testid="stat-ack"]').textContent()) ?? '', SLOW).toMatch(/\d ms$/);
    const headers = await page.getByTestId('follower-stats').locator('th').allTextContents();
    expect(headers).toEqual(['Follower', 'Copies', 'Filled', 'Failures', 'Realized P&L', 'Win rate', 'To sent', 'To ack', 'Slippage']);
    await expect.poll(days, SLOW).toEqual([tradingDayOf(Date.now(), SIM_DAY).date]);
    await shotSizes(page, 'issue12-13-stats');
  });

  it('issue 12 #13: the day P&L history comes from the journal: it survives a reload and a restart of the app', async () => {
    const today = tradingDayOf(Date.now(), SIM_DAY).date;
    await page.reload();
    await page.getByTestId('day-pnl-table').waitFor();
    await expect.poll(days, SLOW).toEqual([today]);

    const dataDir = app.dataDir;
    await page.close();
    await app.stop();
    const seeded = seedPastDays(dataDir, 6);
    app = await startApp({ dataDir });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    await page.goto(app.url);
    await goStats();
    // Newest first in the table (the last seven days); the chart holds every day of the range.
    await expect.poll(days, SLOW).toEqual([today, ...seeded.slice(-6).reverse()]);
    await expect.poll(() => page.getByTestId('day-pnl-chart').getAttribute('data-days'), SLOW).toBe('7');
    await shotSizes(page, 'issue12-13-day-pnl-after-restart');
  });

  it('issue 12 #3: a button leaves the demo after a confirmation that says what happens; a restart keeps the workspace empty', async () => {
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('leave-demo').click();
    const dialog = page.getByRole('dialog', { name: 'Leave the demo workspace?' });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('stops the demo bot');
    expect(text).toContain('the workspace becomes empty');
    expect(text).toContain('after a restart');
    await shotSizes(page, 'issue12-3-leave-demo-confirm');
    await dialog.getByTestId('leave-demo-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('demo-tools').count(), 'cancel keeps the demo').toBe(1);

    await page.getByTestId('leave-demo').click();
    await dialog.getByTestId('leave-demo-confirm').click();
    await page.getByTestId('start-demo').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-tools').count()).toBe(0);
    await shotSizes(page, 'issue12-3-demo-left');

    const dataDir = app.dataDir;
    await app.stop();
    app = await startApp({ dataDir });
    await page.goto(app.url);
    await page.getByTestId('start-demo').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-tools').count(), 'the demo does not come back after a restart').toBe(0);
  });
});
