// Engine events, reports and the snapshot shape, plus the small typed emitter the engine publishes them through.
import type { Alert } from '../domain/alert.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Execution } from '../domain/order.js';
import type { BreakerState, Scope, TradingState, TradingStateChange } from '../domain/trading-state.js';
import type { FlattenResult } from '../ports/broker-adapter.js';
import type { CopyIntent } from '../ports/journal.js';
import type { AccountRiskView } from '../contract/risk.js';

export interface ExecutionEvent {
  readonly execution: Execution;
  readonly receivedAt: number;
  readonly duplicate: boolean;
}

export type DriftAction = 'repaired' | 'alerted' | 'blocked' | 'skipped_in_flight' | 'skipped_not_active';

export interface DriftItem {
  readonly linkId: LinkId;
  readonly followerAccountId: AccountId;
  readonly symbol: string;
  /** Signed target after rounding, filters and caps (decimal text). */
  readonly target: string;
  /** Signed follower position reported by the broker (decimal text). */
  readonly position: string;
  readonly action: DriftAction;
}

export interface ReconcileReport {
  readonly seq: number;
  readonly reason: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly drifts: readonly DriftItem[];
  /** Accounts that could not be read this pass (their symbols were left alone). */
  readonly errors: readonly { readonly accountId: AccountId; readonly message: string }[];
}

export interface FollowerHaltResult {
  readonly accountId: AccountId;
  /** Copies handed to the adapter before the halt and stopped before the wire (client ids): never placed. */
  readonly notSent: readonly string[];
  /** Orders whose outcome was still unknown when the bounded wait ended (client ids); settling continues. */
  readonly unsettled: readonly string[];
  readonly cancelled: readonly FlattenResult[];
  /** Positions closed by journaled 'flatten' orders. */
  readonly flattened: readonly FlattenResult[];
  /** The second pass: orders cancelled and positions closed that appeared during the first. */
  readonly swept: readonly FlattenResult[];
  /** What could not be done, and why. */
  readonly errors: readonly string[];
}

export interface HaltReport {
  readonly scope: Scope;
  readonly at: number;
  readonly followers: readonly FollowerHaltResult[];
  readonly ok: boolean;
}

export interface EngineCounters {
  executions: number;
  duplicatesIgnored: number;
  copies: number;
  repairs: number;
  dryRuns: number;
  fills: number;
  rejects: number;
  unknownOutcomes: number;
  notPlaced: number;
}

export interface EngineSnapshot {
  readonly armed: boolean;
  readonly running: boolean;
  readonly tradingStates: { readonly global: TradingState; readonly followers: Readonly<Record<string, TradingState>> };
  /** Effective state per follower (the stricter of global and its own). */
  readonly effectiveStates: Readonly<Record<string, TradingState>>;
  readonly breakers: readonly BreakerState[];
  /** account -> symbol -> signed qty (decimal text). */
  readonly leaderPositions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly followerPositions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly inFlight: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly openIntents: number;
  readonly counters: Readonly<EngineCounters>;
  readonly lastReconcile?: ReconcileReport;
  /** Risk state per configured account ('ok', 'warning', 'blocked', 'locked'). */
  readonly riskStates: Readonly<Record<string, 'ok' | 'warning' | 'blocked' | 'locked'>>;
}

/** A follower-side exit (a bracket stop or target filled): that follower's part of the leader's episode ended. */
export interface FollowerExitEvent {
  readonly linkId: LinkId;
  readonly followerAccountId: AccountId;
  /** Follower symbol and the leader symbol whose episode it mirrored. */
  readonly symbol: string;
  readonly leaderSymbol: string;
  readonly reason: 'stop_loss' | 'take_profit' | 'risk_guard' | 'unfilled_copy';
  /** Quantity the exit filled (decimal text). */
  readonly qty: string;
  readonly time: number;
}

export interface EngineEvents {
  execution: ExecutionEvent;
  intent: CopyIntent;
  alert: Alert;
  state: TradingStateChange;
  breaker: BreakerState;
  reconciled: ReconcileReport;
  followerExit: FollowerExitEvent;
  /** An account's risk view after its guard levels, locks or day changed (values coalesced). */
  risk: AccountRiskView;
}

type Listener<T> = (payload: T) => void;

export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  has(event: keyof E): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls every listener; a throwing listener never breaks the engine or other listeners. */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of set) {
      try {
        (fn as Listener<E[K]>)(payload);
      } catch {
        // A subscriber's bug must not stop copying; subscribers own their own error reporting.
      }
    }
  }
}
