// The risk gate: what a blocked or locked account may still be sent. Planning asks it per leg (refused legs are
// journaled as refused copies), and every send asks it again through the adapter's SendGate right before the wire.
// Locked: nothing but flatten orders. Blocked (own guard, or its leader's guard paused copying): exits only.
import { Decimal } from '../../domain/decimal.js';
import type { AccountId } from '../../domain/ids.js';
import type { LinkConfig } from '../../domain/workspace-config.js';
import type { FollowerBook, IntentRecord } from '../follower-book.js';
import type { PlanLeg } from '../planner.js';

/** An account's standing as the gate sees it: 'blocked' = no new exposure, 'locked' = no orders at all. */
export type GateState = 'open' | 'blocked' | 'locked';

export interface RiskGate {
  /** False while no account is blocked or locked (planning and sending skip the gate then). */
  engaged(): boolean;
  /** The gate state of an account and why (the guard and its message). */
  standing(accountId: AccountId): { readonly state: GateState; readonly reason: string } | undefined;
}

/** Why a plan leg may not go to the link's follower, or undefined when it may. */
export function legRefusal(gate: RiskGate, link: LinkConfig, increasing: boolean): string | undefined {
  const own = gate.standing(link.follower);
  if (own?.state === 'locked') return `${link.follower} is locked: ${own.reason}`;
  if (!increasing) return undefined;
  if (own?.state === 'blocked') return `${link.follower} is blocked (exits only): ${own.reason}`;
  const leader = gate.standing(link.leader);
  if (leader && leader.state !== 'open') return `copying new exposure from ${link.leader} is paused by its guard: ${leader.reason}`;
  return undefined;
}

export interface GatedLeg {
  readonly leg: PlanLeg;
  /** Set when the leg is refused (journaled as a refused copy). */
  readonly refused?: string;
}

/**
 * Gates a plan's legs. A single leg that crosses zero while only new exposure is refused becomes its closing part
 * (the exit is still copied; the opening part is refused).
 */
export function gateLegs(gate: RiskGate, link: LinkConfig, legs: readonly PlanLeg[], current: Decimal): GatedLeg[] {
  const out: GatedLeg[] = [];
  for (const leg of legs) {
    const why = legRefusal(gate, link, leg.increasing);
    if (!why) {
      out.push({ leg });
      continue;
    }
    const closes = !current.isZero() && (leg.side === 'buy') === (current.sign() < 0) && leg.qty.gt(current.abs());
    if (closes && !legRefusal(gate, link, false)) {
      out.push({ leg: { side: leg.side, qty: current.abs(), increasing: false } });
      out.push({ leg: { side: leg.side, qty: leg.qty.sub(current.abs()), increasing: true }, refused: why });
    } else {
      out.push({ leg, refused: why });
    }
  }
  return out;
}

/**
 * Whether an order would add exposure: anything but an order against the position whose live opposing orders (itself
 * included) stay within the position. Checked at send time against the account state as it is then.
 */
export function increasesExposure(book: FollowerBook, rec: IntentRecord): boolean {
  const pos = book.position(rec.symbol);
  if (pos.isZero() || (rec.side === 'buy') === pos.sign() > 0) return true;
  let opposing = Decimal.ZERO;
  const live = book.liveOf(rec.symbol);
  for (const r of live) if (r.side === rec.side && !r.dryRun) opposing = opposing.add(r.qty.sub(r.filledQty));
  if (!live.has(rec)) opposing = opposing.add(rec.qty.sub(rec.filledQty));
  return opposing.gt(pos.abs());
}

/** Why an order may not be sent now (flatten orders always may), or undefined. */
export function sendRefusal(gate: RiskGate, book: FollowerBook, rec: IntentRecord, link: LinkConfig | undefined): string | undefined {
  if (rec.purpose === 'flatten' || !gate.engaged()) return undefined;
  const own = gate.standing(rec.followerAccountId);
  if (own?.state === 'locked') return `${rec.followerAccountId} is locked: ${own.reason}`;
  const leader = link ? gate.standing(link.leader) : undefined;
  const blocked = own?.state === 'blocked' || (leader !== undefined && leader.state !== 'open');
  if (!blocked || !increasesExposure(book, rec)) return undefined;
  return own?.state === 'blocked' ? `${rec.followerAccountId} is blocked (exits only): ${own.reason}` : `copying new exposure from ${link?.leader} is paused by its guard: ${leader?.reason}`;
}
