// Small status widgets: trading-state pill, connection dot, paper/live badge, signed P&L number.
import type { AccountView } from '../../core/contract/index.js';
import { signOf, signedMoney } from '../format.js';

export function StatePill({ state, testId }: { state: 'active' | 'paused' | 'halted'; testId?: string }) {
  const label = state === 'active' ? 'Active' : state === 'paused' ? 'Paused' : 'Halted';
  return (
    <span className={`pill pill-${state}`} data-testid={testId} data-state={state}>
      {label}
    </span>
  );
}

type State = 'active' | 'paused' | 'halted';
const RANK: Record<State, number> = { active: 0, paused: 1, halted: 2 };

/** A follower's effective state: the stricter of the global state and its own. */
export function effectiveState(global: State, own: State): State {
  return RANK[global] >= RANK[own] ? global : own;
}

export function ConnDot({ conn }: { conn: AccountView['connection'] }) {
  return (
    <span className={`conn conn-${conn.status}`} title={conn.reason ?? conn.status}>
      <span className="dot" aria-hidden="true" />
      {conn.status}
    </span>
  );
}

export function EnvBadge({ env }: { env: 'paper' | 'live' }) {
  return <span className={`tag tag-${env}`}>{env === 'live' ? 'LIVE' : 'paper'}</span>;
}

export function Pnl({ value, dp = 2 }: { value: string | undefined | null; dp?: number }) {
  return <span className={`num pnl-${signOf(value)}`}>{signedMoney(value, dp)}</span>;
}

export function Side({ side }: { side: 'buy' | 'sell' }) {
  return <span className={`side side-${side}`}>{side === 'buy' ? 'BUY' : 'SELL'}</span>;
}

const STATUS_CLASS: Record<string, string> = {
  filled: 'ok',
  partially_filled: 'warn',
  accepted: 'info',
  planned: 'muted',
  dry_run: 'muted',
  unknown: 'warn',
  rejected: 'bad',
  canceled: 'muted',
  expired: 'muted',
};

export function OrderStatus({ status }: { status: string }) {
  return <span className={`status status-${STATUS_CLASS[status] ?? 'info'}`}>{status.replace('_', ' ')}</span>;
}
