// `status`: the journal's view of a data dir (workspace, positions, trading and breaker state, counts), without running.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openJournalStore } from '../store/index.js';
import { loadWorkspace } from '../app/workspace-store.js';

export function statusReport(dataDir: string) {
  const file = join(dataDir, 'journal.sqlite');
  if (!existsSync(file)) throw new Error(`no journal in ${dataDir} (run the workspace there first)`);
  const store = openJournalStore(file);
  try {
    const ws = loadWorkspace(store);
    const states = store.journal.tradingStates();
    const breakers = store.journal.breakerStates();
    const positions = store.queries.journalPositions();
    const counts = store.queries.counts(Date.now());
    return {
      dataDir,
      accounts: (ws?.accounts ?? []).map((a) => ({
        id: a.id,
        label: a.label,
        broker: a.broker,
        environment: a.environment,
        role: ws?.links.some((l) => l.leader === a.id) ? 'leader' : ws?.links.some((l) => l.follower === a.id) ? 'follower' : 'unlinked',
        tradingState: states.get(a.id) ?? 'active',
        positions: positions.filter((p) => p.accountId === a.id).map((p) => ({ symbol: p.symbol, qty: p.qty.toString() })),
      })),
      links: ws?.links ?? [],
      trading: { global: states.get('global') ?? 'active' },
      breakers: [...breakers.values()],
      counts,
    };
  } finally {
    store.close();
  }
}

export function printStatus(dataDir: string, json: boolean): number {
  const report = statusReport(dataDir);
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `data dir  ${report.dataDir}`,
    `trading   ${report.trading.global}${report.breakers.some((b) => b.tripped) ? '  (breaker tripped)' : ''}`,
    `copies    ${report.counts.copies} (${report.counts.rejects} rejected), alerts ${report.counts.alerts}`,
    ...report.accounts.map(
      (a) =>
        `  ${a.id.padEnd(20)} ${a.role.padEnd(9)} ${a.broker}/${a.environment} ${a.tradingState} ` +
        (a.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ') || 'flat'),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
