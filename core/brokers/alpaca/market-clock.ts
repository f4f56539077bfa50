// Market clock and calendar (GET /v2/clock, /v2/calendar), cached, and the outside-hours decision per link setting.
import { protocolError } from './errors.js';
import type { Clock } from '../../ports/clock.js';
import type { AlpacaRestClient } from './client.js';
import { isObj, parseClock, type MarketClock } from './parse.js';

export interface MarketSession {
  /** Regular trading hours are open now. */
  readonly open: boolean;
  readonly nextOpen: number;
  readonly nextClose: number;
  /** Alpaca's time when it answered (ms since epoch). */
  readonly brokerTime: number;
}

export interface CalendarDay {
  readonly date: string;
  readonly open: string;
  readonly close: string;
  readonly sessionOpen?: string;
  readonly sessionClose?: string;
}

export type OutsideHoursSetting = 'wait' | 'skip' | 'extended_limit';

/** What the engine does with a copy: send as is, send as an extended-hours limit order, wait until a time, or skip. */
export type OutsideHoursAction =
  | { readonly kind: 'send' }
  | { readonly kind: 'extended_limit' }
  | { readonly kind: 'wait'; readonly until: number }
  | { readonly kind: 'skip'; readonly reason: string };

export function outsideHoursAction(session: MarketSession, setting: OutsideHoursSetting): OutsideHoursAction {
  if (session.open) return { kind: 'send' };
  switch (setting) {
    case 'wait':
      return { kind: 'wait', until: session.nextOpen };
    case 'extended_limit':
      return { kind: 'extended_limit' };
    case 'skip':
      return { kind: 'skip', reason: `market closed; next open ${new Date(session.nextOpen).toISOString()}` };
  }
}

/** A cached /v2/clock answer is reused this long, and never past its next open/close boundary. */
export const SESSION_TTL_MS = 30_000;

export class MarketCalendar {
  private cached: { clock: MarketClock; fetchedAt: number } | undefined;
  private fetching: Promise<MarketSession> | undefined;
  /** Someone asked for the session (a follower's copies do): only then does a keeper keep it fresh. */
  asked = false;

  constructor(
    private readonly rest: AlpacaRestClient,
    private readonly clock: Clock,
  ) {}

  /** The session from cache, or one GET /v2/clock shared by every caller while it is in flight. */
  session(): Promise<MarketSession> {
    this.asked = true;
    return this.read();
  }

  /** True when the cached answer will not serve a read within `marginMs` (too old, or past its open/close). */
  staleWithin(now: number, marginMs: number): boolean {
    const c = this.cached;
    if (!c) return true;
    const elapsed = now - c.fetchedAt;
    const boundary = c.clock.open ? c.clock.nextClose : c.clock.nextOpen;
    return elapsed + marginMs >= SESSION_TTL_MS || c.clock.timestamp + elapsed >= boundary;
  }

  /** Reads the clock now (unless a read is in flight), without marking the session as asked for. */
  refresh(): Promise<MarketSession> {
    this.fetching ??= this.fetch(this.clock.now()).finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  /** The cached session when still good, else one read. */
  read(): Promise<MarketSession> {
    const now = this.clock.now();
    const c = this.cached;
    if (c) {
      const elapsed = now - c.fetchedAt;
      const brokerNow = c.clock.timestamp + elapsed;
      const boundary = c.clock.open ? c.clock.nextClose : c.clock.nextOpen;
      if (brokerNow < boundary && elapsed < SESSION_TTL_MS) return Promise.resolve(toSession(c.clock, brokerNow));
    }
    return this.refresh();
  }

  private async fetch(now: number): Promise<MarketSession> {
    const { body } = await this.rest.get('/v2/clock');
    const clock = parseClock(body);
    this.cached = { clock, fetchedAt: now };
    return toSession(clock, clock.timestamp);
  }

  async days(start: string, end: string): Promise<CalendarDay[]> {
    const { body } = await this.rest.get('/v2/calendar', { query: { start, end } });
    if (!Array.isArray(body)) throw protocolError('calendar', body);
    return body.filter(isObj).map((d) => ({
      date: String(d.date),
      open: String(d.open),
      close: String(d.close),
      ...(typeof d.session_open === 'string' ? { sessionOpen: d.session_open } : {}),
      ...(typeof d.session_close === 'string' ? { sessionClose: d.session_close } : {}),
    }));
  }
}

const toSession = (c: MarketClock, brokerTime: number): MarketSession => ({
  open: c.open,
  nextOpen: c.nextOpen,
  nextClose: c.nextClose,
  brokerTime,
});
