// The kill switch: halts a scope (persisted), then optionally cancels follower open orders and flattens positions.
import { errorMessage } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';
import type { BrokerAdapter, FlattenResult } from '../ports/broker-adapter.js';
import type { EngineContext } from './context.js';
import type { FollowerHaltResult, HaltReport } from './events.js';

export interface HaltOptions {
  readonly scope: Scope;
  readonly cancelOpenOrders: boolean;
  readonly flattenPositions: boolean;
  readonly actor: string;
  readonly reason?: string;
}

async function cancelAll(adapter: BrokerAdapter): Promise<FlattenResult[]> {
  if (adapter.capabilities.cancelAll) return adapter.cancelAllOrders();
  const open = await adapter.openOrders();
  return Promise.all(
    open.map(async (o): Promise<FlattenResult> => {
      try {
        await adapter.cancelOrder(o.brokerOrderId);
        return { symbol: o.symbol, ok: true };
      } catch (err) {
        return { symbol: o.symbol, ok: false, error: errorMessage(err) };
      }
    }),
  );
}

async function flatten(adapter: BrokerAdapter): Promise<FlattenResult[]> {
  const positions = (await adapter.positions()).filter((p) => !p.qty.isZero());
  return Promise.all(
    positions.map(async (p): Promise<FlattenResult> => {
      try {
        return await adapter.closePosition(p.symbol);
      } catch (err) {
        return { symbol: p.symbol, ok: false, error: errorMessage(err) };
      }
    }),
  );
}

async function haltFollower(ctx: EngineContext, id: AccountId, opts: HaltOptions): Promise<FollowerHaltResult> {
  const adapter = ctx.brokers.get(id);
  const errors: string[] = [];
  let cancelled: FlattenResult[] = [];
  let flattened: FlattenResult[] = [];
  if (!adapter) return { accountId: id, cancelled, flattened, errors: opts.cancelOpenOrders || opts.flattenPositions ? ['no adapter for this account'] : [] };
  if (opts.cancelOpenOrders) {
    try {
      cancelled = await cancelAll(adapter);
    } catch (err) {
      errors.push(`cancel orders: ${errorMessage(err)}`);
    }
  }
  if (opts.flattenPositions) {
    try {
      flattened = await flatten(adapter);
    } catch (err) {
      errors.push(`flatten: ${errorMessage(err)}`);
    }
  }
  for (const r of [...cancelled, ...flattened]) if (!r.ok) errors.push(`${r.symbol}: ${r.error ?? 'failed'}`);
  if (errors.length > 0) {
    ctx.raise({
      severity: 'critical',
      code: 'flatten_failed',
      message: `Kill switch on ${id} did not complete: ${errors.join('; ')}`,
      accountId: id,
    });
  }
  return { accountId: id, cancelled, flattened, errors };
}

export async function halt(ctx: EngineContext, opts: HaltOptions): Promise<HaltReport> {
  const reason = opts.reason ?? 'kill switch';
  ctx.changeState(opts.scope, 'halted', opts.actor, reason);
  ctx.raise({
    severity: 'critical',
    code: 'halted',
    message: `Copying halted for ${opts.scope === 'global' ? 'all followers' : opts.scope} by ${opts.actor}: ${reason}`,
    ...(opts.scope === 'global' ? {} : { accountId: opts.scope }),
  });
  const targets = opts.scope === 'global' ? ctx.followerIds() : [opts.scope];
  const followers = await Promise.all(targets.map((id) => haltFollower(ctx, id, opts)));
  return { scope: opts.scope, at: ctx.clock.now(), followers, ok: followers.every((f) => f.errors.length === 0) };
}
