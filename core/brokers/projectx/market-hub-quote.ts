// ProjectX GatewayQuote data: a SPARSE update (a field left out keeps its last value, it is not zero) merged into the
// contract's book; price = lastPrice, else the bestBid/bestAsk midpoint.
import { Decimal } from '../../domain/decimal.js';
import { parseTime } from './parse.js';

export interface BookState {
  readonly lastPrice?: Decimal;
  readonly bestBid?: Decimal;
  readonly bestAsk?: Decimal;
}

export interface HubQuote {
  readonly contractId: string;
  readonly price: Decimal;
  readonly bid?: Decimal;
  readonly ask?: Decimal;
  readonly at: number;
}

export type MergeResult =
  | { ok: true; book: BookState; quote?: Omit<HubQuote, 'contractId'> }
  | { ok: false; error: string };

const FIELDS = ['lastPrice', 'bestBid', 'bestAsk'] as const;

/** Merges one quote into the book; a present field that is not a positive number makes the whole quote unreadable. */
export function mergeQuote(book: BookState, data: unknown, now: number): MergeResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'data is not an object' };
  const d = data as Record<string, unknown>;
  const next: { -readonly [K in keyof BookState]: BookState[K] } = { ...book };
  for (const f of FIELDS) {
    const v = d[f];
    if (v === undefined || v === null) continue;
    const dec = typeof v === 'number' || typeof v === 'string' ? Decimal.tryFrom(v) : undefined;
    if (!dec || dec.sign() <= 0) return { ok: false, error: `${f} ${JSON.stringify(v)}` };
    next[f] = dec;
  }
  const stamp = typeof d.timestamp === 'string' ? parseTime(d.timestamp) : typeof d.lastUpdated === 'string' ? parseTime(d.lastUpdated) : undefined;
  const { lastPrice, bestBid, bestAsk } = next;
  const price = lastPrice ?? (bestBid && bestAsk ? bestBid.add(bestAsk).div(2) : undefined);
  if (!price) return { ok: true, book: next };
  return {
    ok: true, book: next,
    quote: { price, ...(bestBid ? { bid: bestBid } : {}), ...(bestAsk ? { ask: bestAsk } : {}), at: stamp ?? now },
  };
}
