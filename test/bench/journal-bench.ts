// Journal benchmark: recordExecution throughput with 10 intents per execution on a temp WAL file, then the
// write-behind update path and the dashboard queries on the result. Prints numbers; asserts nothing.
// Usage: npx tsx test/bench/journal-bench.ts [executions=20000] [followers=10] [burst=100]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followerClientId } from '../../core/domain/client-id.js';
import { dec } from '../../core/domain/decimal.js';
import { accountId, brokerOrderId, executionId, intentId, linkId } from '../../core/domain/ids.js';
import type { Execution } from '../../core/domain/order.js';
import type { CopyIntent } from '../../core/ports/journal.js';
import { openJournal } from '../../core/store/index.js';

const executions = Number(process.argv[2] ?? 20_000);
const followers = Number(process.argv[3] ?? 10);
const burst = Number(process.argv[4] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-journal-bench-'));
const path = join(dir, 'journal.sqlite');
const followerIds = Array.from({ length: followers }, (_, k) => accountId(`follower-${k}`));

function batch(n: number): [Execution, CopyIntent[]] {
  const id = executionId(randomUUID());
  const price = dec('190.25');
  const exec: Execution = {
    id, accountId: accountId('leader'), symbol: 'AAPL', side: n % 2 ? 'sell' : 'buy', qty: dec(100), price, time: n,
    raw: { execution_id: id, order: { id: randomUUID(), symbol: 'AAPL', qty: '100', filled_avg_price: '190.25' } },
  };
  // Like the engine: the intent id is the follower client order id (a hash, so both unique indexes see random keys).
  const intents = followerIds.map(
    (f): CopyIntent => ({
      id: intentId(followerClientId(f, id, 0)), linkId: linkId(`link-${f}`), leaderAccountId: exec.accountId, followerAccountId: f,
      sourceId: id, executionId: id, attempt: 0, clientOrderId: followerClientId(f, id, 0), leaderSymbol: 'AAPL',
      symbol: 'AAPL', side: exec.side, qty: dec(10), orderType: 'market', purpose: 'copy', dryRun: false, target: dec(10),
      leaderPrice: price, status: 'planned', filledQty: dec(0), leaderReceivedAt: n, createdAt: n,
    }),
  );
  return [exec, intents];
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');

/** Times fn by wall clock and by this process's CPU, and prints executions per second of each. */
function timed(label: string, fn: () => void): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${label}: ${executions} executions x ${followers} intents in ${ms.toFixed(0)} ms = ${rate(executions, ms)} executions/s ` +
      `(${rate(executions * (followers + 1), ms)} rows/s, ${((ms * 1000) / executions).toFixed(1)} us each); ` +
      `CPU ${cpuMs.toFixed(0)} ms (user ${(cpu.user / 1000).toFixed(0)}, system ${(cpu.system / 1000).toFixed(0)}) = ` +
      `${rate(executions, cpuMs)} executions per CPU-second`,
  );
}

try {
  const journal = openJournal(path);
  const work = Array.from({ length: executions }, (_, n) => batch(n));
  timed('recordExecution, one commit each', () => {
    for (const [exec, intents] of work) journal.recordExecution(exec, exec.time, intents);
  });

  const grouped = openJournal(join(dir, 'grouped.sqlite'));
  const fresh = Array.from({ length: executions }, (_, n) => batch(n));
  timed(`recordExecution, group commit of ${burst} (batch())`, () => {
    for (let i = 0; i < fresh.length; i += burst) {
      grouped.batch(() => {
        for (const [exec, intents] of fresh.slice(i, i + burst)) grouped.recordExecution(exec, exec.time, intents);
      });
    }
  });
  grouped.close();

  const t1 = performance.now();
  let updates = 0;
  for (const [, intents] of work) {
    for (const i of intents) {
      journal.updateIntent(i.id, { status: 'accepted', brokerOrderId: brokerOrderId(`b-${i.id}`), sentAt: 1, ackAt: 2, raw: { status: 'new' } });
      journal.updateIntent(i.id, { status: 'filled', filledQty: i.qty, avgFillPrice: dec('190.26'), filledAt: 3, raw: { status: 'filled' } });
      updates += 2;
    }
  }
  journal.flush();
  const updateMs = performance.now() - t1;
  console.log(`updateIntent (write-behind, with raw events): ${updates} updates in ${updateMs.toFixed(0)} ms = ${rate(updates, updateMs)} updates/s`);

  const t2 = performance.now();
  const page = journal.queries.listCopies({ followerAccountId: followerIds[0]! }, { limit: 50 });
  const pageMs = performance.now() - t2;
  const t3 = performance.now();
  const counts = journal.queries.counts({ dayStart: 0 });
  const countsMs = performance.now() - t3;
  console.log(`listCopies (one follower, 50 rows of ${page.total}): ${pageMs.toFixed(1)} ms; counts over ${counts.copies} copies: ${countsMs.toFixed(1)} ms`);
  journal.close();
  console.log(`database file: ${(statSync(path).size / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
