// `status`: the journal's view of a data dir (workspace, last known positions, trading and breaker state, counts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openJournal } from '../store/index.js';
import { isDemo, loadPositions, loadWorkspace } from '../app/workspace-store.js';

export function statusReport(dataDir: string) {
  const file = join(dataDir, 'journal.sqlite');
  if (!existsSync(file)) throw new Error(`no journal in ${dataDir} (run a workspace there first)`);
  const journal = openJournal(file);
  try {
    const q = journal.queries;
    const ws = loadWorkspace(q);
    const states = journal.tradingStates();
    const saved = loadPositions(q);
    const counts = q.counts();
    const role = (id: string) =>
      ws?.links.some((l) => l.leader === id) ? 'leader' : ws?.links.some((l) => l.follower === id) ? 'follower' : 'unlinked';
    return {
      dataDir,
      demo: isDemo(q),
      accounts: (ws?.accounts ?? []).map((a) => ({
        id: a.id,
        label: a.label,
        broker: a.broker,
        environment: a.environment,
        role: role(a.id),
        tradingState: states.get(a.id) ?? 'active',
        positions: saved?.accounts[a.id] ?? [],
      })),
      positionsSavedAt: saved ? new Date(saved.savedAt).toISOString() : null,
      links: ws?.links ?? [],
      trading: { global: states.get('global') ?? 'active' },
      breakers: [...journal.breakerStates().values()],
      counts: {
        copies: counts.copies,
        open: counts.open,
        rejects: counts.rejects,
        unknown: counts.unknown,
        today: counts.today,
        alerts: counts.alerts,
        unacknowledgedAlerts: counts.unacknowledgedAlerts,
        latency: counts.latency,
      },
    };
  } finally {
    journal.close();
  }
}

export function printStatus(dataDir: string, json: boolean): number {
  const report = statusReport(dataDir);
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const tripped = report.breakers.filter((b) => b.tripped).map((b) => b.scope);
  const lines = [
    `data dir  ${report.dataDir}${report.demo ? ' (demo)' : ''}`,
    `trading   ${report.trading.global}${tripped.length ? `  (breaker tripped: ${tripped.join(', ')})` : ''}`,
    `copies    ${report.counts.copies} (${report.counts.rejects} rejected, ${report.counts.unknown} unknown), ` +
      `alerts ${report.counts.alerts} (${report.counts.unacknowledgedAlerts} unread)`,
    `positions as of ${report.positionsSavedAt ?? 'never'}`,
    ...report.accounts.map(
      (a) =>
        `  ${a.id.padEnd(20)} ${a.role.padEnd(9)} ${`${a.broker}/${a.environment}`.padEnd(16)} ${a.tradingState.padEnd(7)} ` +
        (a.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ') || 'flat'),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
