// The embedded demo: a simulated leader traded by a seeded bot and three followers with different sizing.
import { parseWorkspaceConfig, type WorkspaceConfig } from '../domain/workspace-config.js';

export const DEMO_LEADER = 'demo-leader';

export function demoWorkspace(): WorkspaceConfig {
  return parseWorkspaceConfig({
    accounts: [
      { id: DEMO_LEADER, label: 'Leader (sim)', broker: 'sim', environment: 'paper' },
      { id: 'demo-mirror', label: 'Mirror 1x (sim)', broker: 'sim', environment: 'paper' },
      { id: 'demo-half', label: 'Half size (sim)', broker: 'sim', environment: 'paper' },
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
