// DemoTrader: seeded and deterministic, trades on the clock, shows every kind of copy, survives failures.
import { describe, expect, it } from 'vitest';
import { DemoTrader, SimAdapter, SimExchange } from '../../../../core/brokers/sim/index.js';
import { MAX_DEMO_BURST } from '../../../../core/brokers/sim/demo-trader.js';
import { TestClock } from '../../../support/test-clock.js';

async function run(seed: number, ticks: number, symbols?: string[]) {
  const clock = new TestClock(0);
  const ex = new SimExchange({ clock, seed: 3, slippageTicks: 1, partialFillProbability: 0.3, latencyMs: 2 });
  ex.addAccount('L', { cash: 250_000 });
  const adapter = new SimAdapter(ex, 'L', { rateLimit: false });
  await adapter.connect();
  const errors: unknown[] = [];
  const bot = new DemoTrader({ adapter, clock, seed, intervalMs: 1000, ...(symbols ? { symbols } : {}), onError: (e) => errors.push(e) });
  bot.start();
  for (let i = 0; i < ticks; i++) {
    ex.step();
    await clock.advanceAsync(1000);
  }
  bot.stop();
  await clock.advanceAsync(100);
  const orders = bot.history().map((a) => `${a.kind} ${a.symbol} ${a.side} ${a.qty} ${a.clientOrderId}`);
  return { ex, bot, orders, errors, clock };
}

describe('DemoTrader', () => {
  it('sends the same orders for the same seed and different ones for another seed', async () => {
    const a = await run(21, 40);
    const b = await run(21, 40);
    const c = await run(22, 40);
    expect(a.orders).toHaveLength(40);
    expect(a.orders).toEqual(b.orders);
    expect(c.orders).not.toEqual(a.orders);
    expect(a.errors).toEqual([]);
  });

  it('opens, scales in, scales out, reverses and flattens, with client ids demo-<seq> and realistic sizes', async () => {
    const { bot, ex } = await run(5, 120);
    const kinds = new Set(bot.history().map((a) => a.kind));
    expect(kinds).toEqual(new Set(['open', 'scale_in', 'scale_out', 'reverse', 'flatten']));
    expect(bot.history().map((a) => a.clientOrderId)).toEqual(bot.history().map((_, i) => `demo-${i + 1}`));
    for (const a of bot.history()) {
      expect(a.qty.gt(0)).toBe(true);
      if (a.symbol === 'MES') expect(a.qty.isMultipleOf(5) && a.qty.cmp(50) <= 0).toBe(true);
      if (a.symbol === 'AAPL') expect(a.qty.isMultipleOf(10) && a.qty.cmp(190) <= 0).toBe(true);
    }
    for (const p of ex.positions('L')) expect(p.qty.abs().cmp(p.symbol === 'MES' ? 30 : 150)).toBeLessThanOrEqual(0);
    expect(ex.executions('L').length).toBeGreaterThanOrEqual(120);
  });

  it('trades only while started and only its configured symbols', async () => {
    const { bot, clock } = await run(9, 10, ['ES']);
    expect(bot.running).toBe(false);
    expect(new Set(bot.history().map((a) => a.symbol))).toEqual(new Set(['ES']));
    const count = bot.history().length;
    await clock.advanceAsync(10_000);
    expect(bot.history()).toHaveLength(count);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports a failed order and keeps trading', async () => {
    const clock = new TestClock(0);
    const ex = new SimExchange({ clock, seed: 1 });
    ex.addAccount('L', { cash: 10_000 });
    const adapter = new SimAdapter(ex, 'L');
    await adapter.connect();
    const errors: unknown[] = [];
    const bot = new DemoTrader({ adapter, clock, seed: 1, onError: (e) => errors.push(e) });
    ex.injectRejects('L', 1, 'demo reject');
    expect(await bot.tick()).toBeUndefined();
    expect(await bot.tick()).toBeDefined();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('demo reject');
    expect(() => new DemoTrader({ adapter, clock, symbols: [] })).toThrow(RangeError);
  });
});

describe('DemoTrader.burst', () => {
  async function world() {
    const clock = new TestClock(0);
    const ex = new SimExchange({ clock, seed: 3, latencyMs: 2 });
    ex.addAccount('L', { cash: 250_000 });
    const sim = new SimAdapter(ex, 'L', { rateLimit: false });
    await sim.connect();
    // Counts the broker requests that are not orders (each one costs a rate-limit token on a real connection).
    const reads = { instrument: 0, positions: 0 };
    const adapter: SimAdapter = Object.create(sim);
    adapter.instrument = (symbol) => (reads.instrument++, sim.instrument(symbol));
    adapter.positions = () => (reads.positions++, sim.positions());
    const errors: unknown[] = [];
    const bot = new DemoTrader({ adapter, clock, seed: 4, onError: (e) => errors.push(e) });
    return { clock, ex, adapter, bot, errors, reads };
  }

  it('sends n orders back to back without the clock moving, sized as if each earlier one had filled', async () => {
    const { clock, ex, bot, errors, reads } = await world();
    const sent = await bot.burst(80);
    expect(sent).toHaveLength(80);
    expect(clock.now()).toBe(0);
    expect(sent.every((a) => a.at === 0)).toBe(true);
    expect(sent.map((a) => a.clientOrderId)).toEqual(sent.map((_, i) => `demo-${i + 1}`));
    await clock.advanceAsync(100);
    expect(ex.executions('L').length).toBeGreaterThanOrEqual(80);
    const kinds = new Set(sent.map((a) => a.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    // Each decision used the position the burst's earlier orders lead to, so the bot's size limits held throughout.
    const net = new Map<string, number>();
    for (const a of sent) {
      const q = Number(a.qty.toString()) * (a.side === 'buy' ? 1 : -1);
      net.set(a.symbol, (net.get(a.symbol) ?? 0) + q);
      expect(Math.abs(net.get(a.symbol)!)).toBeLessThanOrEqual(a.symbol === 'MES' ? 30 : 150);
    }
    for (const p of ex.positions('L')) expect(p.qty.toString()).toBe(String(net.get(p.symbol)));
    expect(errors).toEqual([]);
    expect(reads).toEqual({ instrument: 2, positions: 2 });
  });

  it('refuses sizes outside 1..MAX_DEMO_BURST and sends nothing', async () => {
    const { bot, ex } = await world();
    for (const n of [0, -1, 1.5, MAX_DEMO_BURST + 1, Number.NaN]) await expect(bot.burst(n)).rejects.toThrow(RangeError);
    expect(bot.history()).toHaveLength(0);
    expect(ex.executions('L')).toHaveLength(0);
    expect(await bot.burst(MAX_DEMO_BURST)).toHaveLength(MAX_DEMO_BURST);
  });

  it('waits for a tick in flight, and timer ticks skip while the burst runs', async () => {
    const { bot } = await world();
    const tick = bot.tick();
    const burst = bot.burst(5);
    expect(await bot.tick()).toBeUndefined();
    const first = await tick;
    const sent = await burst;
    expect(first?.clientOrderId).toBe('demo-1');
    expect(sent.map((a) => a.clientOrderId)).toEqual(['demo-2', 'demo-3', 'demo-4', 'demo-5', 'demo-6']);
    expect(await bot.tick()).toBeDefined();
  });

  it('throws the first failure when nothing was sent, else stops there and returns what was sent', async () => {
    const { ex, bot, errors } = await world();
    ex.injectRejects('L', 1, 'demo reject');
    await expect(bot.burst(3)).rejects.toThrow('demo reject');
    expect(errors).toEqual([]);
    expect(await bot.burst(3)).toHaveLength(3);
  });
});
