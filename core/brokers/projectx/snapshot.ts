// ProjectX REST snapshot for catch-up: positions read before and after the trade search until they agree, so the
// trades and positions describe one consistent state; net positions after each trade are walked back from it.
import { Decimal } from '../../domain/decimal.js';
import type { ProjectXClient } from './client.js';
import { parseWith, positionSchema, tradeSchema, type PxPosition, type PxTrade } from './parse.js';

const ATTEMPTS = 3;

export interface TradeSnapshot {
  readonly positions: PxPosition[];
  /** Signed net per contract at the end of `trades`. */
  readonly net: Map<string, Decimal>;
  /** Trades since the requested start, oldest first. */
  readonly trades: PxTrade[];
  /** Malformed rows that were skipped. */
  readonly skipped: string[];
  /** False when trading never paused long enough for two equal position reads. */
  readonly consistent: boolean;
}

export const signedSize = (p: PxPosition): Decimal => (p.type === 2 ? Decimal.from(-p.size) : Decimal.from(p.size));

export async function tradeSnapshot(client: ProjectXClient, accountId: number, sinceMs: number): Promise<TradeSnapshot> {
  let before = await readPositions(client, accountId);
  for (let attempt = 1; ; attempt++) {
    const trades = await readTrades(client, accountId, sinceMs);
    const after = await readPositions(client, accountId);
    const consistent = sameNet(before.net, after.net);
    if (consistent || attempt >= ATTEMPTS) {
      return { positions: after.rows, net: after.net, trades: trades.rows, skipped: [...after.skipped, ...trades.skipped], consistent };
    }
    before = after;
  }
}

/**
 * Net position after each trade, walked back from the net at the end of the list, so the engine places a
 * missed execution exactly even if it already reset the leader from the same REST state.
 */
export function positionsAfter(trades: readonly PxTrade[], net: ReadonlyMap<string, Decimal>): Map<string, Decimal> {
  const running = new Map(net);
  const out = new Map<string, Decimal>();
  for (const t of [...trades].reverse()) {
    if (t.voided) continue;
    const qty = running.get(t.contractId) ?? Decimal.ZERO;
    out.set(t.id, qty);
    running.set(t.contractId, qty.sub(t.side === 0 ? t.size : -t.size));
  }
  return out;
}

export async function readPositions(client: ProjectXClient, accountId: number) {
  const body = await client.call<{ positions?: unknown[] }>('Position/searchOpen', { accountId }, { priority: 'query' });
  const rows: PxPosition[] = [];
  const skipped: string[] = [];
  const net = new Map<string, Decimal>();
  for (const row of body.positions ?? []) {
    const p = parseWith(positionSchema, row);
    if (!p.ok) {
      skipped.push(`position row: ${p.error}`);
      continue;
    }
    rows.push(p.value);
    net.set(p.value.contractId, (net.get(p.value.contractId) ?? Decimal.ZERO).add(signedSize(p.value)));
  }
  return { rows, net, skipped };
}

async function readTrades(client: ProjectXClient, accountId: number, sinceMs: number) {
  const body = await client.call<{ trades?: unknown[] }>('Trade/search',
    { accountId, startTimestamp: new Date(sinceMs).toISOString() }, { priority: 'query' });
  const rows: PxTrade[] = [];
  const skipped: string[] = [];
  for (const row of body.trades ?? []) {
    const t = parseWith(tradeSchema, row);
    if (t.ok) rows.push(t.value);
    else skipped.push(`trade row: ${t.error}`);
  }
  rows.sort((a, b) => a.creationTimestamp - b.creationTimestamp || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return { rows, skipped };
}

function sameNet(a: ReadonlyMap<string, Decimal>, b: ReadonlyMap<string, Decimal>): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) if (!(a.get(k) ?? Decimal.ZERO).eq(b.get(k) ?? Decimal.ZERO)) return false;
  return true;
}
