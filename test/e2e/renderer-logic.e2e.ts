// The renderer's pure logic without a browser (part of the dashboard suite): decimal display, settings form <-> patch
// validation against the contract schema, routes and the bridge token.
import { beforeAll, describe, expect, it } from 'vitest';
import { linkViewSchema } from '../../core/contract/index.js';
import { group, money, roundDec, signOf, signedMoney } from '../../renderer/format.js';
import { parseRoute } from '../../renderer/state/route.js';
import { useDash } from '../../renderer/state/store.js';
import { pageToken } from '../../renderer/state/transport.js';
import { formFromLink, formToPatch, validateForm } from '../../renderer/screens/settings-model.js';
import { INVOKE } from '../../core/contract/channels.js';
import { FIRST_RESPONSES, loadContractRest, responseSchema } from '../../renderer/state/contract-schemas.js';

// The forms check drafts with schemas the dashboard loads after its first screen (renderer/state/contract-schemas.ts).
beforeAll(async () => {
  await loadContractRest();
});

const link = linkViewSchema.parse({
  id: 'lead->f1',
  leader: 'lead',
  follower: 'f1',
  enabled: true,
  sizing: { mode: 'multiplier', value: '1' },
  reverse: false,
  symbolMap: { MES: { symbol: 'ES', factor: '0.1' } },
  copyUnmapped: false,
  filters: { denySymbols: ['TSLA'], direction: 'both', tradingWindows: [{ days: [1, 2], start: '09:30', end: '16:00', timeZone: 'America/New_York' }] },
  caps: { maxOrderQty: '5', maxOpenPositions: 3 },
  orderType: 'market',
  limitBufferTicks: 4,
  reconcilePolicy: 'alert',
  dryRun: false,
  outsideHours: 'skip',
});

describe('decimal display (text arithmetic, no floats)', () => {
  it('rounds half away from zero, carrying through every digit', () => {
    expect(roundDec('1.005', 2)).toBe('1.01');
    expect(roundDec('-1.005', 2)).toBe('-1.01');
    expect(roundDec('9.995', 2)).toBe('10.00');
    expect(roundDec('999.9999', 2)).toBe('1000.00');
    expect(roundDec('0.1', 2)).toBe('0.10');
    expect(roundDec('-0.001', 2)).toBe('0.00');
    expect(roundDec('12345678901234567890.125', 2)).toBe('12345678901234567890.13');
    expect(roundDec('7', 0)).toBe('7');
  });
  it('groups thousands and signs P&L', () => {
    expect(group('-1234567.5')).toBe('-1,234,567.5');
    expect(money('100234.5')).toBe('100,234.50');
    expect(signedMoney('234.5')).toBe('+234.50');
    expect(signedMoney('-0.004')).toBe('0.00');
    expect(signOf('-3')).toBe('neg');
    expect(signOf('0.000')).toBe('zero');
    expect(money(undefined)).toBe('—');
  });
});

describe('copy settings form', () => {
  it('round-trips a link into an equivalent patch that the contract accepts', () => {
    const patch = formToPatch(formFromLink(link));
    expect(validateForm(formFromLink(link))).toEqual({});
    expect(patch).toMatchObject({
      sizing: { mode: 'multiplier', value: '1' },
      symbolMap: { MES: { symbol: 'ES', factor: '0.1' } },
      copyUnmapped: false,
      filters: { denySymbols: ['TSLA'], tradingWindows: [{ days: [1, 2], start: '09:30', end: '16:00', timeZone: 'America/New_York' }] },
      caps: { maxOrderQty: '5', maxOpenPositions: 3 },
      limitBufferTicks: 4,
    });
  });
  it('explains invalid fields by path and never yields a valid patch for them', () => {
    const f = formFromLink(link);
    expect(validateForm({ ...f, value: '0' })['sizing.value']).toMatch(/must not be 0/);
    expect(validateForm({ ...f, value: 'abc' })['sizing.value']).toMatch(/decimal/);
    expect(validateForm({ ...f, mode: 'fixed', value: '-2' })['sizing.value']).toMatch(/positive/);
    // One way to reverse (issue 12 #12): the Reverse switch, not a negative multiplier.
    expect(validateForm({ ...f, mode: 'multiplier', value: '-2' })['sizing.value']).toMatch(/Reverse/);
    expect(validateForm({ ...f, maxOrderQty: '-1' })['caps.maxOrderQty']).toBeDefined();
    expect(validateForm({ ...f, maxOpenPositions: '1.5' })['caps.maxOpenPositions']).toBeDefined();
    expect(validateForm({ ...f, limitBufferTicks: 'x' }).limitBufferTicks).toBeDefined();
    const w = f.windows[0]!;
    expect(validateForm({ ...f, windows: [{ ...w, start: '25:00' }] })['filters.tradingWindows.0.start']).toMatch(/HH:MM/);
    expect(validateForm({ ...f, windows: [{ ...w, timeZone: 'Mars/Olympus' }] })['filters.tradingWindows.0.timeZone']).toMatch(/time zone/);
    expect(validateForm({ ...f, windows: [{ ...w, days: '0' }] })['filters.tradingWindows.0.days.0']).toBeDefined();
    expect(validateForm({ ...f, symbolMap: [{ from: 'MES', to: 'ES', factor: '0' }] })['symbolMap.0']).toMatch(/factor/);
    expect(validateForm({ ...f, symbolMap: [{ from: 'MES', to: 'ES', factor: '1' }, { from: 'MES', to: 'X', factor: '1' }] })['symbolMap.1']).toMatch(/twice/);
    expect(validateForm({ ...f, symbolMap: [{ from: '', to: 'ES', factor: '1' }] })['symbolMap.0']).toMatch(/required/);
  });
});

describe('routing and the bridge token', () => {
  it('parses hash routes and falls back to the overview', () => {
    expect(parseRoute('#/settings/demo-half')).toEqual({ page: 'settings', arg: 'demo-half' });
    expect(parseRoute('#/activity')).toEqual({ page: 'activity' });
    expect(parseRoute('#/nope')).toEqual({ page: 'overview' });
    expect(parseRoute('')).toEqual({ page: 'overview' });
  });
  it('reads the token from the query string or a pasted hash', () => {
    expect(pageToken({ search: '?token=abc', hash: '' })).toBe('abc');
    expect(pageToken({ search: '', hash: '#/activity?token=xyz' })).toBe('xyz');
    expect(pageToken({ search: '', hash: '#/activity' })).toBe('');
  });
});

describe('toasts', () => {
  it('issue 12 #8: a repeated critical alert folds into its toast and keeps its id (the Acknowledge button stays clickable while repeats stream in)', () => {
    const { toast } = useDash.getState();
    toast('critical', 'copy rejected on f1', 'alert:rejected|f1', 'a1');
    const first = useDash.getState().toasts.find((t) => t.key === 'alert:rejected|f1')!;
    toast('critical', 'copy rejected on f1', 'alert:rejected|f1', 'a2');
    const folded = useDash.getState().toasts.filter((t) => t.key === 'alert:rejected|f1');
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ id: first.id, kind: 'critical', alertIds: ['a1', 'a2'] });
  });
});

describe('contract schemas loaded after the first screen', () => {
  it('checks the first screen\'s replies with the very schemas of the INVOKE table, and every other channel with its own', async () => {
    for (const [channel, schema] of Object.entries(FIRST_RESPONSES)) expect(schema).toBe(INVOKE[channel as keyof typeof FIRST_RESPONSES].response);
    for (const channel of Object.keys(INVOKE) as (keyof typeof INVOKE)[]) expect(await responseSchema(channel)).toBe(INVOKE[channel].response);
  });
});
