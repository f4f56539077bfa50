// Sim bracket children, ProjectX Auto-OCO style: an entry that asked for a bracket gets a stop-loss (stop-market) and a
// take-profit (limit) once it has filled, sized to its fill and priced in ticks from its average fill; they carry no
// client id, link to the entry by parentId, and one filling cancels the other (OCO). They stay working when the
// position is closed some other way: only the account owner cancels them.
import { Decimal } from '../../domain/decimal.js';
import type { BrokerOrderId } from '../../domain/ids.js';
import type { OrderRequest } from '../../domain/order.js';
import { opposite } from '../../domain/side.js';
import { simErrors } from './errors.js';
import type { SimOrder } from './orders.js';

/** Throws 'invalid' for a bracket the venue would refuse (ticks must be positive whole numbers). */
export function validateBracket(req: OrderRequest): void {
  const b = req.bracket;
  if (!b) return;
  for (const t of [b.stopLossTicks, b.takeProfitTicks]) {
    if (t !== undefined && (!Number.isInteger(t) || t === 0)) throw simErrors.invalid(`bracket ticks must be non-zero whole numbers, got ${t}`);
  }
}

/** The children for an entry that filled `qty` at average `avg` (none when it asked for no bracket). */
export function bracketChildren(entry: SimOrder, qty: Decimal, avg: Decimal, nextId: () => BrokerOrderId, now: number): SimOrder[] {
  const b = entry.bracket;
  if (!b || qty.sign() <= 0) return [];
  const tick = entry.inst.tickSize;
  const dir = entry.side === 'buy' ? 1 : -1;
  const base = {
    accountId: entry.accountId, inst: entry.inst, key: entry.key, side: opposite(entry.side), qty, timeInForce: 'gtc' as const,
    purpose: entry.purpose, parentId: entry.id, filledQty: Decimal.ZERO, filledValue: Decimal.ZERO,
    status: 'accepted' as const, updatedAt: now, working: false,
  };
  const out: SimOrder[] = [];
  if (b.stopLossTicks) {
    const stopPrice = avg.sub(tick.mul(Math.abs(b.stopLossTicks) * dir)).roundToStep(tick).max(tick);
    out.push({ ...base, id: nextId(), type: 'market', stopPrice, role: 'stop_loss' });
  }
  if (b.takeProfitTicks) {
    const limitPrice = avg.add(tick.mul(Math.abs(b.takeProfitTicks) * dir)).roundToStep(tick).max(tick);
    out.push({ ...base, id: nextId(), type: 'limit', limitPrice, role: 'take_profit' });
  }
  return out;
}
