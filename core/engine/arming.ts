// Per-link arming: a link arms once a reconciliation has read its leader and its follower and the follower's orders
// from a previous run have settled. Links that cannot arm yet stay configured and are retried on the clock (backing
// off) with an alert saying why; one unreachable account never holds back the links that do not involve it.
import { errorMessage } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { TimerHandle } from '../ports/clock.js';
import type { EngineContext } from './context.js';
import type { Reconciler } from './reconciler.js';

const RETRY_MAX_MS = 60_000;

export class Arming {
  private retryMs: number;
  private timer: TimerHandle | undefined;
  private current: Promise<void> | undefined;
  private again: string | undefined;
  /** Follower -> ids of its intents from a previous run that are still being settled. */
  private readonly settling = new Map<AccountId, Set<string>>();
  /**
   * Followers whose previous-run orders settled while a pass was reading the brokers: that pass's view of them predates
   * the settle (their positions were not reset from the broker), so only the pass that follows may arm their links.
   */
  private readonly settledMidPass = new Set<AccountId>();
  /**
   * Bumped whenever an account's adapter is set, replaced or removed: a pass arms a link only when neither account
   * changed since the pass began, so it read them through the adapters they trade with (resume from sleep, reconnects).
   */
  private readonly epochs = new Map<AccountId, number>();
  /** Listens to intent events only while something settles (the copy path's events stay free otherwise). */
  private offIntents: (() => void) | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly reconciler: Reconciler,
    private readonly onArmed: (linkIds: ReadonlySet<string>) => Promise<void>,
  ) {
    this.retryMs = ctx.armRetryMs;
  }

  /** An intent left open by a previous run: its follower's links wait until it settles. */
  track(follower: AccountId, intentId: string): void {
    let set = this.settling.get(follower);
    if (!set) this.settling.set(follower, (set = new Set()));
    set.add(intentId);
    this.offIntents ??= this.ctx.events.on('intent', (i) => {
      if (i.status !== 'planned' && i.status !== 'unknown') this.settled(i.followerAccountId, i.id);
    });
  }

  settled(follower: AccountId, intentId: string): void {
    const set = this.settling.get(follower);
    if (!set?.delete(intentId) || set.size > 0) return;
    this.settling.delete(follower);
    if (this.current) this.settledMidPass.add(follower);
    if (this.settling.size === 0) this.stopListening();
    if (this.ctx.running) void this.attempt(`${follower} settled`);
  }

  /** Forgets everything (engine stopped). */
  reset(): void {
    this.settling.clear();
    this.settledMidPass.clear();
    this.stopListening();
    this.timer = undefined;
    this.retryMs = this.ctx.armRetryMs;
    this.ctx.armedLinks.clear();
  }

  private stopListening(): void {
    this.offIntents?.();
    this.offIntents = undefined;
  }

  /** Disarms the links of an account (its adapter changed or went away); they re-arm through attempt(). */
  disarmAccount(id: AccountId): void {
    this.epochs.set(id, (this.epochs.get(id) ?? 0) + 1);
    for (const l of this.ctx.links) if (l.leader === id || l.follower === id) this.ctx.armedLinks.delete(l.id);
  }

  /** Tries to arm every enabled link not armed yet; passes never overlap (a request during one runs once after it). */
  attempt(reason: string): Promise<void> {
    if (this.current) {
      this.again = reason;
      return this.current;
    }
    const run = this.pass(reason)
      .catch((err: unknown) => {
        if (this.ctx.running) this.ctx.raise({ severity: 'error', code: 'engine_error', message: `arming pass (${reason}) failed: ${errorMessage(err)}` });
      })
      .finally(() => {
        this.current = undefined;
        const next = this.again;
        this.again = undefined;
        if (next !== undefined && this.ctx.running) void this.attempt(next);
      });
    this.current = run;
    return run;
  }

  private async pass(reason: string): Promise<void> {
    const { ctx } = this;
    if (!ctx.running || ctx.unarmedLinks().length === 0) return;
    this.settledMidPass.clear();
    const epochs = new Map(this.epochs);
    const changed = (id: AccountId) => this.epochs.get(id) !== epochs.get(id);
    const report = await this.reconciler.run(reason);
    if (!ctx.running) return;
    const failed = new Map(report.errors.map((e) => [e.accountId, e.message]));
    const armed = new Set<string>();
    const reasons = new Set<string>();
    for (const link of ctx.unarmedLinks()) {
      if (this.settledMidPass.has(link.follower)) continue;
      // An account connected or replaced during this pass is read by the pass that follows (attempt() asked for it).
      if (changed(link.leader) || changed(link.follower)) continue;
      const why = this.blocker(link, failed);
      if (why) reasons.add(why);
      else {
        ctx.armedLinks.add(link.id);
        armed.add(link.id);
      }
    }
    if (armed.size > 0) await this.onArmed(armed);
    if (!ctx.running) return;
    if (this.timer) ctx.clearTimer(this.timer);
    this.timer = undefined;
    // Links left only because their follower settled mid-pass arm in the pass settled() already asked for.
    if (reasons.size === 0) {
      this.retryMs = ctx.armRetryMs;
      return;
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(wait * 2, RETRY_MAX_MS);
    const others = ctx.armedLinks.size > 0 ? ' (armed links keep copying)' : '';
    ctx.raise({
      severity: 'error',
      code: 'engine_error',
      message: `copying not armed: ${[...reasons].join('; ')}; retrying in ${waitText(wait)}${others}`,
    });
    this.timer = ctx.setTimer(wait, () => {
      this.timer = undefined;
      if (ctx.running) void this.attempt('retry arming');
    });
  }

  /** Why a link cannot arm after this pass, or undefined when it can. */
  private blocker(link: LinkConfig, failed: ReadonlyMap<AccountId, string>): string | undefined {
    const { ctx } = this;
    if (!ctx.brokers.has(link.leader)) return `leader ${link.leader} is not connected`;
    const leaderError = failed.get(link.leader);
    if (leaderError !== undefined) return `cannot read leader ${link.leader} (${leaderError})`;
    if (!ctx.brokers.has(link.follower)) return `follower ${link.follower} is not connected`;
    const followerError = failed.get(link.follower);
    if (followerError !== undefined) return `cannot read follower ${link.follower} (${followerError})`;
    if (this.settling.has(link.follower)) return `follower ${link.follower} has orders from the previous run still settling`;
    return undefined;
  }
}

function waitText(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
