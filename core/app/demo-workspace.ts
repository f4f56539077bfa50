// The embedded demo: a simulated leader traded by a seeded bot and three followers with different sizing (one guarded).
import { parseWorkspaceConfig, type WorkspaceConfig } from '../domain/workspace-config.js';

export const DEMO_LEADER = 'demo-leader';

export function demoWorkspace(): WorkspaceConfig {
  return parseWorkspaceConfig({
    accounts: [
      { id: DEMO_LEADER, label: 'Leader (sim)', broker: 'sim', environment: 'paper' },
      { id: 'demo-mirror', label: 'Mirror 1x (sim)', broker: 'sim', environment: 'paper' },
      {
        id: 'demo-half',
        label: 'Half size (sim)',
        broker: 'sim',
        environment: 'paper',
        // Risk guards to show on the dashboard: a daily loss limit that flattens and locks, a profit target that alerts.
        guards: { dailyLoss: { limit: '2500', action: 'flatten_lock' }, profitTarget: { target: '5000', action: 'alert' } },
      },
      { id: 'demo-es', label: 'MES -> ES (sim)', broker: 'sim', environment: 'paper' },
    ],
    links: [
      { leader: DEMO_LEADER, follower: 'demo-mirror', sizing: { mode: 'multiplier', value: '1' } },
      { leader: DEMO_LEADER, follower: 'demo-half', sizing: { mode: 'multiplier', value: '0.5' } },
      {
        leader: DEMO_LEADER,
        follower: 'demo-es',
        sizing: { mode: 'multiplier', value: '1' },
        symbolMap: { MES: { symbol: 'ES', factor: '0.1' } },
        copyUnmapped: false,
      },
    ],
    risk: { reconcileIntervalMs: 15_000 },
  });
}
