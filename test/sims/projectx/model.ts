// Simulator data model: wire-shaped account/contract/order/position/trade records, ids and .NET-style timestamps.
import { Decimal } from '../../../core/domain/decimal.js';

export const OrderStatus = { Open: 1, Filled: 2, Cancelled: 3, Expired: 4, Rejected: 5, Pending: 6, PendingCancel: 7, Suspended: 8 } as const;
export const OrderType = { Limit: 1, Market: 2, StopLimit: 3, Stop: 4, TrailingStop: 5 } as const;

export interface SimAccountInput {
  readonly id: number;
  /** The login (user name) that owns the account; default: the simulator's first user. */
  readonly user?: string;
  readonly name?: string;
  readonly balance?: string;
  readonly canTrade?: boolean;
  /** false = a live funded account (cancel refused). */
  readonly simulated?: boolean;
  /** A follower of TopstepX's built-in copier: cancel refused. */
  readonly copierFollower?: boolean;
  /** 'position' (default) rejects per-order brackets; 'oco' accepts them. */
  readonly bracketMode?: 'position' | 'oco';
}

export interface SimAccount {
  id: number;
  /** Owner login, lower case. */
  user: string;
  name: string;
  balance: Decimal;
  canTrade: boolean;
  isVisible: boolean;
  simulated: boolean;
  copierFollower: boolean;
  bracketMode: 'position' | 'oco';
  tags: Set<string>;
}

export interface SimContract {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tickSize: Decimal;
  readonly tickValue: Decimal;
  readonly activeContract: boolean;
  readonly symbolId: string;
}

export interface SimOrder {
  id: number;
  accountId: number;
  contractId: string;
  symbolId: string;
  creationTimestamp: string;
  updateTimestamp: string;
  status: number;
  type: number;
  side: 0 | 1;
  size: number;
  limitPrice?: Decimal;
  stopPrice?: Decimal;
  fillVolume: number;
  filledPrice?: Decimal;
  customTag?: string;
  parentOrderId?: number;
  linkedOrderId?: number;
  /** Bracket legs to arm when this entry fills: signed ticks. */
  brackets?: { sl?: number; tp?: number; slId?: number; tpId?: number };
  createdMs: number;
}

export interface SimPosition {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  /** Signed net size. */
  net: number;
  avg: Decimal;
  openingTradeId?: number;
}

export interface SimTrade {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  price: Decimal;
  profitAndLoss?: Decimal;
  fees: Decimal;
  commissions: Decimal;
  side: 0 | 1;
  size: number;
  voided: boolean;
  orderId: number;
  createdMs: number;
}

export const DEFAULT_CONTRACTS: readonly SimContract[] = [
  contract('CON.F.US.MES.Z26', 'MESZ6', 'Micro E-mini S&P 500: December 2026', '0.25', '1.25', true, 'F.US.MES'),
  contract('CON.F.US.MES.U26', 'MESU6', 'Micro E-mini S&P 500: September 2026', '0.25', '1.25', false, 'F.US.MES'),
  contract('CON.F.US.EP.Z26', 'ESZ6', 'E-mini S&P 500: December 2026', '0.25', '12.5', true, 'F.US.EP'),
  contract('CON.F.US.MNQ.Z26', 'MNQZ6', 'Micro E-mini Nasdaq-100: December 2026', '0.25', '0.5', true, 'F.US.MNQ'),
];

function contract(id: string, name: string, description: string, tick: string, value: string, active: boolean, symbolId: string): SimContract {
  return { id, name, description, tickSize: Decimal.from(tick), tickValue: Decimal.from(value), activeContract: active, symbolId };
}

let stampSeq = 0;
/** .NET-style ISO time: 7 fractional digits and a +00:00 offset. */
export function dotnetTime(ms: number): string {
  const iso = new Date(ms).toISOString().slice(0, 23);
  stampSeq = (stampSeq + 1) % 10000;
  return `${iso}${String(stampSeq).padStart(4, '0')}+00:00`;
}

/** JSON numbers for decimals (hub and REST both show plain numbers). */
const num = (d: Decimal | undefined): number | undefined => (d === undefined ? undefined : d.toNumber());

export const wireAccount = (a: SimAccount) => ({
  id: a.id, name: a.name, balance: a.balance.toNumber(), canTrade: a.canTrade, isVisible: a.isVisible, simulated: a.simulated,
});

export const wireContract = (c: SimContract) => ({
  id: c.id, name: c.name, description: c.description, tickSize: c.tickSize.toNumber(), tickValue: c.tickValue.toNumber(),
  activeContract: c.activeContract, symbolId: c.symbolId,
});

export const wireOrder = (o: SimOrder) => ({
  id: o.id, accountId: o.accountId, contractId: o.contractId, symbolId: o.symbolId, creationTimestamp: o.creationTimestamp,
  updateTimestamp: o.updateTimestamp, status: o.status, type: o.type, side: o.side, size: o.size,
  limitPrice: num(o.limitPrice), stopPrice: num(o.stopPrice), fillVolume: o.fillVolume, filledPrice: num(o.filledPrice),
  customTag: o.customTag, parentOrderId: o.parentOrderId, linkedOrderId: o.linkedOrderId,
});

export const wirePosition = (p: SimPosition, displayName: string) => ({
  id: p.id, accountId: p.accountId, contractId: p.contractId, contractDisplayName: displayName,
  creationTimestamp: p.creationTimestamp, type: p.net > 0 ? 1 : p.net < 0 ? 2 : 0, size: Math.abs(p.net), averagePrice: p.avg.toNumber(),
});

export const wireTrade = (t: SimTrade) => ({
  id: t.id, accountId: t.accountId, contractId: t.contractId, creationTimestamp: t.creationTimestamp, price: t.price.toNumber(),
  profitAndLoss: num(t.profitAndLoss), fees: t.fees.toNumber(), commissions: t.commissions.toNumber(), side: t.side,
  size: t.size, voided: t.voided, orderId: t.orderId,
});

/** REST bodies carry explicit nulls; the hub omits null-valued keys (JSON.stringify drops undefined). */
export const withNulls = <T extends Record<string, unknown>>(o: T): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === undefined ? null : v]));
