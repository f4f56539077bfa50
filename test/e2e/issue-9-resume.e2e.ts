// Issue 9 #13 in Chromium against the real headless app running the demo: after the kill switch, Resume shows per
// follower the orders that would bring it in line now, and the person chooses to send them ('align') or to copy new
// leader trades only ('new_only'); the choice is audited. Checked on screen and through the contract (bridge).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { invokeBridge } from '../chaos/app-process.js';
import { shotBoth } from './support/browser.js';
import { openDemo, type DemoSession } from './support/demo-session.js';
import { go, positions } from './support/pages.js';

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

async function bridge<T>(channel: string, payload: unknown): Promise<T> {
  const r = await invokeBridge(session.app.url, channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
  return r.value as T;
}

const copies = (q: Record<string, unknown>) => bridge<{ items: { symbol: string; side: string; qty: string }[]; total: number }>('copies:list', q);
const auditPage = () => bridge<{ items: { action: string; actor: string; details?: Record<string, unknown> }[]; total: number }>('audit:list', { limit: 20 });
/** The newest audit rows first. */
const audit = async () => (await auditPage()).items;

/** Kill switch with flatten for a scope, then waits until the followers in it are flat and the leader holds something. */
async function haltAndFlatten(open: Locator, dialogName: string, followers: readonly string[]): Promise<void> {
  await go(page, 'overview');
  await open.click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByLabel('Flatten').check();
  await dialog.getByTestId('confirm-halt').click();
  await dialog.getByTestId('halt-report').waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await go(page, 'accounts');
  for (const f of followers) await page.getByTestId(`flat-${f}`).waitFor({ timeout: 60_000 });
}

/** Acknowledges the kill switch's critical toasts, as a person would (they cover the table's buttons). */
async function acknowledgeToasts(): Promise<void> {
  const ack = page.getByTestId('toast-ack');
  for (let n = await ack.count(); n > 0; n = await ack.count()) {
    // A toast may close between the count and the click (its alert acknowledged already): then the count drops anyway.
    await ack.first().click({ timeout: 5_000 }).catch(() => undefined);
    await expect.poll(() => ack.count(), SLOW).toBeLessThan(n);
  }
}

/** Opens Resume until its preview lists orders (the demo leader trades on; it may be flat for a moment). */
async function openResumeWithOrders(button: Locator, dialogName: string): Promise<Locator> {
  for (let attempt = 0; ; attempt++) {
    await go(page, 'accounts');
    await expect.poll(async () => Object.keys(await positions(page, 'demo-leader')).length, SLOW).toBeGreaterThan(0);
    await go(page, 'overview');
    await acknowledgeToasts();
    await button.click();
    const dialog = page.getByRole('dialog', { name: dialogName });
    await dialog.getByTestId('resume-summary').waitFor({ timeout: 60_000 });
    if ((await dialog.getByTestId('resume-order').count()) > 0 || attempt >= 5) return dialog;
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }
}

describe('issue 9 #13: resume after a halt', () => {
  it('issue 9 #13: Resume shows the orders per follower and "Bring in line now" sends them; followers end in line', async () => {
    await go(page, 'accounts');
    await expect.poll(async () => Object.keys(await positions(page, 'demo-mirror')).length, SLOW).toBeGreaterThan(0);
    await haltAndFlatten(page.getByTestId('kill-switch'), 'Kill switch: all followers', ['demo-mirror', 'demo-half', 'demo-es']);
    expect(await page.getByTestId('global-state').getAttribute('data-state')).toBe('halted');

    const dialog = await openResumeWithOrders(page.getByTestId('resume'), 'Resume copying: all followers');
    const rows = dialog.getByTestId('resume-follower');
    expect(await rows.count()).toBe(3);
    const orders = await dialog.getByTestId('resume-order').allTextContents();
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) expect(o).toMatch(/^(BUY|SELL) [\d,]+(\.\d+)? (MES|ES|AAPL) \(holds 0, target -?[\d,.]+\)$/);
    expect(await dialog.getByTestId('resume-summary').textContent()).toMatch(/^Bringing the followers in line now sends \d+ orders?:$/);
    expect(await dialog.getByRole('button', { name: 'Copy new trades only' }).isEnabled()).toBe(true);
    await shotBoth(page, 'issue9-resume-preview-1280x720');

    const before = Date.now();
    await dialog.getByTestId('resume-align').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => page.getByTestId('global-state').getAttribute('data-state'), SLOW).toBe('active');
    // The preview's orders went out at once as repairs (not waiting for the leader's next trade).
    await expect.poll(async () => (await copies({ purpose: 'repair', from: before - 1 })).total, SLOW).toBeGreaterThan(0);
    const row = (await audit()).find((a) => a.action === 'resume');
    expect(row).toMatchObject({ details: { scope: 'global', mode: 'align' } });

    // In line: the 1x mirror holds what the leader holds (polled: the demo leader keeps trading).
    await go(page, 'accounts');
    await expect.poll(async () => JSON.stringify(await positions(page, 'demo-mirror')) === JSON.stringify(await positions(page, 'demo-leader')), SLOW).toBe(true);
  });

  it('issue 9 #13: "Copy new trades only" resumes one follower without changing its position at once', async () => {
    await haltAndFlatten(page.getByRole('button', { name: 'Kill switch for Half size (sim)' }), 'Kill switch: Half size (sim)', ['demo-half']);
    await expect.poll(() => page.getByTestId('state-demo-half').getAttribute('data-state'), SLOW).toBe('halted');

    const dialog = await openResumeWithOrders(page.getByRole('button', { name: 'Resume Half size (sim)' }), 'Resume copying: Half size (sim)');
    expect(await dialog.getByTestId('resume-follower').count()).toBe(1);
    expect(await dialog.getByTestId('resume-order').count()).toBeGreaterThan(0);
    expect(await dialog.getByTestId('resume-summary').textContent()).toMatch(/^Bringing Half size \(sim\) in line now sends \d+ orders?:$/);
    await shotBoth(page, 'issue9-resume-follower-1280x720');

    const before = Date.now();
    await dialog.getByTestId('resume-new-only').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await go(page, 'accounts');
    await expect.poll(() => page.getByTestId('state-demo-half').getAttribute('data-state'), SLOW).toBe('active');
    expect((await audit()).find((a) => a.action === 'resume')).toMatchObject({ details: { scope: 'demo-half', mode: 'new_only' } });
    // The follower is touched only by the leader's next trade (an ordinary copy), never by a repair of the resume.
    await expect.poll(async () => (await copies({ followerAccountId: 'demo-half', purpose: 'copy', from: before - 1 })).total, SLOW).toBeGreaterThan(0);
    expect((await copies({ followerAccountId: 'demo-half', purpose: 'repair', from: before - 1 })).total).toBe(0);
  });

  it('issue 9 #13: after a pause the same question is asked; Cancel changes nothing', async () => {
    // Copying off for one follower: the dialog says it gets nothing rather than "in line".
    await go(page, 'accounts');
    await page.getByTestId('enable-demo-es').click();
    await go(page, 'overview');
    await acknowledgeToasts();
    await page.getByTestId('pause').click();
    await expect.poll(() => page.getByTestId('global-state').getAttribute('data-state'), SLOW).toBe('paused');
    await page.getByTestId('resume').click();
    const dialog = page.getByRole('dialog', { name: 'Resume copying: all followers' });
    await dialog.getByTestId('resume-summary').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('resume-follower').count()).toBe(3);
    await expect.poll(() => dialog.getByTestId('resume-note').allTextContents()).toEqual(['Copying is off for this follower: nothing is sent to it.']);
    expect(await dialog.getByText(/^Read from the brokers at \d\d:\d\d:\d\d\./).count()).toBe(1);
    await dialog.getByTestId('resume-refresh').click();
    await dialog.getByTestId('resume-summary').waitFor({ timeout: 60_000 });
    await shotBoth(page, 'issue9-resume-paused-1280x720');
    const count = (await auditPage()).total;
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('global-state').getAttribute('data-state')).toBe('paused');
    expect((await auditPage()).total).toBe(count);

    await page.getByTestId('resume').click();
    await dialog.getByTestId('resume-summary').waitFor({ timeout: 60_000 });
    await dialog.getByTestId('resume-new-only').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => page.getByTestId('global-state').getAttribute('data-state'), SLOW).toBe('active');
    expect((await audit()).find((a) => a.action === 'resume')).toMatchObject({ details: { scope: 'global', mode: 'new_only' } });
  });
});
