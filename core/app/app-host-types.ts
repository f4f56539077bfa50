// AppHost's options and typed events (what desktop, headless and tests pass in and listen to).
import type { Alert } from '../domain/alert.js';
import type { Scope, TradingState } from '../domain/trading-state.js';
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import type { StatusEvent } from '../ports/broker-adapter.js';
import type { Clock } from '../ports/clock.js';
import type { CopyIntent } from '../ports/journal.js';
import type { Notifier } from '../ports/notifier.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { ExecutionEvent } from '../engine/index.js';
import type { SimExchange } from '../brokers/sim/index.js';
import type { Logger } from './logger.js';
import type { AccountRiskView } from '../contract/risk.js';

export interface AppHostOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  readonly notifier?: Notifier;
  readonly log?: Logger;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the stored workspace (headless --config). */
  readonly config?: WorkspaceConfig;
  /** Installs the simulated demo workspace and its trading bot when no workspace is stored (a stored one resumes). */
  readonly demo?: boolean;
  /** Seed of the simulated venue and the demo bot. */
  readonly seed?: number;
  /** How often account equity and positions are re-read, ms. */
  readonly accountRefreshMs?: number;
  /** The simulated venue sim accounts trade on (tests inject one to drive the leader and inspect followers). */
  readonly simExchange?: SimExchange;
  /** First wait before a failed account connection is retried (doubling up to a minute); default 2 s. */
  readonly reconnectMs?: number;
  /** First wait before links that could not arm are retried (doubling up to a minute); default 2 s. */
  readonly armRetryMs?: number;
  /** How long the kill switch waits for orders already handed to adapters; default 10 s. */
  readonly haltWaitMs?: number;
}

export interface AppHostEvents {
  snapshot: [];
  intent: [CopyIntent];
  execution: [ExecutionEvent];
  alert: [Alert];
  state: [{ scope: Scope; state: TradingState }];
  'account-status': [{ accountId: string; status: StatusEvent }];
  risk: [AccountRiskView];
}
