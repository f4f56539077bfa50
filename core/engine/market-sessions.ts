// Market sessions per follower symbol: cached from the adapters' marketSession, judged synchronously against the
// Clock (across one open/close boundary) and refreshed in the background so planning never waits on a broker.
import { errorMessage } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { MarketSessionInfo } from '../ports/broker-adapter.js';
import type { EngineContext } from './context.js';

/** Regular hours now: open, or closed until nextOpen (when known). */
export type HoursVerdict = { readonly open: true } | { readonly open: false; readonly nextOpen?: number };

/** A cached session is refreshed (in the background) once it is this old or a boundary it names has passed. */
export const SESSION_TTL_MS = 30_000;

const OPEN: HoursVerdict = { open: true };

interface Entry {
  /** Undefined when no fetch succeeded yet: the broker decides until one does. */
  info?: MarketSessionInfo;
  /** When the last fetch (successful or not) started; undefined while the first one is in flight. */
  fetchedAt?: number;
  refreshing?: Promise<void>;
}

/**
 * The verdict of a session fetched earlier, moved across the boundaries it named that have passed since. Past the
 * last one it knows, an open-then-close session is open again (its close is unknown until the next refresh) and a
 * close-then-open one is closed with no known open.
 */
export function judge(s: MarketSessionInfo, now: number): HoursVerdict {
  if (s.open) {
    if (s.nextClose === undefined || now < s.nextClose) return OPEN;
    if (s.nextOpen === undefined) return { open: false };
    return now < s.nextOpen ? { open: false, nextOpen: s.nextOpen } : OPEN;
  }
  if (s.nextOpen === undefined || now < s.nextOpen) return s.nextOpen === undefined ? { open: false } : { open: false, nextOpen: s.nextOpen };
  return s.nextClose === undefined || now < s.nextClose ? OPEN : { open: false };
}

export class MarketSessions {
  /** follower -> symbol -> entry (nested, so the hot path builds no key strings). */
  private readonly entries = new Map<AccountId, Map<string, Entry>>();

  constructor(private readonly ctx: EngineContext) {}

  /** True when planning can judge this symbol without waiting (cached, or the adapter has no market hours). */
  ready(follower: AccountId, symbol: string): boolean {
    if (!this.ctx.brokers.get(follower)?.marketSession) return true;
    return this.entries.get(follower)?.get(symbol)?.fetchedAt !== undefined;
  }

  /** Fetches the session once when nothing is cached for the symbol yet (its first copy, like the instrument). */
  async ensure(follower: AccountId, symbol: string): Promise<void> {
    if (!this.ready(follower, symbol)) await this.refresh(follower, symbol);
  }

  /**
   * Synchronous: open when the adapter has no market hours or its session is not known (the broker decides);
   * otherwise the cached session judged at the Clock's now. A stale entry is refreshed in the background.
   */
  verdict(follower: AccountId, symbol: string, now = this.ctx.clock.now()): HoursVerdict {
    const adapter = this.ctx.brokers.get(follower);
    if (!adapter?.marketSession) return OPEN;
    const e = this.entries.get(follower)?.get(symbol);
    const at = e?.fetchedAt;
    if (at === undefined || now - at >= SESSION_TTL_MS || (e?.info && crossed(e.info, at, now))) void this.refresh(follower, symbol);
    return e?.info ? judge(e.info, now) : OPEN;
  }

  /** Drops what is cached for an account (its adapter was replaced or removed). */
  forget(follower: AccountId): void {
    this.entries.delete(follower);
  }

  private refresh(follower: AccountId, symbol: string): Promise<void> {
    const e = this.entries.get(follower)?.get(symbol);
    if (e?.refreshing) return e.refreshing;
    const adapter = this.ctx.brokers.get(follower);
    if (!adapter?.marketSession) return Promise.resolve();
    const ticket: Entry = { ...e };
    ticket.refreshing = this.fetch(follower, symbol, ticket, () => adapter.marketSession!(symbol));
    this.put(follower, symbol, ticket);
    return ticket.refreshing;
  }

  private put(follower: AccountId, symbol: string, e: Entry): void {
    let m = this.entries.get(follower);
    if (!m) this.entries.set(follower, (m = new Map()));
    m.set(symbol, e);
  }

  /** One fetch; its result lands only if the entry is still this ticket (not forgotten or replaced meanwhile). */
  private async fetch(follower: AccountId, symbol: string, ticket: Entry, get: () => Promise<MarketSessionInfo>): Promise<void> {
    const { ctx } = this;
    const at = ctx.clock.now();
    let info: MarketSessionInfo | undefined;
    try {
      info = checked(await get());
    } catch (err) {
      ctx.raise(
        {
          severity: 'warning',
          code: 'broker_notice',
          message: `market hours of ${symbol} on ${follower} unknown (${errorMessage(err)}); copies go as usual and the broker decides`,
          accountId: follower,
        },
        `session:${follower}|${symbol}`,
      );
    }
    if (this.entries.get(follower)?.get(symbol) !== ticket) return;
    const keep = info ?? ticket.info;
    this.put(follower, symbol, keep ? { info: keep, fetchedAt: at } : { fetchedAt: at });
  }
}

/** The session as given, or an error naming what is malformed (a bad answer must not decide copies). */
function checked(s: MarketSessionInfo): MarketSessionInfo {
  const time = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));
  if (typeof s?.open !== 'boolean' || !time(s.nextOpen) || !time(s.nextClose)) {
    throw new TypeError(`malformed market session ${JSON.stringify(s)}`);
  }
  return s;
}

/** True when a boundary the session named at fetchedAt has passed by now. */
function crossed(s: MarketSessionInfo, fetchedAt: number, now: number): boolean {
  const boundary = s.open ? s.nextClose : s.nextOpen;
  return boundary !== undefined && fetchedAt < boundary && now >= boundary;
}
