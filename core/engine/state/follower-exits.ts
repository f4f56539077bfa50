// Follower-side exits: the one place a bracket stop/target fill is reported (the 'followerExit' engine event, which the
// episodes store subscribes to) and remembered, so the reconciler does not repair back into a position the follower's
// own exit closed until the leader's position starts a new episode (goes flat or changes side).
import type { Decimal } from '../../domain/decimal.js';
import type { LinkId } from '../../domain/ids.js';
import { signed } from '../../domain/side.js';
import type { EngineContext } from '../context.js';
import type { ExecutionEvent, FollowerExitEvent } from '../events.js';

export class FollowerExits {
  /** link|leaderSymbol -> sign of the leader's position when the follower exited. */
  private readonly held = new Map<string, number>();

  constructor(private readonly ctx: EngineContext) {
    ctx.events.on('execution', (e) => this.onLeaderExecution(e));
  }

  /** Reports the exit (engine event) and holds repairs for the link and leader symbol until the next episode. */
  record(ev: FollowerExitEvent): void {
    const link = this.ctx.link(ev.linkId);
    if (link) this.held.set(key(ev.linkId, ev.leaderSymbol), this.ctx.leaders.get(link.leader, ev.leaderSymbol).qty.sign());
    this.ctx.events.emit('followerExit', ev);
  }

  /** True while the follower's part of the leader's current episode has ended by its own exit. */
  blocks(linkId: LinkId, leaderSymbol: string): boolean {
    const k = key(linkId, leaderSymbol);
    const side = this.held.get(k);
    if (side === undefined) return false;
    const link = this.ctx.link(linkId);
    if (link && this.ctx.leaders.get(link.leader, leaderSymbol).qty.sign() === side) return true;
    this.held.delete(k);
    return false;
  }

  /** A leader fill that ends the episode (flat or across zero) releases the holds on that leader symbol. */
  private onLeaderExecution({ execution: e, duplicate }: ExecutionEvent): void {
    if (duplicate || this.held.size === 0) return;
    const before: Decimal = this.ctx.leaders.get(e.accountId, e.symbol).qty;
    const after = e.positionAfter ?? before.add(signed(e.side, e.qty));
    if (!after.isZero() && after.sign() === before.sign()) return;
    for (const link of this.ctx.linksOf(e.accountId)) this.held.delete(key(link.id, e.symbol));
  }
}

const key = (linkId: LinkId, leaderSymbol: string): string => `${linkId}|${leaderSymbol}`;
