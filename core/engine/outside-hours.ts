// Outside regular hours (LinkSettings.outsideHours): the per-copy decision (send, extended-hours limit, hold) and the
// held copies: 'skip' alerts and drops them, 'wait' keeps one timer per link+symbol that re-plans at the next open.
// Waits are journaled and re-armed at start, so a restart never loses a held copy.
import type { ExecutionId, LinkId } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { TimerHandle } from '../ports/clock.js';
import type { EngineContext } from './context.js';
import type { HoursVerdict } from './market-sessions.js';

/** How a copy goes given the follower's market hours. */
export type HoursMode =
  | { readonly kind: 'regular' }
  | { readonly kind: 'extended' }
  | { readonly kind: 'held'; readonly policy: 'skip' | 'wait'; readonly nextOpen?: number; readonly reason?: string };

export type HeldCopy = Extract<HoursMode, { kind: 'held' }>;

/** What a wait re-plans with when it fires: the latest held source of the link+symbol. */
export interface WaitSource {
  readonly purpose: 'copy' | 'repair';
  readonly sourceId: string;
  readonly executionId?: ExecutionId;
  readonly orderTag?: string;
}

export type Replan = (link: LinkConfig, symbol: string, leaderSymbol: string, src: WaitSource) => void;

/** Longest single wait timer; a longer closure re-plans (and, still closed, waits again) at this interval. */
export const MAX_WAIT_MS = 6 * 3_600_000;
/** Wait interval when the broker did not say when the market opens. */
export const UNKNOWN_OPEN_RETRY_MS = 60_000;
/** A restored wait that falls due before the engine is armed tries again after this long. */
const NOT_ARMED_RETRY_MS = 1_000;

const REGULAR: HoursMode = { kind: 'regular' };
const EXTENDED: HoursMode = { kind: 'extended' };

export function hoursMode(link: LinkConfig, verdict: HoursVerdict, extendedHoursSupported: boolean): HoursMode {
  if (verdict.open) return REGULAR;
  const next = verdict.nextOpen === undefined ? {} : { nextOpen: verdict.nextOpen };
  switch (link.outsideHours) {
    case 'extended_limit':
      return extendedHoursSupported ? EXTENDED : { kind: 'held', policy: 'skip', ...next, reason: 'the follower broker takes no extended-hours orders' };
    case 'wait':
      return { kind: 'held', policy: 'wait', ...next };
    case 'skip':
      return { kind: 'held', policy: 'skip', ...next };
  }
}

export const nextOpenText = (nextOpen: number | undefined): string =>
  nextOpen === undefined ? 'next open not known' : `next open ${new Date(nextOpen).toISOString()}`;

interface Wait {
  readonly link: LinkId;
  readonly follower: LinkConfig['follower'];
  readonly symbol: string;
  leaderSymbol: string;
  src: WaitSource;
  readonly due: number;
  readonly handle: TimerHandle;
}

export class OutsideHours {
  private readonly waits = new Map<string, Wait>();
  /** The wait being fired: a re-plan that is held again continues it without a second alert. */
  private firing: string | undefined;
  /** link|symbol -> the next open its skipped repair was reported for (periodic passes report once per closure). */
  private readonly repairsReported = new Map<string, number | undefined>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly replan: Replan,
  ) {}

  /** A copy or repair the market hours held back: 'skip' raises a warning; 'wait' (re)arms the link+symbol's timer. */
  hold(link: LinkConfig, symbol: string, leaderSymbol: string, held: HeldCopy, src: WaitSource): void {
    const { ctx } = this;
    const what = src.purpose === 'repair' ? 'repair' : 'copy';
    const why = held.reason ? `${held.reason}; ` : '';
    const key = `${link.id}|${symbol}`;
    if (held.policy === 'skip') {
      if (src.purpose === 'repair') {
        if (this.repairsReported.has(key) && this.repairsReported.get(key) === held.nextOpen) return;
        this.repairsReported.set(key, held.nextOpen);
      }
      ctx.raise(
        {
          severity: 'warning',
          code: 'market_closed',
          message: `${link.id}: ${symbol} market closed (${why}${nextOpenText(held.nextOpen)}); ${what} not sent`,
          accountId: link.follower,
          linkId: link.id,
          details: { symbol, policy: 'skip', ...(held.nextOpen !== undefined ? { nextOpen: held.nextOpen } : {}) },
        },
        `market_closed:${link.id}:${symbol}:${what}`,
      );
      return;
    }
    const now = ctx.clock.now();
    const due = held.nextOpen !== undefined && held.nextOpen > now ? Math.min(held.nextOpen, now + MAX_WAIT_MS) : now + UNKNOWN_OPEN_RETRY_MS;
    const prev = this.waits.get(key);
    if (prev && prev.due === due) {
      prev.leaderSymbol = leaderSymbol;
      prev.src = src;
      this.journal(link.id, symbol, leaderSymbol, src, due);
      return;
    }
    if (prev) ctx.clearTimer(prev.handle);
    const handle = ctx.setTimer(due - now, () => this.fire(key));
    this.waits.set(key, { link: link.id, follower: link.follower, symbol, leaderSymbol, src, due, handle });
    this.journal(link.id, symbol, leaderSymbol, src, due);
    if (!prev && this.firing !== key) {
      ctx.raise({
        severity: 'info',
        code: 'market_closed',
        message: `${link.id}: ${symbol} market closed (${nextOpenText(held.nextOpen)}); ${what} waits and is re-planned then`,
        accountId: link.follower,
        linkId: link.id,
        details: { symbol, policy: 'wait', waitUntil: due, ...(held.nextOpen !== undefined ? { nextOpen: held.nextOpen } : {}) },
      });
    }
  }

  /** Drops the link+symbol's wait: a later plan already did (or found nothing to do) what it would re-plan. */
  release(link: LinkId, symbol: string): void {
    if (this.waits.size === 0) return;
    const key = `${link}|${symbol}`;
    const w = this.waits.get(key);
    if (!w) return;
    this.ctx.clearTimer(w.handle);
    this.waits.delete(key);
    this.ctx.journal.deleteWait(link, symbol);
  }

  /** True while a wait is pending for the link+symbol (the reconciler leaves it alone). */
  isWaiting(link: LinkId, symbol: string): boolean {
    return this.waits.has(`${link}|${symbol}`);
  }

  /** Pending waits, for the snapshot and tests. */
  pending(): { linkId: LinkId; symbol: string; due: number }[] {
    return [...this.waits.values()].map((w) => ({ linkId: w.link, symbol: w.symbol, due: w.due }));
  }

  /** Cancels the waits of a halted scope (global: all). */
  cancel(scope: Scope): void {
    for (const [key, w] of this.waits) {
      if (scope !== 'global' && w.follower !== scope) continue;
      this.ctx.clearTimer(w.handle);
      this.waits.delete(key);
      this.ctx.journal.deleteWait(w.link, w.symbol);
    }
  }

  /** Engine stop: drops the timers but keeps the journaled waits for the next start. */
  suspend(): void {
    for (const w of this.waits.values()) this.ctx.clearTimer(w.handle);
    this.waits.clear();
  }

  /** Engine start: re-arms every journaled wait of a configured link (whatever its reconcile policy). */
  restore(): void {
    const { ctx } = this;
    this.suspend();
    const now = ctx.clock.now();
    for (const r of ctx.journal.waits()) {
      const link = ctx.link(r.linkId);
      if (!link) {
        ctx.journal.deleteWait(r.linkId, r.symbol);
        continue;
      }
      const key = `${r.linkId}|${r.symbol}`;
      const src: WaitSource = {
        purpose: r.purpose,
        sourceId: r.sourceId,
        ...(r.executionId ? { executionId: r.executionId } : {}),
        ...(r.orderTag !== undefined ? { orderTag: r.orderTag } : {}),
      };
      const handle = ctx.setTimer(Math.max(0, r.due - now), () => this.fire(key));
      this.waits.set(key, { link: link.id, follower: link.follower, symbol: r.symbol, leaderSymbol: r.leaderSymbol, src, due: r.due, handle });
    }
  }

  private journal(link: LinkId, symbol: string, leaderSymbol: string, src: WaitSource, due: number): void {
    this.ctx.journal.saveWait({ linkId: link, symbol, leaderSymbol, ...src, due });
  }

  private fire(key: string): void {
    const w = this.waits.get(key);
    if (!w) return;
    if (!this.ctx.armed) {
      const handle = this.ctx.setTimer(NOT_ARMED_RETRY_MS, () => this.fire(key));
      this.waits.set(key, { ...w, handle });
      return;
    }
    this.waits.delete(key);
    this.ctx.journal.deleteWait(w.link, w.symbol);
    const link = this.ctx.link(w.link);
    if (!link?.enabled) return;
    this.firing = key;
    try {
      this.replan(link, w.symbol, w.leaderSymbol, w.src);
    } finally {
      this.firing = undefined;
    }
  }
}
