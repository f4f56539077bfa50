// Kill switch calls: cancel all orders, close one or all positions; 207 multi-status answers read per item.
import { errorMessage } from '../../domain/errors.js';
import type { FlattenResult } from '../../ports/broker-adapter.js';
import { isNotFound, type AlpacaRestClient } from './client.js';
import { parseMultiStatus, type MultiStatusItem } from './parse.js';
import { PRIORITY } from './rate-limit.js';

const toResult = (symbol: string, i: MultiStatusItem): FlattenResult => ({
  symbol,
  ok: i.status >= 200 && i.status < 300,
  ...(i.status >= 300 ? { error: `HTTP ${i.status}${i.message ? ` ${i.message}` : ''}` } : {}),
});

/** DELETE /v2/orders: one result per order; symbolOf names the order's symbol when known. */
export async function cancelAll(rest: AlpacaRestClient, symbolOf: (orderId: string) => string | undefined): Promise<FlattenResult[]> {
  const { body } = await rest.request('DELETE', '/v2/orders', { priority: PRIORITY.flatten });
  return parseMultiStatus(body ?? [], 'id').map((i) => toResult(symbolOf(i.key) ?? i.key, i));
}

/** DELETE /v2/positions/{symbol}; no position (404) counts as flat. */
export async function closeOne(rest: AlpacaRestClient, symbol: string): Promise<FlattenResult> {
  try {
    await rest.request('DELETE', `/v2/positions/${encodeURIComponent(symbol)}`, { priority: PRIORITY.flatten });
    return { symbol, ok: true };
  } catch (err) {
    if (isNotFound(err)) return { symbol, ok: true };
    return { symbol, ok: false, error: errorMessage(err) };
  }
}

/** DELETE /v2/positions?cancel_orders=true: one result per symbol. */
export async function closeAll(rest: AlpacaRestClient): Promise<FlattenResult[]> {
  const { body } = await rest.request('DELETE', '/v2/positions', { query: { cancel_orders: true }, priority: PRIORITY.flatten });
  return parseMultiStatus(body ?? [], 'symbol').map((i) => toResult(i.key, i));
}
