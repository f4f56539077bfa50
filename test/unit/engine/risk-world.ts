// Risk test world: the engine harness with guards configured per account before start, prices moved on the sim
// venue (its market data publishes them), and helpers that let guard actions (flattens) finish.
import { guardSettingsSchema, type GuardSettingsInput } from '../../../core/domain/guard-settings.js';
import { accountId } from '../../../core/domain/ids.js';
import type { DecimalInput } from '../../../core/domain/decimal.js';
import { createWorld, LEADER, type World, type WorldOptions } from './harness.js';

export interface RiskWorldOptions extends WorldOptions {
  /** Guards per account id (leader or follower). */
  readonly guards?: Readonly<Record<string, GuardSettingsInput>>;
}

export function configureGuards(world: World, guards: Readonly<Record<string, GuardSettingsInput>> = {}): void {
  const ids = [LEADER, ...world.followers.keys()];
  world.engine.setAccounts(
    ids.map((id) => ({ id, broker: 'sim' as const, ...(guards[id] ? { guards: guardSettingsSchema.parse(guards[id]) } : {}) })),
  );
}

export async function riskWorld(opts: RiskWorldOptions): Promise<World> {
  const world = await createWorld({ ...opts, start: false });
  configureGuards(world, opts.guards);
  if (opts.start !== false) {
    await world.engine.start();
    await world.settle();
  }
  return world;
}

/** Lets everything queued run, including the guards' flattens, until nothing moves. */
export async function settleRisk(world: World): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await world.settle();
    await world.engine.riskIdle();
    await world.settle();
  }
}

/** Moves the venue's last price (the sim's market data publishes it to the accounts watching it). */
export async function movePrice(world: World, symbol: string, price: DecimalInput): Promise<void> {
  world.exchange.setPrice(symbol, price);
  await settleRisk(world);
}

export const F1 = accountId('F1');
export const F2 = accountId('F2');

/** Orders the venue received for an account (all, in order). */
export const orderCount = (world: World, id: string): number => world.ordersOf(id).length;
