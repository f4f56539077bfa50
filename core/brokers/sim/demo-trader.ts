// DemoTrader: a seeded bot that trades a leader account (open, scale in/out, reverse, flatten) for the demo.
import { Decimal } from '../../domain/decimal.js';
import { clientOrderId, type ClientOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import { opposite, sideOf, type Side } from '../../domain/side.js';
import type { BrokerAdapter } from '../../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { mulberry32, pick, randomInt, type RandomSource } from '../shared/random.js';

export interface DemoTraderOptions {
  /** The leader's adapter; the bot sends its orders through it. */
  readonly adapter: BrokerAdapter;
  readonly clock: Clock;
  readonly seed?: number;
  readonly intervalMs?: number;
  readonly symbols?: readonly string[];
  /** Client ids are `<prefix>-<seq>`; default 'demo'. */
  readonly clientIdPrefix?: string;
  /** Told about every failed tick; the bot keeps trading. */
  readonly onError?: (err: unknown) => void;
}

export type DemoActionKind = 'open' | 'scale_in' | 'scale_out' | 'reverse' | 'flatten';

export interface DemoAction {
  readonly kind: DemoActionKind;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly clientOrderId: ClientOrderId;
  readonly at: number;
}

/** What a burst tracks between its orders, so that each costs the broker one request. */
interface BurstState {
  readonly positions: Map<string, Decimal>;
  readonly instruments: Map<string, Instrument>;
}

/** The most orders one burst may send. */
export const MAX_DEMO_BURST = 200;

/** Order sizes in lots: futures trade 5-20 contracts (max 30 held, so a 10:1 MES -> ES follower gets whole ES), equities 10-50 shares (max 150). */
const SIZING = {
  future: { unit: 5, maxUnits: 6 },
  equity: { unit: 10, maxUnits: 15 },
} as const;

export class DemoTrader {
  private readonly adapter: BrokerAdapter;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly intervalMs: number;
  private readonly symbols: readonly string[];
  private readonly prefix: string;
  private readonly onError: (err: unknown) => void;
  private readonly actions: DemoAction[] = [];
  private seq = 0;
  /** The tick or burst in progress; they never overlap. */
  private current: Promise<unknown> | undefined;
  private timer: TimerHandle | undefined;

  constructor(opts: DemoTraderOptions) {
    this.adapter = opts.adapter;
    this.clock = opts.clock;
    this.random = mulberry32(opts.seed ?? 1);
    this.intervalMs = opts.intervalMs ?? 2000;
    this.symbols = opts.symbols ?? ['MES', 'AAPL'];
    if (this.symbols.length === 0) throw new RangeError('DemoTrader needs at least one symbol');
    this.prefix = opts.clientIdPrefix ?? 'demo';
    this.onError = opts.onError ?? (() => {});
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.timer = this.clock.setTimer(this.intervalMs, loop);
      void this.tick();
    };
    this.timer = this.clock.setTimer(this.intervalMs, loop);
  }

  stop(): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Every order sent so far, oldest first. */
  history(): readonly DemoAction[] {
    return this.actions;
  }

  /** Decides and sends one order now; undefined when a tick or burst is still in flight or it failed. */
  tick(): Promise<DemoAction | undefined> {
    if (this.current) return Promise.resolve(undefined);
    return this.exclusive(() =>
      this.trade().catch((err: unknown) => {
        this.onError(err);
        return undefined;
      }),
    );
  }

  /**
   * Sends `n` orders (1..MAX_DEMO_BURST) back to back, after any tick in flight, without waiting for fills: each
   * decision counts the bot's own earlier orders of the burst as filled. Stops at the first failed order: throws it
   * when nothing was sent, else reports it to onError and returns what was sent.
   */
  async burst(n: number): Promise<DemoAction[]> {
    if (!Number.isInteger(n) || n < 1 || n > MAX_DEMO_BURST) throw new RangeError(`a burst is 1 to ${MAX_DEMO_BURST} orders, not ${n}`);
    while (this.current) await this.current.catch(() => undefined);
    return this.exclusive(async () => {
      const burst: BurstState = { positions: new Map(), instruments: new Map() };
      const sent: DemoAction[] = [];
      for (let i = 0; i < n; i++) {
        try {
          sent.push(await this.trade(burst));
        } catch (err) {
          if (sent.length === 0) throw err;
          this.onError(err);
          break;
        }
      }
      return sent;
    });
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const p: Promise<T> = run().finally(() => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
    return p;
  }

  /** One order; in a burst, decided on the positions its earlier orders lead to (ahead of their fills). */
  private async trade(burst?: BurstState): Promise<DemoAction> {
    const symbol = pick(this.random, this.symbols);
    const inst = burst?.instruments.get(symbol) ?? (await this.adapter.instrument(symbol));
    burst?.instruments.set(symbol, inst);
    const held = burst?.positions.get(inst.symbol) ?? (await this.adapter.positions()).find((p) => p.symbol === inst.symbol)?.qty ?? Decimal.ZERO;
    const action = this.decide(inst, held);
    await this.adapter.submitOrder({
      accountId: this.adapter.accountId, clientOrderId: action.clientOrderId, symbol: inst.symbol, side: action.side,
      qty: action.qty, type: 'market', timeInForce: 'day', purpose: 'copy',
    });
    this.actions.push(action);
    burst?.positions.set(inst.symbol, action.side === 'buy' ? held.add(action.qty) : held.sub(action.qty));
    return action;
  }

  private decide(inst: Instrument, held: Decimal): DemoAction {
    const { unit, maxUnits } = SIZING[inst.assetClass];
    const lot = inst.lotSize.mul(unit);
    const size = (n: number) => lot.mul(n);
    const heldUnits = Number(held.abs().div(lot).roundTowardZero(1).toString());
    const make = (kind: DemoActionKind, side: Side, qty: Decimal): DemoAction => ({
      kind, symbol: inst.symbol, side, qty, clientOrderId: clientOrderId(`${this.prefix}-${++this.seq}`), at: this.clock.now(),
    });
    if (held.isZero() || heldUnits === 0) {
      const side: Side = this.random() < 0.5 ? 'buy' : 'sell';
      return held.isZero() ? make('open', side, size(randomInt(this.random, 1, 4))) : make('flatten', opposite(sideOf(held)), held.abs());
    }
    const along = sideOf(held);
    const r = this.random();
    if (r < 0.3 && heldUnits < maxUnits) {
      return make('scale_in', along, size(randomInt(this.random, 1, Math.min(3, maxUnits - heldUnits))));
    }
    if (r < 0.55 && heldUnits > 1) {
      return make('scale_out', opposite(along), size(randomInt(this.random, 1, heldUnits - 1)));
    }
    if (r < 0.75 && this.adapter.capabilities.reversalInOneOrder) {
      return make('reverse', opposite(along), held.abs().add(size(randomInt(this.random, 1, 4))));
    }
    return make('flatten', opposite(along), held.abs());
  }
}
