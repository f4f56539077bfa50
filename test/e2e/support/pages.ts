// Page helpers for the dashboard e2e: navigation, the add-account wizard, settings, and reading state off the screen.
import type { Page } from 'playwright-core';

export type Screen = 'overview' | 'accounts' | 'settings' | 'activity' | 'alerts' | 'charts';

export async function go(page: Page, screen: Screen): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
  await page.waitForFunction((s) => location.hash.startsWith(`#/${s}`), screen);
}

export interface NewAccount {
  label: string;
  id: string;
  brokerAccountId?: string;
  leader: string;
  sizing: { mode: string; value: string };
  /** The answer when the leader holds positions: match them now (default) or copy new trades only. */
  start?: 'align' | 'new_only';
}

/** Adds a simulated account through the wizard, checks the live connection test, and makes it follow `leader`. */
export async function addSimFollower(page: Page, a: NewAccount): Promise<string> {
  await go(page, 'accounts');
  await page.getByTestId('add-account').click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByTestId('wiz-broker').selectOption('sim');
  await dialog.getByTestId('wiz-environment').selectOption('paper');
  await dialog.getByTestId('wiz-label').fill(a.label);
  await dialog.getByTestId('wiz-id').fill(a.id);
  if (a.brokerAccountId) await dialog.getByLabel('Broker account id').fill(a.brokerAccountId);
  await dialog.getByTestId('wiz-next').click();
  await dialog.getByTestId('wiz-save').click();
  const result = dialog.getByTestId('test-result');
  await result.filter({ hasText: /Connected|Failed/ }).waitFor({ timeout: 30_000 });
  const testText = (await result.textContent()) ?? '';
  await dialog.getByTestId('wiz-to-link').click();
  await dialog.getByTestId('wiz-leader').selectOption(a.leader);
  await dialog.getByTestId('wiz-sizing-mode').selectOption(a.sizing.mode);
  await dialog.getByTestId('wiz-sizing-value').fill(a.sizing.value);
  // The wizard reads the leader's positions and asks how the link starts when it holds any.
  const status = dialog.getByTestId('wiz-start-status');
  await status.filter({ hasText: /How should|nothing|Nothing to match|Could not/ }).waitFor({ timeout: 30_000 });
  if ((await dialog.getByTestId('wiz-start').count()) > 0) await dialog.getByTestId(a.start === 'new_only' ? 'wiz-start-new-only' : 'wiz-start-align').check();
  await dialog.getByTestId('wiz-link').click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  return testText;
}

/** Signed exact position per symbol of an account, from the Accounts screen ({} when flat; the text is rounded). */
export async function positions(page: Page, accountId: string): Promise<Record<string, string>> {
  const row = page.getByTestId(`account-${accountId}`);
  const items = await row.locator('.pos').evaluateAll((els) => els.map((e) => [e.getAttribute('data-symbol') ?? '', e.getAttribute('data-qty') ?? ''] as const));
  return Object.fromEntries(items);
}

export async function globalState(page: Page): Promise<string | null> {
  return page.getByTestId('global-state').getAttribute('data-state');
}
