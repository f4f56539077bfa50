// Trading state: active, paused (no new copies) or halted (kill switch); global and per follower.
import type { AccountId } from './ids.js';

export type TradingState = 'active' | 'paused' | 'halted';
/** 'global' or a follower account id. */
export type Scope = 'global' | AccountId;

export interface TradingStateChange {
  readonly scope: Scope;
  readonly state: TradingState;
  readonly reason: string;
  readonly actor: string;
  readonly time: number;
}

/** The effective state of a follower: the stricter of global and its own. */
export function effectiveState(global: TradingState, own: TradingState | undefined): TradingState {
  const rank = { active: 0, paused: 1, halted: 2 } as const;
  const o = own ?? 'active';
  return rank[global] >= rank[o] ? global : o;
}

export interface BreakerState {
  readonly scope: Scope;
  readonly tripped: boolean;
  readonly reason?: string;
  readonly trippedAt?: number;
}
