// Builds the WorkspaceSnapshot from the workspace config, the live account runtimes, the engine and the journal.
import type { BreakerState, Scope, TradingState } from '../domain/trading-state.js';
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import type { EngineSnapshot } from '../engine/index.js';
import type { AccountRuntime } from './account-runtime.js';
import type { JournalCounts } from '../store/index.js';
import type { AccountRole, Counters, WorkspaceSnapshot } from './snapshot.js';

type TradingStates = WorkspaceSnapshot['trading'];

export interface SnapshotInputs {
  readonly workspace: WorkspaceConfig;
  readonly runtimes: ReadonlyMap<string, AccountRuntime>;
  readonly engine: EngineSnapshot | undefined;
  readonly persistedStates: ReadonlyMap<Scope, TradingState>;
  readonly persistedBreakers: ReadonlyMap<Scope, BreakerState>;
  readonly counts: JournalCounts;
  readonly hasCredentials: ReadonlySet<string>;
  readonly running: boolean;
  readonly demo: boolean;
}

function roleOf(ws: WorkspaceConfig, id: string): AccountRole {
  if (ws.links.some((l) => l.leader === id)) return 'leader';
  if (ws.links.some((l) => l.follower === id)) return 'follower';
  return 'unlinked';
}

/**
 * Trading states and breakers of the current accounts only: the journal (and an engine restored from it) still holds
 * the rows of removed accounts, which the snapshot must not list.
 */
function currentScopes(i: SnapshotInputs): { trading: TradingStates; breakers: BreakerState[] } {
  const ids = new Set<string>(i.workspace.accounts.map((a) => a.id));
  const followerStates = i.engine?.tradingStates.followers ?? Object.fromEntries([...i.persistedStates].filter(([s]) => s !== 'global'));
  const followers = Object.fromEntries(Object.entries(followerStates).filter(([id]) => ids.has(id)));
  const global = i.engine?.tradingStates.global ?? i.persistedStates.get('global') ?? 'active';
  const breakers = i.engine?.breakers ?? [...i.persistedBreakers.values()];
  return {
    trading: { global, followers: followers as TradingStates['followers'] },
    breakers: breakers.filter((b) => b.scope === 'global' || ids.has(b.scope)),
  };
}

export function buildSnapshot(i: SnapshotInputs): WorkspaceSnapshot {
  const { trading, breakers } = currentScopes(i);
  const accounts = i.workspace.accounts.map((a) => {
    const view = i.runtimes.get(a.id)?.view();
    const name = brokerAccountName(view?.account?.raw);
    return {
      id: a.id,
      label: a.label,
      broker: a.broker,
      environment: a.environment,
      role: roleOf(i.workspace, a.id),
      enabled: a.enabled,
      hasCredentials: a.broker === 'sim' || i.hasCredentials.has(a.id),
      ...(a.brokerAccountId ? { brokerAccountId: a.brokerAccountId } : {}),
      ...(name ? { brokerAccountName: name } : {}),
      endpoints: a.endpoints,
      connection: view?.connection ?? { status: 'disconnected' as const },
      ...(view?.account
        ? {
            equity: view.account.equity.toFixed(2),
            dayPnl: view.account.dayPnl.toFixed(2),
            currency: view.account.currency,
            canTrade: view.account.canTrade,
          }
        : {}),
      positions: view?.positions ?? [],
      tradingState: trading.followers[a.id] ?? 'active',
      ...(a.guards ? { guards: a.guards } : {}),
      ...(i.engine?.riskStates[a.id] ? { riskState: i.engine.riskStates[a.id] } : {}),
    };
  });
  return {
    accounts,
    links: i.workspace.links,
    trading,
    breakers,
    armed: i.engine?.armed ?? false,
    running: i.running,
    demo: i.demo,
    dryRun: i.workspace.risk.dryRun,
    counters: countersOf(i.counts),
    drifts: (i.engine?.lastReconcile?.drifts ?? []).filter((d) => d.action !== 'skipped_in_flight'),
  };
}

/** The broker's own name of the account: ProjectX `name`, Alpaca `account_number`. */
function brokerAccountName(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { name?: unknown; account_number?: unknown };
  const name = typeof r.name === 'string' ? r.name : r.account_number;
  return typeof name === 'string' && name ? name : undefined;
}

function countersOf(c: JournalCounts): Counters {
  return {
    copies: c.copies,
    copiesToday: c.today,
    rejects: c.rejects,
    unknown: c.unknown,
    alertsUnread: c.unacknowledgedAlerts,
    ...(c.latency.avgMs !== undefined ? { avgLatencyMs: c.latency.avgMs } : {}),
  };
}
