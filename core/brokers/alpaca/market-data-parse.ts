// Alpaca market data stream messages: a frame is a JSON array of objects typed by `T` (success, error, subscription,
// t trade, q quote, ...); numbers are JSON numbers. Unreadable items are reported, never thrown.
import { Decimal } from '../../domain/decimal.js';
import { isObj, parseTime, type Obj } from './parse.js';

export type DataMessage =
  | { readonly kind: 'success'; readonly msg: string }
  | { readonly kind: 'error'; readonly code: number; readonly msg: string }
  | { readonly kind: 'subscription'; readonly symbols: readonly string[] }
  | { readonly kind: 'trade'; readonly symbol: string; readonly price: Decimal; readonly at?: number }
  | { readonly kind: 'quote'; readonly symbol: string; readonly bid?: Decimal; readonly ask?: Decimal; readonly at?: number }
  | { readonly kind: 'other'; readonly type: string };

export interface ParsedFrame {
  readonly messages: DataMessage[];
  /** What could not be read (a whole frame, or single items of it). */
  readonly problems: string[];
}

const positive = (v: unknown): Decimal | undefined => {
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  const d = Decimal.tryFrom(v);
  return d && d.sign() > 0 ? d : undefined;
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function item(o: Obj): DataMessage | string {
  const type = o.T;
  if (typeof type !== 'string') return 'a message without a type (T)';
  const at = parseTime(o.t);
  const symbol = typeof o.S === 'string' && o.S.length > 0 ? o.S : undefined;
  switch (type) {
    case 'success':
      return { kind: 'success', msg: typeof o.msg === 'string' ? o.msg : '' };
    case 'error':
      return { kind: 'error', code: typeof o.code === 'number' ? o.code : 0, msg: typeof o.msg === 'string' ? o.msg : '' };
    case 'subscription':
      return { kind: 'subscription', symbols: [...new Set([...strings(o.trades), ...strings(o.quotes)])] };
    case 't': {
      const price = positive(o.p);
      if (!symbol || !price) return `a trade without a symbol or a positive price (${JSON.stringify(o).slice(0, 80)})`;
      return { kind: 'trade', symbol, price, ...(at !== undefined ? { at } : {}) };
    }
    case 'q': {
      if (!symbol) return 'a quote without a symbol';
      const bid = positive(o.bp);
      const ask = positive(o.ap);
      return { kind: 'quote', symbol, ...(bid ? { bid } : {}), ...(ask ? { ask } : {}), ...(at !== undefined ? { at } : {}) };
    }
    default:
      return { kind: 'other', type };
  }
}

export function parseDataFrame(text: string): ParsedFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { messages: [], problems: ['a frame that is not JSON'] };
  }
  if (!Array.isArray(raw)) return { messages: [], problems: ['a frame that is not an array of messages'] };
  const messages: DataMessage[] = [];
  const problems: string[] = [];
  for (const o of raw) {
    const m = isObj(o) ? item(o) : 'an array entry that is not an object';
    if (typeof m === 'string') problems.push(m);
    else messages.push(m);
  }
  return { messages, problems };
}
