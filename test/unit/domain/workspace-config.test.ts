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

describe('copy loops', () => {
  const sim = (id: string, extra: object = {}) => ({ id, label: id, broker: 'sim', ...extra });
  const link = (leader: string, follower: string) => ({ leader, follower, sizing: { mode: 'multiplier', value: '1' } });
  const ws = (accounts: object[], links: object[]) => ({ accounts, links });

  it('refuses a follower that is the leader\'s own sim account, naming the follower field', () => {
    const found = issues(ws([sim('lead'), sim('loop', { brokerAccountId: 'lead' })], [link('lead', 'loop')]));
    expect(found).toEqual([expect.stringMatching(/^links\[0\]\.follower: "loop" is the leader's own broker account \(sim account "lead"\)/)]);
  });

  it('refuses two ids on one broker account at the same REST endpoint, including the endpoint in the message', () => {
    const rest = { rest: 'https://api.topstepx.com' };
    const found = issues(
      ws(
        [sim('a', { broker: 'projectx', brokerAccountId: '42', endpoints: rest }), sim('b', { broker: 'projectx', brokerAccountId: '42', endpoints: rest })],
        [link('a', 'b')],
      ),
    );
    expect(found.join('\n')).toContain('links[0].follower: "b" is the leader\'s own broker account (projectx account "42" at https://api.topstepx.com)');
  });

  it.each([
    ['another broker', [sim('a', { brokerAccountId: '42' }), sim('b', { broker: 'projectx', brokerAccountId: '42' })]],
    ['another broker account', [sim('a', { brokerAccountId: '42' }), sim('b', { brokerAccountId: '43' })]],
    ['another REST endpoint', [sim('a', { brokerAccountId: '42', endpoints: { rest: 'http://127.0.0.1:1' } }), sim('b', { brokerAccountId: '42' })]],
    ['distinct ids without broker account ids', [sim('a'), sim('b')]],
  ])('accepts the same broker account number on %s', (_name, accounts) => {
    expect(issues(ws(accounts, [link('a', 'b')]))).toEqual([]);
  });

  it('refuses a chain of links that comes back to its first broker account, and accepts a plain chain', () => {
    expect(issues(ws([sim('a'), sim('b'), sim('c')], [link('a', 'b'), link('b', 'c')]))).toEqual([]);
    const twoWay = issues(ws([sim('a'), sim('b')], [link('a', 'b'), link('b', 'a')]));
    expect(twoWay).toContain('links[0].follower: copy loop through the same broker accounts: a -> b -> a');
    const aliased = issues(ws([sim('a'), sim('b'), sim('b2', { brokerAccountId: 'b' }), sim('a2', { brokerAccountId: 'a' })], [link('a', 'b'), link('b2', 'a2')]));
    expect(aliased).toContain('links[1].follower: copy loop through the same broker accounts: b2 -> a2 -> b');
  });
});
