// Issue 13 dashboard: the risk panel, guard states on the overview and the status bar, notifications at warning and
// breach, lock and unlock with confirmation. First the renderer's risk logic without a browser, then Chromium against
// the real headless app running the demo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accountRiskSchema, type AccountRiskView } from '../../core/contract/risk.js';
import { formFromSettings, formToSettings, guardSettingsSchema, guardsFor, validateGuardForm } from '../../renderer/screens/risk-guard-form.js';
import { shotBoth } from './support/browser.js';
import { openDemo, type DemoSession } from './support/demo-session.js';
import { comparableLimit, countdown, riskReasons, riskToast, usedFraction, warnMark } from '../../renderer/state/risk-notices.js';

const END = Date.UTC(2026, 11, 2, 23, 0);
const LOCK = { kind: 'daily_loss' as const, reason: 'day P&L -1012.50 reached the daily loss limit 1000', at: END - 3_600_000, until: END, mode: 'lock' as const };

function riskView(level: 'ok' | 'warning' | 'breached', over: Partial<AccountRiskView> = {}): AccountRiskView {
  const value = { ok: '300', warning: '850', breached: '1012.5' }[level];
  return accountRiskSchema.parse({
    accountId: 'demo-mirror',
    tradingDay: '2026-12-02',
    dayStart: END - 86_400_000,
    dayEnd: END,
    currency: 'USD',
    dayPnl: `-${value}`,
    realized: '-100',
    unrealized: `-${Number(value) - 112.5}`,
    fees: '12.5',
    marked: true,
    state: level === 'breached' ? 'locked' : level,
    guards: [{ kind: 'daily_loss', value: `-${value}`, limit: '1000', distance: level === 'breached' ? '0' : String(1000 - Number(value)), unit: 'money', level, action: 'flatten_lock' }],
    locks: level === 'breached' ? [LOCK] : [],
    ...over,
  });
}

describe('issue 13 dashboard: risk logic in the renderer', () => {
  it('issue 13 dashboard #notify: risk alerts become toasts (warning times out, breach and lock stay), naming the account', () => {
    const label = (id: string) => (id === 'demo-mirror' ? 'Mirror 1x (sim)' : id);
    const at = (code: 'risk_warning' | 'risk_breached' | 'risk_locked' | 'risk_unlocked' | 'drift', severity: 'info' | 'warning' | 'critical', message: string) =>
      riskToast({ code, severity, message, accountId: 'demo-mirror' }, label);
    expect(at('risk_warning', 'warning', 'day P&L -850.00 is at 85% of the daily loss limit 1,000')).toEqual({ kind: 'warning', text: 'Mirror 1x (sim): day P&L -850.00 is at 85% of the daily loss limit 1,000' });
    expect(at('risk_breached', 'critical', 'daily loss limit reached: flattening and locking the account')?.kind).toBe('critical');
    expect(at('risk_locked', 'critical', 'demo-mirror locked by dashboard: done for today')).toEqual({ kind: 'critical', text: 'Mirror 1x (sim) locked by dashboard: done for today' });
    expect(at('risk_unlocked', 'info', 'demo-mirror unlocked by dashboard: new day')).toEqual({ kind: 'info', text: 'Mirror 1x (sim) unlocked by dashboard: new day' });
    expect(at('drift', 'warning', 'demo-mirror drifts')).toBeUndefined();
  });

  it('issue 13 dashboard #status: locked is a bad reason, blocked and warning are warnings, in the worst-status bar', () => {
    const label = () => 'Mirror 1x (sim)';
    expect(riskReasons([riskView('ok')], label)).toEqual([]);
    expect(riskReasons([riskView('warning')], label)).toEqual([{ level: 'warn', short: 'Risk warning', text: 'Mirror 1x (sim) is near a risk limit (daily loss limit).' }]);
    expect(riskReasons([riskView('breached')], label)).toEqual([{ level: 'bad', short: 'Risk lock', text: `Mirror 1x (sim) is locked by a risk guard: ${LOCK.reason}.` }]);
    expect(riskReasons([riskView('breached', { state: 'blocked', locks: [{ ...LOCK, mode: 'block' }] })], label)[0]).toMatchObject({ level: 'warn', short: 'Risk block' });
  });

  it('issue 13 dashboard #panel: the bar shows the share of the room used, limits read like the value; the countdown reads in hours, minutes, seconds', () => {
    expect(usedFraction({ kind: 'daily_loss', limit: '1000', distance: '150', level: 'warning' })).toBeCloseTo(0.85);
    expect(usedFraction({ kind: 'daily_loss', limit: '1000', distance: '0', level: 'breached' })).toBe(1);
    expect(usedFraction({ kind: 'min_buying_power', limit: '20', distance: '60', level: 'ok' })).toBe(0);
    // The trailing drawdown's limit is an equity floor: the bar spans the drawdown amount, or is not drawn without it.
    expect(usedFraction({ kind: 'trailing_drawdown', limit: '48000', distance: '500', level: 'warning' }, '2000')).toBeCloseTo(0.75);
    expect(usedFraction({ kind: 'trailing_drawdown', limit: '48000', distance: '500', level: 'warning' })).toBeUndefined();
    expect(comparableLimit({ kind: 'daily_loss', limit: '1000' })).toBe('-1000');
    // The warning tick: at warnAt of the bar, for the buying-power floor where its value is limit / warnAt.
    expect(warnMark('daily_loss', 0.8)).toBe(0.8);
    expect(warnMark('min_buying_power', 0.8)).toBeCloseTo(0.75);
    expect(warnMark('min_buying_power', 0.4)).toBeUndefined();
    expect(warnMark('daily_loss', undefined)).toBeUndefined();
    expect(comparableLimit({ kind: 'profit_target', limit: '500' })).toBe('500');
    expect(countdown(END, END - 3_723_000)).toBe('1h 02m');
    expect(countdown(END, END - 249_000)).toBe('4m 09s');
    expect(countdown(END, END - 12_000)).toBe('12s');
    expect(countdown(END, END + 1)).toBe('now');
  });

  it('issue 13 dashboard #editor: settings round-trip through the form; only guards that apply to the broker are offered and sent', () => {
    const settings = guardSettingsSchema.parse({
      warnAt: 0.75,
      tradingDay: { time: '17:00', timeZone: 'America/Chicago' },
      dailyLoss: { limit: '1000', action: 'flatten_lock' },
      trailingDrawdown: { amount: '2000', mode: 'end_of_day', stopAt: '50000', action: 'flatten_lock' },
      maxPositionPct: { percent: 25, action: 'block' },
      autoFlatten: { time: '15:08', timeZone: 'America/Chicago', weekdays: [1, 2, 3, 4, 5], warnMinutes: 5 },
    });
    const form = formFromSettings(settings);
    expect(form.warnAt).toBe('75');
    expect(guardSettingsSchema.parse(formToSettings(form, guardsFor('alpaca')))).toEqual(settings);
    expect(guardsFor('projectx')).not.toContain('maxPosition');
    expect(guardsFor('projectx')).not.toContain('minBuyingPower');
    expect(formToSettings(form, guardsFor('projectx'))).not.toHaveProperty('maxPositionPct');
    expect(validateGuardForm(form, guardsFor('alpaca'))).toEqual({});
  });

  it('issue 13 dashboard #editor: every invalid field is explained in plain words', () => {
    const f = formFromSettings(undefined);
    const on = { ...f.dailyLoss, on: true };
    const all = guardsFor('sim');
    expect(validateGuardForm({ ...f, dailyLoss: { ...on, value: '' } }, all)['dailyLoss.value']).toBe('Enter an amount above 0, like 1000 or 1000.50');
    expect(validateGuardForm({ ...f, dailyLoss: { ...on, value: '-5' } }, all)['dailyLoss.value']).toBe('Enter an amount above 0, like 1000 or 1000.50');
    expect(validateGuardForm({ ...f, maxDrawdown: { ...on, value: '150' } }, all)['maxDrawdown.value']).toBe('Enter a percent above 0 and at most 100, like 20');
    expect(validateGuardForm({ ...f, warnAt: '100' }, all).warnAt).toBe('Enter a percent above 0 and below 100, like 80');
    expect(validateGuardForm({ ...f, dayTime: '5pm', dayZone: 'America/Chicago' }, all).dayTime).toBe('Enter a time like 15:08 (HH:MM, 24-hour clock)');
    expect(validateGuardForm({ ...f, dayTime: '17:00' }, all).dayZone).toBe('Give both the time and the time zone, or neither for the default');
    expect(validateGuardForm({ ...f, dayTime: '17:00', dayZone: 'Mars/Olympus' }, all).dayZone).toBe('Unknown time zone: use a name like America/Chicago');
    expect(validateGuardForm({ ...f, trailing: { ...f.trailing, on: true, value: '2000', stopAt: 'abc' } }, all)['trailing.stopAt']).toBe('Enter an amount above 0, like 1000 or 1000.50');
    const af = { ...f.autoFlatten, on: true };
    expect(validateGuardForm({ ...f, autoFlatten: { ...af, weekdays: [] } }, all)['autoFlatten.weekdays']).toBe('Pick at least one weekday');
    expect(validateGuardForm({ ...f, autoFlatten: { ...af, warnMinutes: '500' } }, all)['autoFlatten.warnMinutes']).toBe('Enter whole minutes from 0 to 120');
    expect(validateGuardForm({ ...f, autoFlatten: { ...af, time: '25:00' } }, all)['autoFlatten.time']).toBe('Enter a time like 15:08 (HH:MM, 24-hour clock)');
    // A guard that is off is not validated and not sent.
    expect(validateGuardForm({ ...f, dailyLoss: { ...f.dailyLoss, on: false, value: 'junk' } }, all)).toEqual({});
  });
});

const SLOW = { timeout: 90_000, interval: 250 };
let session: DemoSession | undefined;
let page: Page;

async function openRisk(accountId: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/risk/${id}`), accountId);
  await page.getByTestId(`risk-panel-${accountId}`).waitFor();
}

const panel = (id: string) => page.getByTestId(`risk-panel-${id}`);
const guardRow = (id: string, kind: string) => panel(id).getByTestId(`guard-${kind}`);
const dayPnl = async (id: string): Promise<number> => Number(await guardRow(id, 'daily_loss').getAttribute('data-value'));

/** Sets the daily loss limit and profit target of an account through the guard editor. */
async function setGuards(id: string, label: string, g: { warnAt: string; loss: string; target: string; action: string }): Promise<void> {
  await panel(id).getByTestId(`edit-guards-${id}`).click();
  const dialog = page.getByRole('dialog', { name: `Risk guards: ${label}` });
  await dialog.getByTestId('guard-warn-at').fill(g.warnAt);
  for (const [key, value] of [['dailyLoss', g.loss], ['profitTarget', g.target]] as const) {
    await dialog.getByTestId(`guard-on-${key}`).setChecked(true);
    await dialog.getByTestId(`guard-${key}`).fill(value);
    await dialog.getByTestId(`guard-action-${key}`).selectOption(g.action);
  }
  await dialog.getByTestId('guards-save').click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

/**
 * Limits that put the day P&L at `share` of the limit on its side (loss or profit), warning at 1% so the demo's P&L can
 * move a lot without leaving the warning band; retried while the P&L moves.
 */
async function driveTo(id: string, label: string, level: 'warning' | 'breached', share: number, action: string): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await expect.poll(async () => Math.abs(await dayPnl(id)), SLOW).toBeGreaterThan(20);
    const pnl = await dayPnl(id);
    const limit = (Math.abs(pnl) / share).toFixed(2);
    const kind = pnl < 0 ? 'daily_loss' : 'profit_target';
    await setGuards(id, label, { warnAt: '1', loss: pnl < 0 ? limit : '1000000', target: pnl > 0 ? limit : '1000000', action });
    const reached = await expect
      .poll(() => guardRow(id, kind).getAttribute('data-level'), { timeout: 10_000, interval: 250 })
      .toBe(level)
      .then(() => true, () => false);
    if (reached) return kind;
  }
  throw new Error(`${id} never reached ${level}`);
}

describe('issue 13 dashboard: the risk panel in Chromium against the demo', () => {
  beforeAll(async () => {
    session = await openDemo();
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
  });

  it('issue 13 dashboard #editor: guards are set from the risk panel with plain-language validation', async () => {
    await page.getByTestId('nav-risk').click();
    // The demo's guarded follower: the editor starts from its guards as configured.
    await openRisk('demo-half');
    await panel('demo-half').getByTestId('edit-guards-demo-half').click();
    const half = page.getByRole('dialog', { name: 'Risk guards: Half size (sim)' });
    expect(await half.getByTestId('guard-dailyLoss').inputValue()).toBe('2500');
    expect(await half.getByTestId('guard-action-dailyLoss').inputValue()).toBe('flatten_lock');
    expect(await half.getByTestId('guard-profitTarget').inputValue()).toBe('5000');
    expect(await half.getByTestId('guard-action-profitTarget').inputValue()).toBe('alert');
    expect(await half.getByTestId('guard-warn-at').inputValue()).toBe('80');
    expect(await half.getByTestId('guard-on-trailing').isChecked()).toBe(false);
    await shotBoth(page, 'issue13-risk-editor-1280x720');
    await half.getByRole('button', { name: 'Cancel' }).click();
    await openRisk('demo-mirror');
    await panel('demo-mirror').getByTestId('edit-guards-demo-mirror').click();
    const dialog = page.getByRole('dialog', { name: 'Risk guards: Mirror 1x (sim)' });
    await dialog.getByTestId('guard-on-dailyLoss').setChecked(true);
    await dialog.getByTestId('guard-dailyLoss').fill('-5');
    await dialog.getByTestId('guard-on-autoFlatten').setChecked(true);
    await dialog.getByTestId('guard-flatten-time').fill('25:00');
    await dialog.getByTestId('guards-save').click();
    expect(await dialog.getByText('Enter an amount above 0, like 1000 or 1000.50').count()).toBe(1);
    expect(await dialog.getByText('Enter a time like 15:08 (HH:MM, 24-hour clock)').count()).toBe(1);
    await shotBoth(page, 'issue13-risk-editor-invalid-1280x720');
    await dialog.getByTestId('guard-on-autoFlatten').setChecked(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await setGuards('demo-mirror', 'Mirror 1x (sim)', { warnAt: '80', loss: '1000000', target: '1000000', action: 'flatten_lock' });
    await guardRow('demo-mirror', 'daily_loss').waitFor({ timeout: 60_000 });
    expect(await guardRow('demo-mirror', 'daily_loss').getAttribute('data-level')).toBe('ok');
  });

  it('issue 13 dashboard #countdown: an auto-flatten time shows with its countdown, beside the trading day and its reset', async () => {
    await openRisk('demo-es');
    const at = new Date(Date.now() + 15 * 60_000);
    const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    await panel('demo-es').getByTestId('edit-guards-demo-es').click();
    const dialog = page.getByRole('dialog', { name: 'Risk guards: MES -> ES (sim)' });
    await dialog.getByTestId('guard-on-autoFlatten').setChecked(true);
    await dialog.getByTestId('guard-flatten-time').fill(hhmm);
    await dialog.getByTestId('guard-flatten-zone').fill('UTC');
    for (const day of ['Sun', 'Sat']) await dialog.getByRole('group', { name: 'Weekdays' }).getByLabel(day).setChecked(true);
    await dialog.getByTestId('guards-save').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const flatten = panel('demo-es').getByTestId('risk-auto-flatten');
    await flatten.waitFor({ timeout: 30_000 });
    expect(await flatten.textContent()).toMatch(/^Auto-flatten at \d\d:\d\d \(in 1[45]m \d\ds\)$/);
    expect(await panel('demo-es').getByTestId('risk-day').textContent()).toMatch(/^Trading day \d{4}-\d\d-\d\dresets at \d\d:\d\d \(in [^)]+\)Auto-flatten/);
    await shotBoth(page, 'issue13-risk-auto-flatten-1280x720');
  });

  it('issue 13 dashboard #warning: a guard in warning shows on the panel, the overview, the status bar and as a toast', async () => {
    await driveTo('demo-mirror', 'Mirror 1x (sim)', 'warning', 0.05, 'flatten_lock');
    await expect.poll(() => panel('demo-mirror').getAttribute('data-state'), SLOW).toBe('warning');
    await page.getByTestId('toast-warning').filter({ hasText: 'Mirror 1x (sim)' }).first().waitFor({ timeout: 30_000 });
    await shotBoth(page, 'issue13-risk-warning-1280x720');
    await expect.poll(() => page.getByTestId('status-truth').textContent(), SLOW).toMatch(/^Risk warning/);
    await page.getByTestId('nav-overview').click();
    expect(await page.getByTestId('risk-badge-demo-mirror').getAttribute('data-state')).toBe('warning');
  });

  it('issue 13 dashboard #breach: a breach flattens and locks, with a critical toast kept until acknowledged', async () => {
    await openRisk('demo-mirror');
    const kind = await driveTo('demo-mirror', 'Mirror 1x (sim)', 'breached', 2, 'flatten_lock');
    await expect.poll(() => panel('demo-mirror').getAttribute('data-state'), SLOW).toBe('locked');
    expect(await panel('demo-mirror').getByTestId('risk-locks').textContent()).toMatch(/Locked by .+ at \d\d:\d\d: .+Lifts at \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(await guardRow('demo-mirror', kind).getAttribute('data-level')).toBe('breached');
    const toast = page.getByTestId('toast-critical').filter({ hasText: 'Mirror 1x (sim)' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('status-truth').textContent(), SLOW).toMatch(/^Risk lock/);
    expect(await page.getByTestId('risk-nav-badge').textContent()).toBe('1');
    await shotBoth(page, 'issue13-risk-breach-locked-1280x720');
    await toast.getByTestId('toast-ack').click();
    await page.getByTestId('nav-overview').click();
    expect(await page.getByTestId('risk-badge-demo-mirror').getAttribute('data-state')).toBe('locked');
    await shotBoth(page, 'issue13-overview-risk-badges-1280x720');
  });

  it('issue 13 dashboard #lock: a person locks and unlocks an account, each confirmed with a reason', async () => {
    await openRisk('demo-half');
    await panel('demo-half').getByTestId('lock-demo-half').click();
    const dialog = page.getByRole('dialog', { name: 'Lock Half size (sim)' });
    await dialog.getByTestId('confirm-lock').click();
    expect(await dialog.getByRole('alert').textContent()).toBe('Say why you lock Half size (sim): the reason goes into the audit log');
    await dialog.getByTestId('risk-reason').fill('done for today');
    await shotBoth(page, 'issue13-risk-lock-confirm-1280x720');
    await dialog.getByTestId('confirm-lock').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => panel('demo-half').getAttribute('data-state'), SLOW).toBe('locked');
    expect(await panel('demo-half').getByTestId('risk-locks').textContent()).toContain('done for today');
    expect(await panel('demo-half').getByTestId('risk-locks').textContent()).toContain('Until a person unlocks it');

    await panel('demo-half').getByTestId('unlock-demo-half').click();
    const unlock = page.getByRole('dialog', { name: 'Unlock Half size (sim)' });
    expect(await unlock.getByTestId('unlock-locks').textContent()).toContain('done for today');
    await unlock.getByTestId('risk-reason').fill('back after lunch');
    await shotBoth(page, 'issue13-risk-unlock-confirm-1280x720');
    await unlock.getByTestId('confirm-unlock').click();
    await unlock.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => panel('demo-half').getByTestId('risk-locks').count(), SLOW).toBe(0);
    // The guard-locked account is unlocked by a person too.
    await openRisk('demo-mirror');
    await panel('demo-mirror').getByTestId('unlock-demo-mirror').click();
    const unlockMirror = page.getByRole('dialog', { name: 'Unlock Mirror 1x (sim)' });
    await unlockMirror.getByTestId('risk-reason').fill('reviewed the loss');
    await unlockMirror.getByTestId('confirm-unlock').click();
    await unlockMirror.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => panel('demo-mirror').getByTestId('risk-locks').count(), SLOW).toBe(0);
  });
});
