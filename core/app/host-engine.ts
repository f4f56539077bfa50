// The AppHost's one CopyEngine: built once (no adapters or links yet: the host hands them over as accounts connect and
// the workspace changes) and wired to the host's events and notifier for the life of the host.
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import type { Clock } from '../ports/clock.js';
import { CopyEngine } from '../engine/index.js';
import type { SqliteJournal } from '../store/index.js';
import type { AppHostEvents, AppHostOptions } from './app-host-types.js';

/** Alert codes the host surfaces as desktop notifications (critical ones are notified by the engine itself). */
export const NOTIFY_CODES = new Set(['disconnected', 'auth_failed', 'order_rejected', 'drift']);

export interface HostEngineDeps {
  readonly opts: AppHostOptions;
  readonly journal: SqliteJournal;
  readonly clock: Clock;
  readonly workspace: WorkspaceConfig;
  readonly emit: <K extends keyof AppHostEvents>(event: K, ...args: AppHostEvents[K]) => void;
}

export function createHostEngine({ opts, journal, clock, workspace, emit }: HostEngineDeps): CopyEngine {
  const engine = new CopyEngine({
    clock,
    journal,
    notifier: opts.notifier ?? { notify: () => undefined },
    brokers: new Map(),
    links: [],
    risk: workspace.risk,
    ...(opts.haltWaitMs !== undefined ? { haltWaitMs: opts.haltWaitMs } : {}),
    ...(opts.armRetryMs !== undefined ? { armRetryMs: opts.armRetryMs } : {}),
  });
  engine.on('intent', (i) => emit('intent', i));
  engine.on('execution', (e) => emit('execution', e));
  engine.on('alert', (a) => {
    if (a.severity !== 'critical' && NOTIFY_CODES.has(a.code)) opts.notifier?.notify(a);
    emit('alert', a);
    emit('snapshot');
  });
  engine.on('state', (st) => {
    emit('state', { scope: st.scope, state: st.state });
    emit('snapshot');
  });
  engine.on('breaker', () => emit('snapshot'));
  engine.on('reconciled', () => emit('snapshot'));
  engine.on('risk', (view) => emit('risk', view));
  engine.setAccounts(workspace.accounts);
  return engine;
}
