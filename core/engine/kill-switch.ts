// The kill switch, in this order: the scope is halted (persisted) first; then it waits, bounded, for orders already
// handed to adapters and unknown outcomes to settle (the send gate stops those not yet on the wire); cancels follower
// working orders; flattens where asked with journaled 'flatten' orders; sweeps once more; reports per follower.
import { Decimal } from '../domain/decimal.js';
import { followerClientId } from '../domain/client-id.js';
import { errorMessage } from '../domain/errors.js';
import { intentId, type AccountId, type ClientOrderId } from '../domain/ids.js';
import type { Position } from '../domain/order.js';
import type { Scope } from '../domain/trading-state.js';
import type { BrokerAdapter, FlattenResult } from '../ports/broker-adapter.js';
import type { EngineContext } from './context.js';
import type { FollowerHaltResult, HaltReport } from './events.js';
import type { IntentRecord } from './follower-book.js';
import type { OrderFlow } from './order-flow.js';

export interface HaltOptions {
  readonly scope: Scope;
  readonly cancelOpenOrders: boolean;
  readonly flattenPositions: boolean;
  readonly actor: string;
  readonly reason?: string;
}

const OPEN = new Set(['planned', 'unknown']);
const WORKING = new Set(['accepted', 'partially_filled', 'filled', 'cancel_requested']);

/**
 * Step 1: the scope is halted (persisted) and a critical alert says so. A scope already halted keeps its state change
 * as it was, but every pull of the kill switch is still reported: a person acted, and the steps below run again.
 */
export function markHalted(ctx: EngineContext, opts: HaltOptions): void {
  const already = ctx.states.get(opts.scope) === 'halted';
  const reason = opts.reason ?? 'kill switch';
  if (!already) ctx.changeState(opts.scope, 'halted', opts.actor, reason);
  ctx.raise({
    severity: 'critical',
    code: 'halted',
    message: `Copying halted for ${opts.scope === 'global' ? 'all followers' : opts.scope} by ${opts.actor}: ${reason}`,
    ...(opts.scope === 'global' ? {} : { accountId: opts.scope }),
  });
}

function openIntents(ctx: EngineContext, targets: readonly AccountId[]): IntentRecord[] {
  return targets.flatMap((id) => [...(ctx.followers.get(id)?.live.values() ?? [])].filter((r) => OPEN.has(r.status)));
}

/**
 * Step 2: waits until no intent of the targets is planned (handed to an adapter, not answered yet) or unknown, or
 * until ctx.haltWaitMs. Returns the client ids stopped before the wire and the intents still open at the deadline.
 */
function settleInFlight(ctx: EngineContext, targets: readonly AccountId[]): Promise<{ notSent: Map<AccountId, string[]>; open: IntentRecord[] }> {
  const notSent = new Map<AccountId, string[]>();
  const ids = new Set(targets);
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      off();
      ctx.clock.clearTimer(timer);
      resolve({ notSent, open: openIntents(ctx, targets) });
    };
    const off = ctx.events.on('intent', (i) => {
      if (!ids.has(i.followerAccountId)) return;
      if (i.status === 'not_placed') notSent.set(i.followerAccountId, [...(notSent.get(i.followerAccountId) ?? []), i.clientOrderId]);
      if (openIntents(ctx, targets).length === 0) finish();
    });
    const timer = ctx.clock.setTimer(ctx.haltWaitMs, finish);
    if (openIntents(ctx, targets).length === 0) finish();
  });
}

async function cancelWorking(adapter: BrokerAdapter, keep: ReadonlySet<ClientOrderId>): Promise<FlattenResult[]> {
  if (adapter.capabilities.cancelAll && keep.size === 0) return adapter.cancelAllOrders();
  const open = (await adapter.openOrders()).filter((o) => !o.clientOrderId || !keep.has(o.clientOrderId));
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

/** A journaled market order closing one position (purpose 'flatten'), sent past the halted state by the gate. */
async function flattenOne(ctx: EngineContext, flow: OrderFlow, id: AccountId, p: Position, adapter: BrokerAdapter): Promise<FlattenResult> {
  const link = ctx.links.find((l) => l.follower === id && Object.values(l.symbolMap).some((m) => m.symbol === p.symbol)) ?? ctx.links.find((l) => l.follower === id);
  if (!link) return adapter.closePosition(p.symbol);
  const now = ctx.clock.now();
  const sourceId = `flatten:${p.symbol}:${now}`;
  const cid = followerClientId(id, sourceId, 0);
  const rec: IntentRecord = {
    id: intentId(`${now.toString(36).padStart(9, '0')}-${cid}`),
    linkId: link.id,
    leaderAccountId: link.leader,
    followerAccountId: id,
    sourceId,
    attempt: 0,
    clientOrderId: cid,
    leaderSymbol: p.symbol,
    symbol: p.symbol,
    side: p.qty.sign() > 0 ? 'sell' : 'buy',
    qty: p.qty.abs(),
    orderType: 'market',
    purpose: 'flatten',
    dryRun: false,
    target: Decimal.ZERO,
    status: 'planned',
    filledQty: Decimal.ZERO,
    leaderReceivedAt: now,
    createdAt: now,
  };
  ctx.journal.insertIntents([rec]);
  ctx.book(id).add(rec);
  ctx.emitIntent(rec);
  await flow.submit(rec, { ...flow.request(rec), ...(p.instrumentId ? { instrumentId: p.instrumentId } : {}) });
  if (WORKING.has(rec.status)) return { symbol: p.symbol, ok: true };
  const why = rec.status === 'unknown' ? 'outcome unknown; settling by lookup' : (rec.error ?? rec.status);
  return { symbol: p.symbol, ok: false, error: why };
}

async function flattenAll(ctx: EngineContext, flow: OrderFlow, id: AccountId, adapter: BrokerAdapter, skip: ReadonlySet<string>): Promise<FlattenResult[]> {
  const positions = (await adapter.positions()).filter((p) => !p.qty.isZero() && !skip.has(p.symbol));
  return Promise.all(
    positions.map(async (p) => {
      try {
        return await flattenOne(ctx, flow, id, p, adapter);
      } catch (err) {
        return { symbol: p.symbol, ok: false, error: errorMessage(err) };
      }
    }),
  );
}

/** Cancels the follower's working orders in one symbol and closes its position there with journaled flatten orders. */
export async function flattenSymbol(ctx: EngineContext, flow: OrderFlow, id: AccountId, symbol: string): Promise<FlattenResult[]> {
  const adapter = ctx.brokers.get(id);
  if (!adapter) return [{ symbol, ok: false, error: 'not connected' }];
  const orders = (await adapter.openOrders()).filter((o) => o.symbol === symbol);
  const cancelled = await Promise.all(
    orders.map(async (o): Promise<FlattenResult> => {
      try {
        await adapter.cancelOrder(o.brokerOrderId);
        return { symbol, ok: true };
      } catch (err) {
        return { symbol, ok: false, error: errorMessage(err) };
      }
    }),
  );
  const positions = (await adapter.positions()).filter((p) => p.symbol === symbol && !p.qty.isZero());
  const closed = await Promise.all(positions.map((p) => flattenOne(ctx, flow, id, p, adapter).catch((err: unknown) => ({ symbol, ok: false, error: errorMessage(err) }))));
  return [...cancelled, ...closed];
}

async function step(errors: string[], what: string, fn: () => Promise<FlattenResult[]>): Promise<FlattenResult[]> {
  try {
    return await fn();
  } catch (err) {
    errors.push(`${what}: ${errorMessage(err)}`);
    return [];
  }
}

async function haltFollower(ctx: EngineContext, flow: OrderFlow, id: AccountId, opts: HaltOptions, waited: { notSent: string[]; open: IntentRecord[] }): Promise<FollowerHaltResult> {
  const adapter = ctx.brokers.get(id);
  const errors = waited.open.map((r) => `${r.clientOrderId} (${r.side} ${r.qty} ${r.symbol}): outcome still unknown after ${ctx.haltWaitMs} ms; settling continues`);
  const base = { accountId: id, notSent: waited.notSent, unsettled: waited.open.map((r) => r.clientOrderId) };
  if (!adapter) {
    if (opts.cancelOpenOrders || opts.flattenPositions) errors.push('not connected: nothing could be cancelled or closed');
    return { ...base, cancelled: [], flattened: [], swept: [], errors };
  }
  const cancelled = opts.cancelOpenOrders ? await step(errors, 'cancel orders', () => cancelWorking(adapter, new Set())) : [];
  const flattened = opts.flattenPositions ? await step(errors, 'flatten', () => flattenAll(ctx, flow, id, adapter, new Set())) : [];
  const flattenIds = new Set([...ctx.book(id).live.values()].filter((r) => r.purpose === 'flatten').map((r) => r.clientOrderId));
  // Symbols closed (or being closed) by this halt are not closed again on a position read that may lag the fill.
  const closing = new Set([...flattened.filter((r) => r.ok).map((r) => r.symbol), ...[...ctx.book(id).live.values()].filter((r) => r.purpose === 'flatten').map((r) => r.symbol)]);
  const swept = [
    ...(opts.cancelOpenOrders ? await step(errors, 'sweep orders', () => cancelWorking(adapter, flattenIds)) : []),
    ...(opts.flattenPositions ? await step(errors, 'sweep positions', () => flattenAll(ctx, flow, id, adapter, closing)) : []),
  ];
  for (const r of [...cancelled, ...flattened, ...swept]) if (!r.ok) errors.push(`${r.symbol}: ${r.error ?? 'failed'}`);
  return { ...base, cancelled, flattened, swept, errors };
}

export async function halt(ctx: EngineContext, flow: OrderFlow, opts: HaltOptions): Promise<HaltReport> {
  markHalted(ctx, opts);
  return haltSteps(ctx, flow, opts);
}

/** Steps 2-6 for a scope markHalted() already halted: wait, cancel, flatten, sweep, report. */
export async function haltSteps(ctx: EngineContext, flow: OrderFlow, opts: HaltOptions): Promise<HaltReport> {
  const targets = opts.scope === 'global' ? ctx.followerIds() : [opts.scope];
  const waited = await settleInFlight(ctx, targets);
  const followers = await Promise.all(
    targets.map((id) =>
      haltFollower(ctx, flow, id, opts, { notSent: waited.notSent.get(id) ?? [], open: waited.open.filter((r) => r.followerAccountId === id) }),
    ),
  );
  for (const f of followers) {
    if (f.errors.length === 0) continue;
    ctx.raise({ severity: 'critical', code: 'flatten_failed', message: `Kill switch on ${f.accountId} did not complete: ${f.errors.join('; ')}`, accountId: f.accountId });
  }
  return { scope: opts.scope, at: ctx.clock.now(), followers, ok: followers.every((f) => f.errors.length === 0) };
}
