// Issue 12 #7 and #9 in Chromium against the real headless app running the demo: the status bar and window title show
// the worst truth (a position left unmanaged, a leader down, a follower halted), and the kill switch per scope lists
// what it will do, then what it cancelled and closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shotSizes } from './support/browser.js';
import { openDemo, type DemoSession } from './support/demo-session.js';
import { globalState, go, positions } from './support/pages.js';

const SLOW = { timeout: 60_000, interval: 250 };
let session: DemoSession;
let page: Page;

beforeAll(async () => {
  session = await openDemo();
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

const truth = () => page.getByTestId('status-truth');
const level = () => truth().getAttribute('data-level');
const reasons = async () => {
  if ((await page.getByTestId('status-reasons').count()) === 0) await truth().click();
  return page.getByTestId('status-reasons').locator('li').allTextContents();
};

async function editAccount(label: string, enabled: boolean): Promise<void> {
  await go(page, 'accounts');
  await page.getByRole('button', { name: `Edit ${label}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${label}` });
  await dialog.getByLabel('Account enabled').setChecked(enabled);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('issue 12: status truth and kill switch', () => {
  it('issue 12 #7: the status bar and the window title show the worst truth, not ACTIVE/armed', async () => {
    await expect.poll(level, SLOW).toBe('ok');
    expect(await truth().textContent()).toContain('armed');
    expect(await page.title()).toBe('Mirrordesk · Active · armed');
    await shotSizes(page, 'issue12-7-status-ok');

    // Copying off for a follower that holds a position: the position is nobody's now.
    await go(page, 'accounts');
    await expect.poll(async () => Object.keys(await positions(page, 'demo-mirror')).length, SLOW).toBeGreaterThan(0);
    await page.getByTestId('enable-demo-mirror').click();
    await expect.poll(level, SLOW).toBe('warn');
    expect(await truth().textContent()).toContain('Position unmanaged');
    expect((await reasons()).join('\n')).toMatch(/Copying is off for Mirror 1x \(sim\) while it holds .+: nobody manages that position\./);
    expect(await page.title()).toMatch(/^⚠ Position unmanaged · Mirrordesk$/);

    // The leader goes away: the worst truth now, while the global state still says Active.
    await editAccount('Leader (sim)', false);
    await expect.poll(level, SLOW).toBe('bad');
    expect(await globalState(page)).toBe('active');
    expect(await truth().textContent()).toMatch(/^Leader disconnected \(\+\d+\)$/);
    expect(await page.title()).toMatch(/^⛔ Leader disconnected \(\+\d+\) · Mirrordesk$/);
    expect((await reasons())[0]).toMatch(/^Leader Leader \(sim\) is not connected \(\w+: disabled\)/);
    await shotSizes(page, 'issue12-7-status-leader-down');

    await editAccount('Leader (sim)', true);
    await page.getByTestId('enable-demo-mirror').click();
    await expect.poll(level, { timeout: 90_000, interval: 250 }).toBe('ok');
  });

  it('issue 12 #9: the kill switch for one follower says what it will do, then lists what it cancelled and closed', async () => {
    await go(page, 'accounts');
    await expect.poll(async () => Object.keys(await positions(page, 'demo-half')).length, SLOW).toBeGreaterThan(0);
    // Paused first (nothing is closed by a pause), so the position is still there when the kill switch flattens.
    await go(page, 'overview');
    await page.getByRole('button', { name: 'Pause Half size (sim)' }).click();
    await go(page, 'accounts');
    await expect.poll(() => page.getByTestId('state-demo-half').getAttribute('data-state'), SLOW).toBe('paused');
    expect(Object.keys(await positions(page, 'demo-half')).length).toBeGreaterThan(0);
    await go(page, 'overview');
    await page.getByRole('button', { name: 'Kill switch for Half size (sim)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill switch: Half size (sim)' });
    await dialog.getByLabel('Flatten').check();
    const plan = dialog.getByTestId('halt-plan');
    await expect.poll(() => plan.textContent()).toContain('Halt Half size (sim): no new orders');
    expect(await plan.textContent()).toMatch(/Close .+ at market on Half size \(sim\)/);
    expect(await plan.textContent()).toContain('Other followers keep copying');
    await shotSizes(page, 'issue12-9-kill-follower-confirm');
    await dialog.getByTestId('confirm-halt').click();
    const report = dialog.getByTestId('halt-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.textContent()).toMatch(/Closed .+ on Half size \(sim\)/);
    expect(await report.locator('[data-ok="false"]').count()).toBe(0);
    await shotSizes(page, 'issue12-9-kill-follower-report');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await go(page, 'accounts');
    await expect.poll(() => page.getByTestId('state-demo-half').getAttribute('data-state'), SLOW).toBe('halted');
    await page.getByTestId('flat-demo-half').waitFor({ timeout: 60_000 });
    expect(await globalState(page)).toBe('active');
    expect(await page.getByTestId('state-demo-mirror').getAttribute('data-state')).toBe('active');
    await expect.poll(() => truth().textContent(), SLOW).toMatch(/^Follower halted/);

    // The global kill switch offers every scope; global lists every follower.
    await page.getByTestId('kill-switch-bar').click();
    const global = page.getByRole('dialog', { name: 'Kill switch: all followers' });
    const scopes = await global.getByTestId('halt-scope').locator('option').allTextContents();
    expect(scopes).toEqual(['All followers', 'Mirror 1x (sim)', 'Half size (sim)', 'MES -> ES (sim)']);
    expect(await global.getByTestId('halt-plan').textContent()).toContain('Halt every follower');
    await global.getByRole('button', { name: 'Keep trading' }).click();
  });
});
