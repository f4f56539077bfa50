// Engine test world: a TestClock, the in-process sim venue with a leader and followers, a journal and a started engine.
import { SimAdapter, SimExchange, type SimAdapterOptions } from '../../../core/brokers/sim/index.js';
import type { Alert, AlertCode } from '../../../core/domain/alert.js';
import { Decimal, type DecimalInput } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId, type AccountId } from '../../../core/domain/ids.js';
import type { BrokerOrder, OrderRequest } from '../../../core/domain/order.js';
import type { Side } from '../../../core/domain/side.js';
import {
  defaultLinkId,
  linkConfigSchema,
  riskSettingsSchema,
  type LinkConfig,
  type LinkConfigInput,
  type RiskSettings,
} from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerEvents, SendGate, Unsubscribe } from '../../../core/ports/broker-adapter.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { flushMicrotasks, TestClock } from '../../support/test-clock.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';

export const LEADER = accountId('L');

/** A SimAdapter whose stream can also carry test-made events (a duplicated or out-of-order broker message). */
export class TapAdapter extends SimAdapter {
  private readonly taps = new Map<keyof BrokerEvents, Set<(e: never) => void>>();
  /** With recordRequests: every order request handed to this adapter (fields the venue does not keep, e.g. extendedHours). */
  readonly requests: OrderRequest[] = [];
  recordRequests = false;

  override submitOrder(req: OrderRequest, gate?: SendGate): Promise<BrokerOrder> {
    if (this.recordRequests) this.requests.push(req);
    return super.submitOrder(req, gate);
  }

  override on<K extends keyof BrokerEvents>(event: K, listener: (e: BrokerEvents[K]) => void): Unsubscribe {
    const off = super.on(event, listener);
    let set = this.taps.get(event);
    if (!set) this.taps.set(event, (set = new Set()));
    const fn = listener as (e: never) => void;
    set.add(fn);
    return () => {
      set.delete(fn);
      off();
    };
  }

  deliver<K extends keyof BrokerEvents>(event: K, payload: BrokerEvents[K]): void {
    for (const fn of this.taps.get(event) ?? []) (fn as (e: BrokerEvents[K]) => void)(payload);
  }
}

export type LinkInput = Omit<LinkConfigInput, 'leader' | 'follower'> & { follower: string };

export function makeLink(input: LinkInput): LinkConfig {
  const parsed = linkConfigSchema.parse({ leader: LEADER, ...input });
  return { ...parsed, id: parsed.id ?? defaultLinkId(parsed.leader, parsed.follower) };
}

export interface WorldOptions {
  readonly links: readonly LinkInput[];
  readonly risk?: Parameters<typeof riskSettingsSchema.parse>[0];
  readonly journal?: SqliteJournal;
  readonly clock?: TestClock;
  readonly exchange?: SimExchange;
  readonly start?: boolean;
  readonly reversalInOneOrder?: boolean;
  /** Options for every follower adapter (capabilities, marketHours). */
  readonly follower?: Omit<SimAdapterOptions, 'accountId' | 'rateLimit'>;
}

export class World {
  readonly alerts: Alert[] = [];
  readonly intents: CopyIntent[] = [];
  private seq = 0;

  constructor(
    readonly clock: TestClock,
    readonly exchange: SimExchange,
    readonly journal: SqliteJournal,
    readonly leader: TapAdapter,
    readonly followers: Map<AccountId, TapAdapter>,
    readonly links: LinkConfig[],
    readonly risk: RiskSettings,
    readonly engine: CopyEngine,
    readonly notified: Alert[],
  ) {
    engine.on('alert', (a) => this.alerts.push(a));
    engine.on('intent', (i) => this.intents.push(i));
  }

  /** A leader market order; fills on the sim and arrives at the engine as leader executions. */
  trade(symbol: string, side: Side, qty: DecimalInput, tag?: string): void {
    this.exchange.submit(LEADER, {
      accountId: LEADER,
      clientOrderId: clientOrderId(tag ?? `lead-${++this.seq}`),
      symbol,
      side,
      qty: Decimal.from(qty),
      type: 'market',
      timeInForce: 'day',
      purpose: 'copy',
    });
  }

  /** Lets the sim fill, events flow and the engine finish everything queued (no clock movement). */
  async settle(): Promise<void> {
    for (let i = 0; i < 12; i++) {
      await flushMicrotasks();
      await this.engine.idle();
    }
  }

  /** settle(), repeated until no intent is live any more (partial fills arrive piece by piece). */
  async settleFully(maxRounds = 40): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      await this.settle();
      if (this.engine.snapshot().openIntents === 0) return;
    }
  }

  pos(follower: string, symbol: string): string {
    return this.exchange.position(follower, symbol).toString();
  }

  ordersOf(follower: string) {
    return this.exchange.orders(follower);
  }

  alertCodes(): AlertCode[] {
    return this.alerts.map((a) => a.code);
  }
}

/** The real SQLite journal on a private in-memory database, stamped with the test clock. */
export function memoryJournal(clock: TestClock): SqliteJournal {
  return openJournal(':memory:', { now: () => clock.now() });
}

export async function createWorld(opts: WorldOptions): Promise<World> {
  const clock = opts.clock ?? new TestClock();
  const exchange = opts.exchange ?? new SimExchange({ clock, seed: 7 });
  const links = opts.links.map(makeLink);
  const ids = [LEADER, ...new Set(links.map((l) => l.follower))];
  for (const id of ids) if (!exchange.hasAccount(id)) exchange.addAccount(id, { cash: id === LEADER ? 1_000_000 : 250_000 });
  const leader = new TapAdapter(exchange, LEADER, { rateLimit: false });
  const followers = new Map<AccountId, TapAdapter>();
  const brokers = new Map<AccountId, SimAdapter>([[LEADER, leader]]);
  for (const id of ids.slice(1)) {
    const a = new TapAdapter(exchange, id, { ...opts.follower, rateLimit: false });
    a.recordRequests = true;
    if (opts.reversalInOneOrder === false) Object.assign(a, { capabilities: { ...a.capabilities, reversalInOneOrder: false } });
    followers.set(id, a);
    brokers.set(id, a);
  }
  for (const a of brokers.values()) await a.connect();
  const risk = riskSettingsSchema.parse(opts.risk ?? {});
  const journal = opts.journal ?? memoryJournal(clock);
  const notified: Alert[] = [];
  const engine = new CopyEngine({ clock, journal, notifier: { notify: (a) => notified.push(a) }, brokers, links, risk });
  const world = new World(clock, exchange, journal, leader, followers, links, risk, engine, notified);
  if (opts.start !== false) {
    await engine.start();
    await world.settle();
  }
  return world;
}
