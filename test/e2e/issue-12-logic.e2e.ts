// Issue 12, the dashboard's pure logic (no browser): worst status (#7), alert grouping (#8), account checks and test
// failure causes (#10), copy-settings rules (#12), quantity display (#14).
import { beforeAll, describe, expect, it } from 'vitest';
import { linkViewSchema, workspaceSnapshotSchema, type AlertView, type WorkspaceSnapshotView } from '../../core/contract/index.js';
import { worstStatus, windowTitle } from '../../renderer/state/worst-status.js';
import { filterAlerts, groupAlerts } from '../../renderer/screens/alert-groups.js';
import { checkAccountDraft, checkAccountField, explainTestFailure } from '../../renderer/components/account-validate.js';
import type { AccountDraft } from '../../renderer/components/account-fields.js';
import { formFromLink, formToPatch, validateForm } from '../../renderer/screens/settings-model.js';
import { qty } from '../../renderer/format.js';
import { loadContractRest } from '../../renderer/state/contract-schemas.js';

// The forms check drafts with schemas the dashboard loads after its first screen (renderer/state/contract-schemas.ts).
beforeAll(async () => {
  await loadContractRest();
});

const account = (id: string, role: 'leader' | 'follower', extra: Record<string, unknown> = {}) => ({
  id, label: id.toUpperCase(), broker: 'sim', environment: 'paper', role, enabled: true, hasCredentials: true,
  connection: { status: 'connected' }, positions: [], tradingState: 'active', ...extra,
});
const link = (follower: string, enabled = true) => ({ id: `lead->${follower}`, leader: 'lead', follower, enabled, sizing: { mode: 'multiplier', value: '1' } });

function snapshot(patch: Partial<Record<string, unknown>> = {}): WorkspaceSnapshotView {
  return workspaceSnapshotSchema.parse({
    accounts: [account('lead', 'leader'), account('f1', 'follower'), account('f2', 'follower')],
    links: [link('f1'), link('f2')],
    trading: { global: 'active', followers: {} },
    breakers: [], armed: true, running: true, demo: false,
    counters: { copies: 0, rejects: 0, unknown: 0, alertsUnread: 0 },
    ...patch,
  });
}

describe('issue 12 #7: the worst truth of the workspace', () => {
  it('says active and armed only when nothing is wrong', () => {
    const t = worstStatus(snapshot());
    expect(t).toMatchObject({ level: 'ok', headline: 'Active · armed', reasons: [] });
    expect(windowTitle(t)).toBe('Mirrordesk · Active · armed');
  });
  it('a disconnected leader is the worst truth, even while global state is active and armed', () => {
    const s = snapshot({ accounts: [account('lead', 'leader', { connection: { status: 'reconnecting', reason: 'socket closed' } }), account('f1', 'follower'), account('f2', 'follower')] });
    const t = worstStatus(s);
    expect(t.level).toBe('bad');
    expect(t.headline).toBe('Leader disconnected');
    expect(t.reasons[0]!.text).toContain('Leader LEAD is not connected (reconnecting: socket closed)');
    expect(windowTitle(t)).toBe('⛔ Leader disconnected · Mirrordesk');
  });
  it('a halted follower, a drifting follower and copying off with a position each show, worst first', () => {
    const s = snapshot({
      accounts: [account('lead', 'leader'), account('f1', 'follower', { tradingState: 'halted' }), account('f2', 'follower', { positions: [{ symbol: 'MES', qty: '2' }] })],
      links: [link('f1'), link('f2', false)],
      drifts: [{ followerAccountId: 'f1', symbol: 'AAPL', target: '3', position: '1', action: 'alerted' }],
    });
    const t = worstStatus(s);
    expect(t.level).toBe('bad');
    expect(t.headline).toBe('Follower halted (+2)');
    expect(t.reasons.map((r) => r.short)).toEqual(['Follower halted', 'Position unmanaged', 'Drifting']);
    expect(t.reasons[1]!.text).toBe('Copying is off for F2 while it holds MES 2: nobody manages that position.');
    expect(t.reasons[2]!.text).toBe('F1 holds 1 AAPL where the target is 3.');
  });
  it('global halt, a tripped breaker and not armed yet', () => {
    expect(worstStatus(snapshot({ trading: { global: 'halted', followers: {} } })).headline).toBe('Halted');
    expect(worstStatus(snapshot({ breakers: [{ scope: 'f1', tripped: true, reason: '30 orders in 10 s' }] })).reasons[0]!.text).toContain('of F1 tripped: 30 orders in 10 s');
    expect(worstStatus(snapshot({ armed: false }))).toMatchObject({ level: 'warn', headline: 'Reconciling' });
  });
});

const alert = (id: string, time: number, message: string, extra: Partial<AlertView> = {}): AlertView =>
  ({ id, time, severity: 'warning', code: 'rounds_to_zero', message, accountId: 'f1', acknowledged: false, ...extra }) as AlertView;

describe('issue 12 #8: alert repeats are grouped and filtered', () => {
  const alerts = [
    alert('1', 100, 'AAPL target 0.3 rounds to 0 on f1'),
    alert('2', 300, 'AAPL target 0.7 rounds to 0 on f1', { acknowledged: true }),
    alert('3', 200, 'AAPL target 0.1 rounds to 0 on f1'),
    alert('4', 250, 'AAPL target 0.1 rounds to 0 on f1', { accountId: 'f2' }),
    alert('5', 50, 'Circuit breaker tripped', { code: 'breaker_tripped', severity: 'critical', accountId: 'f1' }),
  ];
  it('same code, account and message shape fold into one row with a count and the last time', () => {
    const groups = groupAlerts(alerts);
    expect(groups.map((g) => [g.accountId, g.code, g.count, g.lastTime])).toEqual([
      ['f1', 'rounds_to_zero', 3, 300],
      ['f2', 'rounds_to_zero', 1, 250],
      ['f1', 'breaker_tripped', 1, 50],
    ]);
    expect(groups[0]).toMatchObject({ message: 'AAPL target 0.7 rounds to 0 on f1', firstTime: 100, unread: ['1', '3'] });
  });
  it('filters by minimum severity, account, code and unread', () => {
    expect(filterAlerts(alerts, { severity: 'critical' }).map((a) => a.id)).toEqual(['5']);
    expect(filterAlerts(alerts, { accountId: 'f2' }).map((a) => a.id)).toEqual(['4']);
    expect(filterAlerts(alerts, { code: 'rounds_to_zero', unreadOnly: true }).map((a) => a.id)).toEqual(['1', '3', '4']);
  });
});

const draft = (p: Partial<AccountDraft>): AccountDraft => ({ id: 'px-1', label: 'Topstep 1', broker: 'projectx', environment: 'paper', brokerAccountId: '123', rest: '', stream: '', userHub: '', ...p });

describe('issue 12 #10: account fields in plain words, and the real cause of a failed test', () => {
  it('checks each field as it is entered', () => {
    expect(checkAccountField(draft({ label: ' ' }), 'label')).toBe('Name is required');
    expect(checkAccountField(draft({ brokerAccountId: 'abc' }), 'brokerAccountId')).toBe('A ProjectX account id is a number, like 123456');
    expect(checkAccountField(draft({ brokerAccountId: '' }), 'brokerAccountId')).toMatch(/ProjectX account id is required/);
    expect(checkAccountField(draft({ id: 'has space' }), 'id')).toMatch(/letters, digits/);
    expect(checkAccountField(draft({ id: 'px-1' }), 'id', ['px-1'])).toBe('An account "px-1" already exists');
    expect(checkAccountField(draft({ rest: 'localhost:8080' }), 'endpoints.rest')).toMatch(/must start with|full address/);
    expect(checkAccountField(draft({ broker: 'sim', brokerAccountId: '' }), 'brokerAccountId')).toBeUndefined();
    expect(checkAccountDraft(draft({}))).toEqual({});
  });
  it('names wrong path, wrong key and closed port apart', () => {
    expect(explainTestFailure('ProjectX Auth/loginKey: endpoint not found (HTTP 404)')).toMatch(/^The server answered, but not at that path/);
    expect(explainTestFailure('Alpaca GET /v2/account: HTTP 401 unauthorized.')).toMatch(/^The broker refused the credentials/);
    expect(explainTestFailure('Alpaca GET /v2/account: connect ECONNREFUSED 127.0.0.1:9')).toMatch(/^Nothing answers at that address: the port is closed/);
    expect(explainTestFailure('ProjectX Auth/loginKey: connection failed')).toMatch(/^Nothing answers at that address/);
    expect(explainTestFailure('ProjectX Auth/loginKey failed (code 3): invalid credentials')).toMatch(/^The broker refused the credentials/);
    expect(explainTestFailure('something odd')).toBe('something odd');
  });
});

describe('issue 12 #12: copy settings rules', () => {
  const base = linkViewSchema.parse({ ...link('f1'), reverse: false, filters: {}, caps: {} });
  const f = formFromLink(base);
  it('one way to reverse: a negative multiplier is refused, and a stored one shows as Reverse', () => {
    expect(validateForm({ ...f, value: '-2' })['sizing.value']).toMatch(/turn on Reverse/);
    const stored = formFromLink(linkViewSchema.parse({ ...base, sizing: { mode: 'multiplier', value: '-2' } }));
    expect(stored).toMatchObject({ value: '2', reverse: true });
    expect(formToPatch(stored)).toMatchObject({ sizing: { value: '2' }, reverse: true });
  });
  it('a 1e23 multiplier is refused in plain words, so is a huge one written out', () => {
    expect(validateForm({ ...f, value: '1e23' })['sizing.value']).toMatch(/no exponent/);
    expect(validateForm({ ...f, value: '100000000000000000000000' })['sizing.value']).toMatch(/^Too large: at most 100 × the leader's quantity/);
    expect(validateForm({ ...f, value: '2.5' })).toEqual({});
  });
  it('plain-language errors and bracket ticks', () => {
    expect(validateForm({ ...f, value: 'abc' })['sizing.value']).toBe('Enter a decimal number, like 1 or 0.5');
    expect(validateForm({ ...f, minNotional: 'x' })['filters.minNotional']).toBe('Enter a decimal number, like 1 or 0.5');
    expect(validateForm({ ...f, stopLossTicks: '0' })['bracket.stopLossTicks']).toMatch(/whole number of ticks/);
    expect(formToPatch({ ...f, stopLossTicks: '8' })).toMatchObject({ bracket: { stopLossTicks: 8 } });
  });
});

describe('issue 12 #14: quantities to the instrument precision', () => {
  it('rounds 24.997500249 to 4 places and whole contracts to 0', () => {
    expect(qty('24.997500249')).toBe('24.9975');
    expect(qty('3.000000000')).toBe('3');
    expect(qty('-1250.5')).toBe('-1,250.5');
    expect(qty('2.6', 0)).toBe('3');
  });
});
