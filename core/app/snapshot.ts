// WorkspaceSnapshot: everything the dashboard, tray and `status` command show, in one serialisable shape.
import type { AlertId } from '../domain/ids.js';
import type { BrokerKind } from '../domain/instrument.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { BreakerState, TradingState } from '../domain/trading-state.js';
import type { ConnectionHealth } from '../ports/broker-adapter.js';
import type { CredentialStorage } from '../secrets/index.js';
import type { DriftItem } from '../engine/index.js';

export type AccountRole = 'leader' | 'follower' | 'unlinked';

export interface PositionView {
  readonly symbol: string;
  /** Signed decimal string. */
  readonly qty: string;
  readonly avgPrice?: string;
}

export interface AccountView {
  readonly id: string;
  readonly label: string;
  readonly broker: BrokerKind;
  readonly environment: 'paper' | 'live';
  readonly role: AccountRole;
  readonly enabled: boolean;
  readonly hasCredentials: boolean;
  readonly brokerAccountId?: string;
  /** The broker's own name (ProjectX) or number (Alpaca) of the account, once read. */
  readonly brokerAccountName?: string;
  readonly endpoints: { readonly rest?: string; readonly stream?: string; readonly userHub?: string };
  readonly connection: ConnectionHealth;
  readonly equity?: string;
  readonly dayPnl?: string;
  readonly currency?: string;
  readonly canTrade?: boolean;
  readonly positions: readonly PositionView[];
  /** Own trading state (followers); the effective state also depends on the global one. */
  readonly tradingState: TradingState;
}

export interface Counters {
  readonly copies: number;
  readonly copiesToday: number;
  readonly rejects: number;
  readonly unknown: number;
  readonly alertsUnread: number;
  readonly avgLatencyMs?: number;
}

export interface WorkspaceSnapshot {
  readonly accounts: readonly AccountView[];
  readonly links: readonly LinkConfig[];
  readonly trading: { readonly global: TradingState; readonly followers: Readonly<Record<string, TradingState>> };
  readonly breakers: readonly BreakerState[];
  /** False until the first reconciliation after start has completed. */
  readonly armed: boolean;
  readonly running: boolean;
  readonly demo: boolean;
  readonly dryRun: boolean;
  readonly counters: Counters;
  /** Follower positions that differed from their target at the last reconciliation (in-flight ones left out). */
  readonly drifts: readonly DriftItem[];
  readonly lastAlertId?: AlertId;
  /** Where credentials are kept (keychain, file, environment, or memory that a restart loses). */
  readonly credentialStorage?: CredentialStorage;
}
