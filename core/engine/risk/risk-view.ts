// The dashboard's view of one account's risk: day P&L parts, each guard's reading, locks, auto-flatten countdown.
import { tradingDayOf } from '../../domain/trading-day.js';
import type { AccountRiskView } from '../../contract/risk.js';
import type { AccountRisk } from './account-risk.js';
import { nextFlatten } from './auto-flatten.js';
import { higher } from './guard-checks.js';

export function riskView(a: AccountRisk, now: number): AccountRiskView {
  const day = a.day && now < a.day.endMs ? a.day : tradingDayOf(now, a.boundary);
  const current = day === a.day;
  const equity = a.equity();
  const flattenAt = nextFlatten(a.settings?.autoFlatten, now);
  const s = (d: { toString(): string } | undefined) => d?.toString();
  return {
    accountId: a.id,
    tradingDay: day.date,
    dayStart: day.startMs,
    dayEnd: day.endMs,
    currency: a.facts?.currency ?? '',
    startBalance: s(a.startBalance),
    equity: s(equity),
    dayPnl: a.pnl.net.toString(),
    realized: a.pnl.realized.toString(),
    unrealized: a.pnl.unrealized.toString(),
    fees: a.pnl.fees.toString(),
    marked: a.pnl.marked,
    state: a.state(now),
    guards: a.checks().map((c) => {
      const seen = current ? a.levels[c.kind] : undefined;
      const level = seen && higher(seen, c.level) ? seen : c.level;
      return {
        kind: c.kind,
        value: c.value.toString(),
        limit: c.limit.toString(),
        distance: level === 'breached' ? '0' : c.distance.toString(),
        unit: c.unit,
        level,
        action: c.action,
      };
    }),
    locks: a.locks.filter((l) => l.until === undefined || now < l.until).map((l) => ({ ...l })),
    ...(flattenAt === undefined ? {} : { autoFlattenAt: flattenAt }),
  };
}
