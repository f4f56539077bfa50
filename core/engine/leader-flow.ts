// Leader executions: a serial queue per leader; the execution (dedupe), its intents and the leader episode after it are
// journaled in one transaction before any order leaves. Also the re-plans that wait for a link to arm: leader moves it
// missed and copies that were not placed.
import { errorMessage } from '../domain/errors.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Execution } from '../domain/order.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { UnplannedRecord } from '../ports/journal.js';
import type { EngineContext } from './context.js';
import { legSource, type Copier, type PlannedCopy } from './copier.js';
import type { IntentRecord } from './follower-book.js';
import { afterExecution } from './leader-book.js';
import { toEpisodeRecord } from './state/episodes.js';
import type { OrderFlow } from './order-flow.js';
import type { OutsideHours, WaitSource } from './outside-hours.js';

interface Received {
  readonly exec: Execution;
  readonly receivedAt: number;
  readonly receivedMono: number;
}

/** Most executions planned and journaled under one commit when a burst is queued. */
const MAX_BATCH = 512;

export class LeaderFlow {
  private readonly inbox = new Map<AccountId, Received[]>();
  private readonly drains = new Map<AccountId, Promise<void>>();
  /** Leader symbols that moved while a link was not armed: planned for that link once it is. */
  private readonly unplanned = new Map<string, UnplannedRecord>();
  /** Not-placed re-plans that cannot wait as unplanned moves (repairs, or the journal refused the row): in memory. */
  private readonly deferred: IntentRecord[] = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly copier: Copier,
    private readonly flow: OrderFlow,
    private readonly hours: OutsideHours,
  ) {
    // Journaled with the execution that moved the symbol, so a restart before the link arms still plans it.
    for (const u of ctx.journal.unplanned()) this.unplanned.set(unplannedKey(u.linkId, u.leaderSymbol), u);
  }

  /** Queues one leader execution; executions of one leader are processed strictly in arrival order. */
  accept(exec: Execution): void {
    const { ctx } = this;
    let box = this.inbox.get(exec.accountId);
    if (!box) this.inbox.set(exec.accountId, (box = []));
    box.push({ exec, receivedAt: ctx.clock.now(), receivedMono: ctx.clock.monotonic() });
    if (!this.drains.has(exec.accountId)) this.drains.set(exec.accountId, this.drain(exec.accountId, box));
  }

  /** Resolves when every queued execution has been processed. */
  async idle(): Promise<void> {
    while (this.drains.size > 0) await Promise.all(this.drains.values());
  }

  private async drain(leader: AccountId, box: Received[]): Promise<void> {
    try {
      while (box.length > 0) await this.processBatch(box.splice(0, MAX_BATCH));
    } finally {
      this.drains.delete(leader);
    }
  }

  /** Plans and journals a burst under one commit (group commit when the journal offers it), then sends. */
  private async processBatch(batch: readonly Received[]): Promise<void> {
    const { ctx, copier } = this;
    if (!ctx.running) return;
    // Leader symbols whose follower instruments were all cached when checked: later executions of the batch skip them.
    const cached = new Set<string>();
    for (const { exec } of batch) {
      if (cached.has(exec.symbol)) continue;
      let waited = false;
      for (const link of ctx.linksOf(exec.accountId)) {
        const m = copier.mapSymbol(link, exec.symbol);
        if (m && !copier.ready(link.follower, m.symbol)) {
          waited = true;
          await copier.ensureInstrument(link, m.symbol);
        }
      }
      if (!waited) cached.add(exec.symbol);
    }
    const sends: IntentRecord[][] = [];
    try {
      ctx.journal.batch(() => this.processAll(batch, sends));
    } catch (err) {
      ctx.releaseIntents();
      for (const recs of sends) for (const rec of recs) this.flow.abandon(rec, 'journal commit failed');
      ctx.raise({ severity: 'critical', code: 'engine_error', message: `journal commit failed; ${sends.length} copies not sent: ${errorMessage(err)}` });
      return;
    }
    try {
      for (const recs of sends) this.flow.dispatch(recs);
    } finally {
      // The new intents' events (held by register): published once their orders are written.
      ctx.releaseIntents();
    }
  }

  /** Plans every execution of a batch (inside the journal's batch); one that throws is reported and skipped. */
  private processAll(batch: readonly Received[], sends: IntentRecord[][]): void {
    for (const item of batch) {
      try {
        this.process(item, sends);
      } catch (err) {
        this.ctx.raise({ severity: 'error', code: 'engine_error', message: `execution ${item.exec.id} not processed: ${errorMessage(err)}`, accountId: item.exec.accountId });
      }
    }
  }

  private process({ exec, receivedAt, receivedMono }: Received, sends: IntentRecord[][]): void {
    const { ctx, copier } = this;
    const links = ctx.linksOf(exec.accountId);
    const refused = new Map<string, string>();
    const now = ctx.clock.now();
    const judge = copier.judge(exec.symbol, exec.price, exec.orderTag, refused, now);
    const state = afterExecution(ctx.leaders.get(exec.accountId, exec.symbol), exec, ctx.linkIdsOf(exec.accountId), judge);
    const override = { symbol: exec.symbol, state };
    const planned: { link: LinkConfig; symbol: string; copy: PlannedCopy }[] = [];
    const intents: IntentRecord[] = [];
    const waiting: LinkConfig[] = [];
    const refusedCopies: IntentRecord[] = [];
    const src = { purpose: 'copy', sourceId: exec.id, executionId: exec.id, attempt: 0, leaderPrice: exec.price, orderTag: exec.orderTag, receivedAt, receivedMono, now } as const;
    if (ctx.running) {
      for (const link of links) {
        if (!ctx.isArmed(link)) {
          waiting.push(link);
          continue;
        }
        const m = copier.mapSymbol(link, exec.symbol);
        if (!m) {
          ctx.raise(
            { severity: 'warning', code: 'unmapped_symbol', message: `${link.id}: ${exec.symbol} has no mapping; not copied`, accountId: link.follower, linkId: link.id },
            `unmapped:${link.id}:${exec.symbol}`,
          );
          continue;
        }
        if (ctx.states.effective(link.follower) !== 'active') continue;
        const copy = copier.planSymbol(link, m.symbol, exec.symbol, src, override);
        if (!copy) continue;
        for (const rec of copy.refused) refusedCopies.push(rec);
        if (copy.intents.length > 0 && !copy.intents[0]!.dryRun && !ctx.admit(link.follower, copy.intents.length)) continue;
        planned.push({ link, symbol: m.symbol, copy });
        for (const rec of copy.intents) intents.push(rec);
      }
    }
    const journaled = refusedCopies.length > 0 ? [...intents, ...refusedCopies] : intents;
    const recorded = ctx.journal.recordExecution(exec, receivedAt, journaled, toEpisodeRecord(exec.accountId, exec.symbol, state));
    if (ctx.events.has('execution')) ctx.events.emit('execution', { execution: exec, receivedAt, duplicate: !recorded });
    if (!recorded) {
      ctx.counters.duplicatesIgnored++;
      return;
    }
    ctx.counters.executions++;
    ctx.leaders.set(exec.accountId, exec.symbol, state);
    for (const [id, reason] of refused) this.noteRefused(id, exec, reason);
    for (const rec of refusedCopies) this.noteGuardRefused(rec);
    for (const link of waiting) this.noteUnplanned(link, exec);
    copier.register(intents, true);
    for (const { link, symbol, copy } of planned) {
      copier.raiseNotes(link, symbol, copy.plan);
      if (copy.held) {
        const src = { purpose: 'copy', sourceId: exec.id, executionId: exec.id, ...(exec.orderTag !== undefined ? { orderTag: exec.orderTag } : {}) } as const;
        this.hours.hold(link, symbol, exec.symbol, copy.held, src);
        continue;
      }
      this.hours.release(link.id, symbol);
      if (copy.intents.length === 0 || copy.intents[0]!.dryRun) continue;
      sends.push(copy.intents);
    }
  }

  /** An execution whose opening part is not eligible for a link: it adds nothing to that follower (info alert). */
  private noteRefused(id: string, exec: Execution, reason: string): void {
    const link = this.ctx.link(id as LinkConfig['id']);
    const m = link ? this.copier.mapSymbol(link, exec.symbol) : undefined;
    if (!link || !m) return;
    this.ctx.raise(
      { severity: 'info', code: 'filtered', message: `${link.id}: ${m.symbol}: ${reason}; leader execution ${exec.id} not copied`, accountId: link.follower, linkId: link.id },
      `filtered:${link.id}:${m.symbol}`,
    );
  }

  /**
   * A copy a risk guard refused: journaled as not placed with the guard's reason (Activity shows it), alerted. Refused
   * by a lock, it is a follower-side exit: that leader episode stays out of the follower after the unlock.
   */
  private noteGuardRefused(rec: IntentRecord): void {
    const { ctx } = this;
    ctx.emitIntent(rec);
    if (ctx.riskGate?.standing(rec.followerAccountId)?.state === 'locked') {
      const ev = { linkId: rec.linkId, followerAccountId: rec.followerAccountId, symbol: rec.symbol, leaderSymbol: rec.leaderSymbol };
      this.flow.exits.record({ ...ev, reason: 'risk_guard', qty: '0', time: ctx.clock.now() });
    }
    ctx.raise(
      { severity: 'warning', code: 'copy_refused', message: `${rec.linkId}: ${rec.side} ${rec.qty} ${rec.symbol} not copied, ${rec.error ?? 'refused by a risk guard'}`, accountId: rec.followerAccountId, linkId: rec.linkId },
      `refused:${rec.linkId}:${rec.symbol}`,
    );
  }

  /** After arming these links: plans the leader symbols that moved while they were not armed. */
  async planUnarmed(linkIds: ReadonlySet<string>): Promise<void> {
    for (const [key, u] of [...this.unplanned]) {
      if (!linkIds.has(u.linkId)) continue;
      this.unplanned.delete(key);
      this.ctx.journal.deleteUnplanned(u.linkId, u.leaderSymbol);
      const link = this.ctx.link(u.linkId);
      if (!link?.enabled) continue;
      const m = this.copier.mapSymbol(link, u.leaderSymbol);
      if (!m || !(await this.copier.ensureInstrument(link, m.symbol))) continue;
      this.replan(link, m.symbol, u.leaderSymbol, u.executionId, { leaderPrice: u.price, orderTag: u.orderTag, executionId: u.executionId });
    }
  }

  /** A removed link's unplanned leader moves go with it. */
  forget(linkId: LinkId): void {
    for (const [key, u] of [...this.unplanned]) {
      if (u.linkId !== linkId) continue;
      this.ctx.journal.deleteUnplanned(u.linkId, u.leaderSymbol);
      this.unplanned.delete(key);
    }
  }

  /** Inside the execution's journal batch: the row commits with the execution. */
  private noteUnplanned(link: LinkConfig, exec: Execution): void {
    const u: UnplannedRecord = { linkId: link.id, leaderSymbol: exec.symbol, executionId: exec.id, price: exec.price, ...(exec.orderTag !== undefined ? { orderTag: exec.orderTag } : {}) };
    this.ctx.journal.saveUnplanned(u);
    this.unplanned.set(unplannedKey(link.id, exec.symbol), u);
  }

  /** A copy or repair that was not placed: planned again now, or when its link arms. */
  notPlaced(rec: IntentRecord): void {
    const link = this.ctx.link(rec.linkId);
    if (!link) return;
    if (!this.ctx.isArmed(link)) {
      if (this.ctx.running && !this.deferNotPlaced(link, rec)) this.deferred.push(rec);
      return;
    }
    this.replan(link, rec.symbol, rec.leaderSymbol, rec.sourceId, {
      purpose: rec.purpose === 'repair' ? 'repair' : 'copy',
      // The first attempt already passed the tag filter; the retry carries on the same leader order.
      orderTag: link.filters.tagPrefix,
      ...(rec.executionId ? { executionId: rec.executionId } : {}),
      ...(rec.leaderPrice ? { leaderPrice: rec.leaderPrice } : {}),
    });
  }

  /** After arming these links: the in-memory not-placed re-plans that waited for them. */
  replanDeferred(linkIds: ReadonlySet<string>): void {
    for (const rec of this.deferred.splice(0)) {
      if (linkIds.has(rec.linkId)) this.notPlaced(rec);
      else this.deferred.push(rec);
    }
  }

  /** At stop: the in-memory re-plans are dropped (the journaled unplanned moves stay for the next start). */
  dropDeferred(): void {
    this.deferred.length = 0;
  }

  /**
   * A copy found not placed while its link was not armed: kept (journaled) as the link's unplanned leader move, so it
   * is planned when the link arms, after a restart too. A leader move already waiting for the link covers it (the
   * re-plan goes to the leader's position then). False when the copy cannot be kept this way (a repair, no execution
   * or price, or the journal refused the row): the caller keeps it in memory.
   */
  private deferNotPlaced(link: LinkConfig, rec: IntentRecord): boolean {
    if (rec.purpose !== 'copy' || !rec.executionId || !rec.leaderPrice) return false;
    const key = unplannedKey(link.id, rec.leaderSymbol);
    if (this.unplanned.has(key)) return true;
    const tag = link.filters.tagPrefix;
    const u: UnplannedRecord = { linkId: link.id, leaderSymbol: rec.leaderSymbol, executionId: rec.executionId, price: rec.leaderPrice, ...(tag !== undefined ? { orderTag: tag } : {}) };
    try {
      this.ctx.journal.saveUnplanned(u);
    } catch {
      return false;
    }
    this.unplanned.set(key, u);
    return true;
  }

  /** Plans one follower symbol again (after not_placed, late arming or a market-hours wait) with the next attempt for the source. */
  replan(
    link: LinkConfig,
    symbol: string,
    leaderSymbol: string,
    sourceId: string,
    extra: Pick<Execution, 'orderTag'> & { leaderPrice?: Execution['price']; executionId?: Execution['id']; purpose?: 'copy' | 'repair' } = {},
  ): void {
    const { ctx, copier } = this;
    if (!ctx.running || ctx.states.effective(link.follower) !== 'active') return;
    // Past every attempt of both legs' sources: a re-plan of the open leg alone may already have used the next number.
    const attempt = Math.max(ctx.journal.lastAttempt(link.follower, legSource(sourceId, 0)), ctx.journal.lastAttempt(link.follower, legSource(sourceId, 1))) + 1;
    const copy = copier.planSymbol(link, symbol, leaderSymbol, {
      purpose: extra.purpose ?? 'copy',
      sourceId,
      attempt,
      receivedAt: ctx.clock.now(),
      receivedMono: ctx.clock.monotonic(),
      ...(extra.executionId ? { executionId: extra.executionId } : {}),
      ...(extra.leaderPrice ? { leaderPrice: extra.leaderPrice } : {}),
      ...(extra.orderTag !== undefined ? { orderTag: extra.orderTag } : {}),
    });
    if (!copy) return;
    if (copy.refused.length > 0) {
      try {
        ctx.journal.insertIntents(copy.refused);
        for (const rec of copy.refused) this.noteGuardRefused(rec);
      } catch (err) {
        ctx.raise({ severity: 'error', code: 'engine_error', message: `${link.id} ${symbol}: a refused copy was not journaled: ${errorMessage(err)}`, accountId: link.follower, linkId: link.id });
      }
    }
    if (copy.held) {
      const src: WaitSource = {
        purpose: extra.purpose ?? 'copy',
        sourceId,
        ...(extra.executionId ? { executionId: extra.executionId } : {}),
        ...(extra.orderTag !== undefined ? { orderTag: extra.orderTag } : {}),
      };
      this.hours.hold(link, symbol, leaderSymbol, copy.held, src);
      return;
    }
    this.hours.release(link.id, symbol);
    if (copy.intents.length === 0) return;
    if (!copy.intents[0]!.dryRun && !ctx.admit(link.follower, copy.intents.length)) return;
    try {
      ctx.journal.insertIntents(copy.intents);
    } catch (err) {
      // Runs from timers and order callbacks: a refused write is reported, never thrown into the event loop.
      ctx.raise({ severity: 'critical', code: 'engine_error', message: `${link.id} ${symbol}: copy not sent, the journal refused it: ${errorMessage(err)}`, accountId: link.follower, linkId: link.id });
      return;
    }
    copier.register(copy.intents);
    copier.raiseNotes(link, symbol, copy.plan);
    this.flow.dispatch(copy.intents.filter((r) => !r.dryRun));
  }
}

const unplannedKey = (linkId: string, leaderSymbol: string): string => `${linkId}\u0000${leaderSymbol}`;
