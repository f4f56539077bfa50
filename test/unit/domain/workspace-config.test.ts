// Workspace config validation: good configs parse with defaults; bad ones name the field and the problem.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../core/app/config-file.js';

const good = {
  accounts: [
    { id: 'lead', label: 'Leader', broker: 'sim' },
    { id: 'f1', label: 'F1', broker: 'alpaca', environment: 'paper', endpoints: { rest: 'http://127.0.0.1:9000' } },
  ],
  links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '0.5' }, symbolMap: { MES: { symbol: 'ES', factor: 0.1 } } }],
};

function issues(input: unknown): string[] {
  try {
    parseConfig(input, 'test');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('workspace config', () => {
  it('parses a good config with defaults and link ids', () => {
    const ws = parseConfig(good, 'test');
    expect(ws.links[0]!.id).toBe('lead->f1');
    expect(ws.links[0]!.sizing.value.toString()).toBe('0.5');
    expect(ws.links[0]!.symbolMap.MES!.factor.toString()).toBe('0.1');
    expect(ws.links[0]!.reconcilePolicy).toBe('alert');
    expect(ws.risk.breaker.maxOrders).toBeGreaterThan(0);
    expect(ws.accounts[0]!.environment).toBe('paper');
  });

  it.each([
    [{ ...good, accounts: [{ ...good.accounts[0], broker: 'ibkr' }, good.accounts[1]] }, 'accounts[0].broker'],
    [{ ...good, accounts: [{ ...good.accounts[0], id: 'bad id!' }, good.accounts[1]] }, 'accounts[0].id'],
    [{ ...good, links: [{ ...good.links[0], sizing: { mode: 'multiplier', value: '0' } }] }, 'links[0].sizing.value: must not be 0'],
    [{ ...good, links: [{ ...good.links[0], sizing: { mode: 'fixed', value: 'two' } }] }, 'links[0].sizing.value: expected a decimal'],
    [{ ...good, links: [{ ...good.links[0], follower: 'nobody' }] }, 'links[0].follower: unknown account "nobody"'],
    [{ ...good, links: [{ ...good.links[0], follower: 'lead' }] }, 'an account cannot follow itself'],
    [{ ...good, links: [good.links[0], good.links[0]] }, 'a follower mirrors one leader'],
    [{ ...good, accounts: [good.accounts[0], { ...good.accounts[1], endpoints: { rest: 'ftp://x' } }] }, 'accounts[1].endpoints.rest'],
    [{ ...good, extra: 1 }, '(root)'],
    [{ ...good, links: [{ ...good.links[0], filters: { tradingWindows: [{ start: '25:00', end: '10:00' }] } }] }, 'links[0].filters.tradingWindows[0].start'],
    [{ ...good, links: [{ ...good.links[0], filters: { tradingWindows: [{ start: '09:00', end: '10:00', timeZone: 'Mars/Base' }] } }] }, 'unknown time zone'],
  ])('names the field for bad input %#', (input, expected) => {
    expect(issues(input).join('\n')).toContain(expected);
  });
});
