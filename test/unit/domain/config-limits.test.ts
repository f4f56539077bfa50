// Config files probed with absurd input: a flood of bad entries gives a short, capped report; numbers follow one rule
// whether written as JSON numbers or strings, within sane bounds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../../core/app/config-file.js';

const base = {
  accounts: [
    { id: 'lead', label: 'Leader', broker: 'sim' },
    { id: 'f1', label: 'F1', broker: 'sim' },
  ],
};
const withLink = (link: Record<string, unknown>) => ({ ...base, links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' }, ...link }] });

function problems(input: unknown): string[] {
  try {
    parseConfig(input, 'test');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('config limits', () => {
  it('issue 12 #18: 700,000 bad entries give a short report, not megabytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-config-'));
    const file = join(dir, 'flood.json');
    writeFileSync(file, JSON.stringify({ accounts: Array.from({ length: 700_000 }, () => ({ id: 'bad id!', label: 'x', broker: 'sim' })) }));
    let err: unknown;
    try {
      loadConfigFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message.length).toBeLessThan(2_000);
    expect(message).toContain('accounts: at most 1,000 entries, got 700,000');
  });

  it('issue 12 #18: many problems list the first 50 and count the rest', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({ id: `bad id ${i}!`, label: 'x', broker: 'sim' }));
    let err: unknown;
    try {
      parseConfig({ accounts }, 'test');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const { message, total, issues } = err as ConfigError;
    expect(message).toContain('accounts[0].id: letters, digits');
    expect(message).toContain('accounts[49].id');
    expect(message).not.toContain('accounts[50].id');
    expect(message).toContain('... and 950 more problems');
    expect(issues).toHaveLength(50);
    expect(total).toBe(1000);
  });

  it('issue 12 #18: a multiplier of 1e300 is refused the same way as a JSON number and as a string', () => {
    const asNumber = problems(withLink({ sizing: { mode: 'multiplier', value: 1e300 } }));
    const asString = problems(withLink({ sizing: { mode: 'multiplier', value: '1e300' } }));
    expect(asNumber).toHaveLength(1);
    expect(asString).toHaveLength(1);
    expect(asNumber[0]).toMatch(/^links\[0\]\.sizing\.value: /);
    expect(asNumber[0]!.replace('1e+300', '1e300')).toBe(asString[0]!.replace(/"1e300"/, '1e300'));
  });

  it.each([
    [{ sizing: { mode: 'multiplier', value: '1e23' } }, 'links[0].sizing.value'],
    [{ sizing: { mode: 'multiplier', value: '100000000000000000000000' } }, 'links[0].sizing.value: must be between -1000 and 1000'],
    [{ sizing: { mode: 'multiplier', value: 1e23 } }, 'links[0].sizing.value'],
    [{ sizing: { mode: 'fixed', value: '5000000000' } }, 'links[0].sizing.value: must be at most 1000000'],
    [{ sizing: { mode: 'multiplier', value: 0.30000000000000004 } }, 'at most 9 decimal places'],
    [{ symbolMap: { MES: { symbol: 'ES', factor: 1e30 } } }, 'links[0].symbolMap.MES.factor'],
    [{ caps: { maxOrderQty: '1e12' } }, 'links[0].caps.maxOrderQty'],
    [{ caps: { maxOpenPositions: 9e15 } }, 'links[0].caps.maxOpenPositions'],
  ])('issue 12 #18: out-of-bounds numbers are refused and named (%j)', (link, expected) => {
    expect(problems(withLink(link)).join('\n')).toContain(expected);
  });

  it('issue 12 #18: risk settings have upper bounds too', () => {
    expect(problems({ ...base, risk: { breaker: { maxOrders: 9e15 } } }).join('\n')).toContain('risk.breaker.maxOrders');
    expect(problems({ ...base, risk: { reconcileIntervalMs: 9e15 } }).join('\n')).toContain('risk.reconcileIntervalMs');
  });

  it('issue 12 #18: ordinary numbers still parse, as JSON numbers or strings', () => {
    expect(problems(withLink({ sizing: { mode: 'multiplier', value: -2.5 }, symbolMap: { MES: { symbol: 'ES', factor: 0.1 } } }))).toEqual([]);
    expect(problems(withLink({ sizing: { mode: 'notional', value: '25000.50' }, caps: { maxOrderQty: 10, maxPositionNotional: '1000000' } }))).toEqual([]);
  });
});
