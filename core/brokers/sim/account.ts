// SimAccount: one venue account's state (ledger, orders by id and client id, fills, injected faults).
import { Decimal } from '../../domain/decimal.js';
import type { BrokerOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, Execution } from '../../domain/order.js';
import { SimLedger } from './ledger.js';
import type { SimOrder } from './orders.js';

const MAX_KEPT_EXECUTIONS = 10_000;

export interface SimAccount {
  readonly id: string;
  readonly ledger: SimLedger;
  readonly orders: Map<BrokerOrderId, SimOrder>;
  /** The non-terminal subset of orders, kept so matching and queries do not scan history. */
  readonly open: Map<BrokerOrderId, SimOrder>;
  /** Every client id ever accepted (filled and cancelled ones too): reuse is a duplicate. */
  readonly byClientId: Map<string, SimOrder>;
  readonly executions: Execution[];
  execSeq: number;
  rejects: { count: number; reason: string };
  unknown: { count: number; placed: boolean };
}

export function newAccount(id: string, cash: Decimal): SimAccount {
  return {
    id, ledger: new SimLedger(cash), orders: new Map(), open: new Map(), byClientId: new Map(), executions: [], execSeq: 0,
    rejects: { count: 0, reason: '' }, unknown: { count: 0, placed: false },
  };
}

/** Keeps the latest fills for inspection (tests, demo), bounded. */
export function keepExecution(acct: SimAccount, execution: Execution): void {
  acct.executions.push(execution);
  if (acct.executions.length > MAX_KEPT_EXECUTIONS) acct.executions.shift();
}

export function accountSnapshot(
  acct: SimAccount,
  instrument: (symbol: string) => Instrument,
  last: (symbol: string) => Decimal,
): AccountSnapshot {
  let equity = acct.ledger.cash;
  for (const [key] of acct.ledger.positions()) equity = equity.add(acct.ledger.unrealised(instrument(key), last(key), key));
  return {
    accountId: acct.id as AccountSnapshot['accountId'], equity, cash: acct.ledger.cash,
    dayPnl: equity.sub(acct.ledger.startCash), currency: 'USD', canTrade: true,
  };
}
