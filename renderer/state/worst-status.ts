// The worst truth of the workspace in one line: what the status bar and the window title say (halted, a leader down,
// a follower halted or drifting, a position left unmanaged) instead of a cheerful "active" that hides it.
import type { WorkspaceSnapshotView } from '../../core/contract/index.js';
import { qty } from '../format.js';

export type Level = 'ok' | 'warn' | 'bad';

export interface StatusReason {
  readonly level: Level;
  /** Short form for the status bar and title ("Leader disconnected"). */
  readonly short: string;
  /** The full sentence naming the account. */
  readonly text: string;
}

export interface StatusTruth {
  readonly level: Level;
  readonly headline: string;
  /** Worst first. */
  readonly reasons: readonly StatusReason[];
}

const RANK: Record<Level, number> = { ok: 0, warn: 1, bad: 2 };
const nonZero = (q: string): boolean => /[1-9]/.test(q);

/** Every reason the workspace is not simply "copying", worst first; `extra` are reasons from elsewhere (risk guards). */
export function statusReasons(snap: WorkspaceSnapshotView, extra: readonly StatusReason[] = []): StatusReason[] {
  const out: StatusReason[] = [];
  const add = (level: Level, short: string, text: string) => out.push({ level, short, text });
  const label = (id: string) => snap.accounts.find((a) => a.id === id)?.label ?? id;
  if (snap.accounts.length === 0) return out;
  if (snap.running === false) add('warn', 'Stopped', 'The workspace is stopped: nothing is connected or copied.');
  if (snap.trading.global === 'halted') add('bad', 'Halted', 'Kill switch engaged: no orders leave the app until someone resumes.');
  for (const b of snap.breakers) {
    if (b.tripped) add('bad', 'Breaker tripped', `Circuit breaker ${b.scope === 'global' ? '(global)' : `of ${label(b.scope)}`} tripped${b.reason ? `: ${b.reason}` : ''}.`);
  }
  for (const a of snap.accounts) {
    if (a.role === 'leader' && a.connection.status !== 'connected') {
      add('bad', 'Leader disconnected', `Leader ${a.label} is not connected (${a.connection.status}${a.connection.reason ? `: ${a.connection.reason}` : ''}): its trades are not seen.`);
    }
  }
  for (const a of snap.accounts) {
    if (a.role !== 'follower') continue;
    if (a.tradingState === 'halted' && snap.trading.global !== 'halted') add('bad', 'Follower halted', `Follower ${a.label} is halted.`);
    if (a.connection.status !== 'connected') add('warn', 'Follower disconnected', `Follower ${a.label} is not connected (${a.connection.status}${a.connection.reason ? `: ${a.connection.reason}` : ''}).`);
    const link = snap.links.find((l) => l.follower === a.id);
    const open = a.positions.filter((p) => nonZero(p.qty));
    if (link && !link.enabled && open.length > 0) {
      const held = open.map((p) => `${p.symbol} ${qty(p.qty)}`).join(', ');
      add('warn', 'Position unmanaged', `Copying is off for ${a.label} while it holds ${held}: nobody manages that position.`);
    }
    if (a.tradingState === 'paused' && snap.trading.global === 'active') add('warn', 'Follower paused', `Follower ${a.label} is paused.`);
  }
  for (const d of snap.drifts ?? []) {
    add('warn', 'Drifting', `${label(d.followerAccountId)} holds ${qty(d.position)} ${d.symbol} where the target is ${qty(d.target)}.`);
  }
  if (snap.trading.global === 'paused') add('warn', 'Paused', 'Copying is paused: no new copies, positions stay open.');
  if (snap.running !== false && !snap.armed && snap.trading.global !== 'halted') add('warn', 'Reconciling', 'Not armed yet: reading every account before copying.');
  return [...out, ...extra].sort((x, y) => RANK[y.level] - RANK[x.level]);
}

export function worstStatus(snap: WorkspaceSnapshotView, extra: readonly StatusReason[] = []): StatusTruth {
  const reasons = statusReasons(snap, extra);
  const first = reasons[0];
  if (snap.accounts.length === 0) return { level: 'ok', headline: 'Not configured', reasons };
  if (!first) return { level: 'ok', headline: snap.dryRun ? 'Active · armed · dry run' : 'Active · armed', reasons };
  const more = reasons.length - 1;
  return { level: first.level, headline: `${first.short}${more > 0 ? ` (+${more})` : ''}`, reasons };
}

/** The window title: the worst truth first, so a taskbar or tab shows it. */
export function windowTitle(truth: StatusTruth): string {
  if (truth.level === 'ok') return `Mirrordesk · ${truth.headline}`;
  return `${truth.level === 'bad' ? '⛔' : '⚠'} ${truth.headline} · Mirrordesk`;
}
