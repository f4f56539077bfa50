// The dashboard end to end in Debian's Chromium against the real headless app and bridge, from an empty data dir:
// demo -> copies; wizard follower; sizing change; breaker trip by a burst of leader trades; kill switch + flatten; reload.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dec } from '../../core/domain/decimal.js';
import { launchChromium, shotBoth } from './support/browser.js';
import { addSimFollower, globalState, go, positions } from './support/pages.js';
import { removeDataDir, startApp, type AppProcess } from './support/server.js';

const FOLLOWER = 'e2e-follower';
const LOOP = 'e2e-loop';
const LEADER = 'demo-leader';
const DEMO_FOLLOWERS = ['demo-mirror', 'demo-half', 'demo-es'];
const SLOW = { timeout: 60_000, interval: 250 };

let app: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (app) removeDataDir(app.dataDir);
});

const copyRows = (follower?: string) => page.locator(follower ? `[data-testid="copy-row"][data-follower="${follower}"]` : '[data-testid="copy-row"]');

describe('dashboard against the headless bridge', () => {
  it('first run guides to the demo, and the demo copies', async () => {
    await page.goto(app.url);
    await page.getByTestId('link-state').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId('start-demo').waitFor();
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await shotBoth(page, 'first-run');
    await go(page, 'activity');
    await shotBoth(page, 'first-run-activity');
    await go(page, 'overview');

    await page.getByTestId('start-demo').click();
    await page.getByTestId('overview-state').waitFor();
    await go(page, 'activity');
    await expect.poll(() => copyRows().count(), SLOW).toBeGreaterThan(0);
    expect(Number(await page.locator('[role="table"][aria-label="Copies"]').getAttribute('data-total'))).toBeGreaterThan(0);
  });

  it('adds a simulated follower through the wizard', async () => {
    const tested = await addSimFollower(page, { label: 'E2E follower', id: FOLLOWER, leader: LEADER, sizing: { mode: 'multiplier', value: '1' } });
    expect(tested).toMatch(/^Connected/);
    const row = page.getByTestId(`account-${FOLLOWER}`);
    await row.waitFor();
    await expect.poll(() => row.locator('.conn').textContent(), SLOW).toContain('connected');
    expect(await row.locator('.tag-role-follower').textContent()).toBe('follower');
  });

  it('rejects invalid sizing inline, then sizes the next copies by the new multiplier', async () => {
    await go(page, 'settings');
    await page.getByTestId('settings-follower').selectOption(FOLLOWER);
    const value = page.getByTestId('sizing-value');
    await value.fill('abc');
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toContain('nothing was sent');
    expect(await page.getByTestId('save-settings').isDisabled()).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'decimal' }).count()).toBeGreaterThan(0);
    await shotBoth(page, 'settings-invalid');
    await value.fill('0');
    await expect.poll(() => page.getByText('must not be 0').count()).toBeGreaterThan(0);

    await value.fill('3');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => page.getByTestId('settings-status').textContent(), SLOW).toBe('Saved');
    await shotBoth(page, 'settings');

    // Position mirroring: once the next copy settles, the follower holds 3x the leader in every symbol.
    await go(page, 'accounts');
    await expect
      .poll(async () => {
        const leader = await positions(page, LEADER);
        const follower = await positions(page, FOLLOWER);
        const held = Object.entries(leader).filter(([, q]) => !dec(q).isZero());
        return held.length > 0 && held.every(([s, q]) => follower[s] !== undefined && dec(follower[s]).eq(dec(q).mul(3))) && Object.keys(follower).length === held.length;
      }, { timeout: 90_000, interval: 200 })
      .toBe(true);
    await shotBoth(page, 'accounts');
  });

  it('shows every screen', async () => {
    await go(page, 'overview');
    await expect.poll(() => page.getByTestId('stat-copies').textContent(), SLOW).not.toBe('0');
    await shotBoth(page, 'overview');
    await go(page, 'activity');
    await copyRows().first().waitFor();
    await shotBoth(page, 'activity');
    await copyRows().first().click();
    await page.getByTestId('copy-drawer').getByText('Broker messages').waitFor();
    await shotBoth(page, 'activity-drawer');
    await page.getByRole('button', { name: 'Close detail' }).click();
    await page.getByTestId('filter-follower').selectOption(FOLLOWER);
    await expect.poll(async () => new Set(await copyRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-follower')))).size, SLOW).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('intent_id');
    expect(csv).toContain(FOLLOWER);
    expect(csv).not.toContain('demo-mirror');
    await page.getByTestId('filter-follower').selectOption('');
    await go(page, 'charts');
    await page.getByTestId('latency-chart').locator('canvas').first().waitFor();
    await expect.poll(async () => Number(await page.getByTestId('latency-stats').getAttribute('data-samples')), SLOW).toBeGreaterThan(0);
    await shotBoth(page, 'charts');
    await go(page, 'alerts');
    await page.getByTestId('alert-row').first().waitFor();
    await shotBoth(page, 'alerts');
    const unread = Number(await page.getByTestId('unread-badge').textContent());
    await page.getByTestId('alert-row').getByRole('button', { name: /^Acknowledge/ }).first().click();
    await expect.poll(async () => Number((await page.getByTestId('unread-badge').count()) ? await page.getByTestId('unread-badge').textContent() : 0), SLOW).toBeLessThan(unread);
    await go(page, 'accounts');
    await page.getByRole('button', { name: 'Edit E2E follower' }).click();
    await page.getByRole('dialog', { name: 'Edit E2E follower' }).waitFor();
    await shotBoth(page, 'edit-account');
    await page.getByRole('dialog').getByLabel('Name').fill('E2E follower 3x');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByTestId(`account-${FOLLOWER}`).getByText('E2E follower 3x').waitFor();
    await page.getByTestId('add-account').click();
    await page.getByTestId('wiz-broker').selectOption('projectx');
    await page.getByTestId('topstep-note').waitFor();
    await shotBoth(page, 'add-account-wizard');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('refuses a follower that is the leader\'s own broker account (a copy loop), naming the field', async () => {
    await go(page, 'accounts');
    await page.getByTestId('add-account').click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByTestId('wiz-broker').selectOption('sim');
    await dialog.getByTestId('wiz-label').fill('Loop (misconfigured)');
    await dialog.getByTestId('wiz-id').fill(LOOP);
    await dialog.getByLabel('Broker account id').fill(LEADER);
    await dialog.getByTestId('wiz-next').click();
    await dialog.getByTestId('wiz-save').click();
    await dialog.getByTestId('test-result').filter({ hasText: /Connected|Failed/ }).waitFor({ timeout: 30_000 });
    await dialog.getByTestId('wiz-to-link').click();
    await dialog.getByTestId('wiz-leader').selectOption(LEADER);
    await dialog.getByTestId('wiz-link').click();
    const error = dialog.getByRole('alert').filter({ hasText: `"${LOOP}" is the leader's own broker account (sim account "${LEADER}")` });
    await error.waitFor();
    expect(await dialog.getByLabel('Leader').getAttribute('aria-invalid')).toBe('true');
    await shotBoth(page, 'loop-refused');
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId(`account-${LOOP}`).locator('.tag-role-follower').count()).toBe(0);
    await page.getByRole('button', { name: 'Remove Loop (misconfigured)' }).click();
    await page.getByTestId('confirm-remove').click();
    await page.getByTestId(`account-${LOOP}`).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('a burst of leader trades trips the breaker: alert raised and copying halted', async () => {
    await go(page, 'overview');
    await page.getByTestId('demo-tools').getByText('demo tool').waitFor();
    await page.getByTestId('demo-burst').click();
    await go(page, 'alerts');
    await page.locator('[data-testid="alert-row"][data-code="breaker_tripped"]').first().waitFor({ timeout: 90_000 });
    expect(Number(await page.getByTestId('unread-badge').textContent())).toBeGreaterThan(0);
    await go(page, 'overview');
    await page.locator('[data-testid^="breaker-"] .status-bad').first().waitFor();
    await shotBoth(page, 'breaker-overview');
    await go(page, 'accounts');
    await expect.poll(() => page.getByTestId(`state-${FOLLOWER}`).getAttribute('data-state'), SLOW).toBe('halted');
    await shotBoth(page, 'breaker-tripped');
  });

  it('the kill switch with flatten halts everything and leaves the followers flat', async () => {
    await go(page, 'overview');
    await page.getByTestId('kill-switch').click();
    const dialog = page.getByRole('dialog', { name: 'Kill switch' });
    await dialog.getByLabel('Flatten followers').check();
    await shotBoth(page, 'kill-switch');
    await dialog.getByTestId('confirm-halt').click();
    await dialog.getByTestId('halt-report').waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => globalState(page), SLOW).toBe('halted');
    await go(page, 'accounts');
    for (const id of [FOLLOWER, ...DEMO_FOLLOWERS]) await page.getByTestId(`flat-${id}`).waitFor({ timeout: 60_000 });
    await go(page, 'overview');
    await shotBoth(page, 'halted');
  });

  it('a reload finds the same state', async () => {
    await page.reload();
    await page.getByTestId('link-state').filter({ hasText: 'connected' }).waitFor();
    expect(await globalState(page)).toBe('halted');
    await go(page, 'accounts');
    for (const id of [FOLLOWER, ...DEMO_FOLLOWERS]) await page.getByTestId(`flat-${id}`).waitFor();
    expect(await page.getByTestId(`account-${LOOP}`).count()).toBe(0);
    await go(page, 'settings');
    await page.getByTestId('settings-follower').selectOption(FOLLOWER);
    expect(await page.getByTestId('sizing-value').inputValue()).toBe('3');
    await go(page, 'alerts');
    await page.locator('[data-testid="alert-row"][data-code="breaker_tripped"]').first().waitFor();
  });

  it('removing a tripped follower takes its breaker off the overview', async () => {
    await go(page, 'overview');
    await page.locator('[data-testid="breaker-demo-half"] .status-bad').waitFor();
    await go(page, 'accounts');
    await page.getByRole('button', { name: 'Remove Half size (sim)' }).click();
    await page.getByTestId('confirm-remove').click();
    await page.getByTestId('account-demo-half').waitFor({ state: 'detached', timeout: 30_000 });
    await go(page, 'overview');
    await page.getByTestId('breaker-demo-half').waitFor({ state: 'detached' });
    expect(await page.getByTestId('health-demo-half').count()).toBe(0);
    expect(await page.locator('[data-testid="breaker-demo-mirror"] .status-bad').count()).toBe(1);
  });
});
