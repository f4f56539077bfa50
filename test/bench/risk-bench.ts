// Risk book benchmark: cost per price tick (onQuote + evaluate) with 50 accounts x 20 positions and every guard set,
// against a baseline loop that only re-marks the same positions. Wall-clock percentiles include time the process was
// preempted on a busy machine; the CPU figure does not. Run: npm run bench:risk [-- --ticks 20000]
import { loadavg } from 'node:os';
import { Decimal } from '../../core/domain/decimal.js';
import { guardSettingsSchema } from '../../core/domain/guard-settings.js';
import { accountId } from '../../core/domain/ids.js';
import { FUTURES_DAY, instantOf } from '../../core/domain/trading-day.js';
import { RiskBook } from '../../core/engine/risk/risk-book.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = 50;
const POSITIONS = 20;
const TICKS = arg('ticks', 20_000);

const guards = guardSettingsSchema.parse({
  dailyLoss: { limit: '100000' },
  profitTarget: { target: '100000' },
  trailingDrawdown: { amount: '100000', mode: 'intraday', stopAt: '1000000' },
  maxDrawdownPct: { percent: 50 },
  minBuyingPowerPct: { percent: 1 },
  maxPositionPct: { percent: 100 },
  autoFlatten: { time: '15:08', warnMinutes: 5 },
});

/** Instrument of position p of account a: shared = every account holds the same 20 (a copier's followers). */
const instrument = (shared: boolean, a: number, p: number) => (shared ? `I${p}` : `I${a}-${p}`);
const base = (p: number) => Decimal.from(100 + p * 10);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(label: string, us: number[]): string {
  us.sort((a, b) => a - b);
  const mean = us.reduce((s, x) => s + x, 0) / us.length;
  return `${label}: p50 ${percentile(us, 50).toFixed(1)} us, p99 ${percentile(us, 99).toFixed(1)} us, mean ${mean.toFixed(1)} us`;
}

/** A random walk of ticks over the instruments: [instrument index, price]. */
function ticks(n: number): Array<[number, Decimal]> {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const prices = Array.from({ length: POSITIONS }, (_, p) => base(p));
  return Array.from({ length: n }, () => {
    const p = Math.floor(rnd() * POSITIONS);
    prices[p] = prices[p]!.add(Decimal.from(Math.round((rnd() - 0.5) * 8)).mul('0.25'));
    return [p, prices[p]!] as [number, Decimal];
  });
}

interface Run {
  readonly us: number[];
  /** CPU time of the whole run per tick (user + system): not inflated when other processes take the cores. */
  readonly cpuUs: number;
  readonly idle: number[];
}

function riskBook(shared: boolean, stream: Array<[number, Decimal]>, start: number): Run {
  const book = new RiskBook();
  for (let a = 0; a < ACCOUNTS; a++) {
    const id = accountId(`F${a}`);
    book.configure(id, guards, FUTURES_DAY);
    book.onAccount(id, { equity: Decimal.from(500_000), buyingPower: Decimal.from(400_000), currency: 'USD' });
    for (let p = 0; p < POSITIONS; p++) {
      book.onPosition(id, { instrumentId: instrument(shared, a, p), symbol: `S${p}`, qty: Decimal.from((p % 5) + 1), avgPrice: base(p), multiplier: Decimal.from(5) });
    }
  }
  for (let a = 0; a < ACCOUNTS; a++) for (let p = 0; p < POSITIONS; p++) book.onQuote(instrument(shared, a, p), base(p), start);
  book.evaluate(start);
  const us: number[] = [];
  let decisions = 0;
  const cpu0 = process.cpuUsage();
  stream.forEach(([p, price], i) => {
    const at = start + i;
    const account = i % ACCOUNTS;
    const t0 = performance.now();
    book.onQuote(instrument(shared, account, p), price, at);
    decisions += book.evaluate(at).length;
    us.push((performance.now() - t0) * 1000);
  });
  const cpu = process.cpuUsage(cpu0);
  if (decisions > 0) console.log(`  (${decisions} guard decisions during the run)`);
  const idle: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t0 = performance.now();
    book.evaluate(start + stream.length + i);
    idle.push((performance.now() - t0) * 1000);
  }
  return { us, cpuUs: (cpu.user + cpu.system) / stream.length, idle };
}

/** Baseline: the same re-marking as bare arithmetic (qty x (mark - avg) x multiplier summed per holding account). */
function baseline(shared: boolean, stream: Array<[number, Decimal]>): Run {
  const qty = Array.from({ length: POSITIONS }, (_, p) => Decimal.from((p % 5) + 1));
  const sums = Array.from({ length: ACCOUNTS }, () => Decimal.ZERO);
  const us: number[] = [];
  const five = Decimal.from(5);
  const cpu0 = process.cpuUsage();
  stream.forEach(([p, price], i) => {
    const t0 = performance.now();
    const holders = shared ? ACCOUNTS : 1;
    for (let k = 0; k < holders; k++) {
      const a = shared ? k : i % ACCOUNTS;
      sums[a] = sums[a]!.add(qty[p]!.mul(price.sub(base(p))).mul(five));
    }
    us.push((performance.now() - t0) * 1000);
  });
  const cpu = process.cpuUsage(cpu0);
  return { us, cpuUs: (cpu.user + cpu.system) / stream.length, idle: [] };
}

const start = instantOf(2026, 3, 4, 9, 0, 'America/Chicago');
const stream = ticks(TICKS);
console.log(
  `risk book benchmark (node ${process.version}, load ${loadavg()[0]!.toFixed(2)}): ${ACCOUNTS} accounts x ${POSITIONS} positions, ` +
    `every guard configured, ${TICKS} ticks, cost per tick = onQuote + evaluate`,
);
for (const shared of [true, false]) {
  const what = shared ? 'all accounts hold the same 20 instruments (a tick re-checks 50 accounts)' : 'each account holds its own 20 instruments (a tick re-checks 1 account)';
  console.log(what);
  riskBook(shared, ticks(2000), start); // warm-up
  const run = riskBook(shared, stream, start);
  console.log(`  ${summary('risk book', run.us)}; CPU ${run.cpuUs.toFixed(1)} us per tick (target well under 1000 us)`);
  console.log(`  ${summary('evaluate with nothing changed', run.idle)}`);
  baseline(shared, ticks(2000));
  const base = baseline(shared, stream);
  console.log(`  ${summary('baseline (re-mark only)', base.us)}; CPU ${base.cpuUs.toFixed(1)} us per tick`);
}
