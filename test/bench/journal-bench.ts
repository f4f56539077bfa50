// Journal benchmark: the journal's own cost per leader execution with 10 live intents (status 'planned', ids and sizes
// as the engine makes them), in group commits as core/engine/leader-flow.ts journals them; the intents INSERT of
// before this branch (29 parameters a row) against today's, in alternating rounds of one run; then the write-behind
// patch/fill path (sent, acknowledged, filled, one fill) and the dashboard queries. Prints numbers; asserts nothing.
// Usage: npx tsx test/bench/journal-bench.ts [executions=20000] [followers=10] [burst=100] [rounds=5] [sections=core,journal,models]
// (core: before/after rounds; journal: SqliteJournal record, write-behind and queries; models: what recording costs in
// three storage shapes, today's against two the 20,000 executions/s goal of issue 11 would need)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { followerClientId } from '../../core/domain/client-id.js';
import { dec } from '../../core/domain/decimal.js';
import { accountId, brokerOrderId, executionId, intentId, type IntentId, linkId } from '../../core/domain/ids.js';
import type { Execution } from '../../core/domain/order.js';
import type { CopyIntent, FollowerFill, IntentPatch } from '../../core/ports/journal.js';
import { openDatabase, openJournal } from '../../core/store/index.js';
import { ExecutionRepo } from '../../core/store/executions.js';
import type { EventRecord } from '../../core/store/intent-insert.js';
import { IntentRepo } from '../../core/store/intents.js';

const executions = Number(process.argv[2] ?? 20_000);
const followers = Number(process.argv[3] ?? 10);
const burst = Number(process.argv[4] ?? 100);
const rounds = Number(process.argv[5] ?? 5);
const sections = (process.argv[6] ?? 'core,journal').split(',');
const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-journal-bench-'));
const followerIds = Array.from({ length: followers }, (_, k) => accountId(`follower-${k}`));
const ratios = ['0.5', '1', '2', '3', '1.5', '0.25', '4', '1', '2', '5'];
const LEADER = accountId('leader');
let files = 0;
const nextPath = () => join(dir, `journal-${++files}.sqlite`);

type Work = readonly [Execution, CopyIntent[]];

/** One leader execution and its live intents, shaped like the engine's (core/engine/copier.ts). */
function work(n: number, tag: string): Work {
  const id = executionId(`${tag}-${n}`);
  const now = 1_780_000_000_000 + n;
  const price = dec('6000.25');
  const side = n % 2 ? 'sell' : 'buy';
  const exec: Execution = { id, accountId: LEADER, symbol: 'ES', side, qty: dec(4), price, time: now, positionAfter: dec(n % 2 ? -2 : 2) };
  // The intent id is time first, then the client order id (a hash), as the engine makes it.
  const prefix = now.toString(36).padStart(9, '0');
  const intents = followerIds.map((f, k): CopyIntent => {
    const cid = followerClientId(f, id, 0);
    const ratio = dec(ratios[k % ratios.length]!);
    return {
      id: intentId(`${prefix}-${cid}`), linkId: linkId(`link-${f}`), leaderAccountId: LEADER, followerAccountId: f, sourceId: id,
      executionId: id, attempt: 0, clientOrderId: cid, leaderSymbol: 'ES', symbol: 'ES', side, qty: dec(4).mul(ratio),
      orderType: 'market', purpose: 'copy', dryRun: false, target: dec(n % 2 ? -2 : 2).mul(ratio), leaderPrice: price,
      status: 'planned', filledQty: dec(0), leaderReceivedAt: now, createdAt: now,
    };
  });
  return [exec, intents];
}

const workload = (tag: string): Work[] => Array.from({ length: executions }, (_, n) => work(n, tag));

/** CPU microseconds (user + system) fn takes, per execution. */
function cpuPerExecution(fn: () => void): number {
  const cpu0 = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / executions;
}

const us = (v: number) => `${v.toFixed(1)} us`;
const perSecond = (usPerExec: number) => Math.round(1e6 / usPerExec).toLocaleString('en-US');

// The intents INSERT this branch replaced: every column of every row bound (29 parameters an intent).
const LEGACY_COLUMNS = [
  'id', 'link_id', 'leader_account_id', 'follower_account_id', 'source_id', 'execution_id', 'attempt',
  'client_order_id', 'leader_symbol', 'symbol', 'side', 'qty', 'order_type', 'limit_price', 'purpose', 'dry_run',
  'target', 'leader_price', 'status', 'broker_order_id', 'filled_qty', 'avg_fill_price', 'error',
  'leader_received_at', 'created_at', 'sent_at', 'ack_at', 'filled_at', 'plan_latency_ms',
];
function legacyInsert(db: BetterSqlite3.Database): (intents: readonly CopyIntent[]) => void {
  const row = `(${LEGACY_COLUMNS.map(() => '?').join(', ')})`;
  const stmts: BetterSqlite3.Statement[] = [];
  const text = (d: { toString(): string } | undefined) => (d === undefined ? null : d.toString());
  return (intents) => {
    const p: unknown[] = [];
    for (const i of intents) {
      p.push(
        i.id, i.linkId, i.leaderAccountId, i.followerAccountId, i.sourceId, i.executionId ?? null, i.attempt,
        i.clientOrderId, i.leaderSymbol, i.symbol, i.side, i.qty.toString(), i.orderType, text(i.limitPrice), i.purpose,
        i.dryRun ? 1 : 0, i.target.toString(), text(i.leaderPrice), i.status, i.brokerOrderId ?? null,
        i.filledQty.toString(), text(i.avgFillPrice), i.error ?? null, i.leaderReceivedAt, i.createdAt,
        i.sentAt ?? null, i.ackAt ?? null, i.filledAt ?? null, i.planLatencyMs ?? null,
      );
    }
    const n = intents.length;
    (stmts[n] ??= db.prepare(`INSERT INTO intents (${LEGACY_COLUMNS.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}`)).run(p);
  };
}

const LEGACY_PATCHED = [
  'status', 'broker_order_id', 'filled_qty', 'avg_fill_price', 'error', 'sent_at', 'ack_at', 'filled_at', 'plan_latency_ms',
];

/** The write-behind flush this branch replaced: one UPDATE binding all 10 columns, one statement per event and fill. */
function legacyFlush(db: BetterSqlite3.Database): (patches: Flush) => void {
  const update = db.prepare(`UPDATE intents SET ${LEGACY_PATCHED.map((c) => `${c} = coalesce(?, ${c})`).join(', ')} WHERE id = ?`);
  const event = db.prepare('INSERT INTO intent_events (intent_id, time, status, error, raw) VALUES (?, ?, ?, ?, ?)');
  const fill = db.prepare('INSERT INTO fills (intent_id, account_id, symbol, side, qty, price, time) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return ({ patches, events, fills }) => {
    for (const [id, p] of patches) {
      update.run(
        p.status ?? null, p.brokerOrderId ?? null, p.filledQty?.toString() ?? null, p.avgFillPrice?.toString() ?? null,
        p.error ?? null, p.sentAt ?? null, p.ackAt ?? null, p.filledAt ?? null, p.planLatencyMs ?? null, id,
      );
    }
    for (const e of events) event.run(e.id, e.time, e.status ?? null, e.error ?? null, e.raw);
    for (const f of fills) fill.run(f.intentId, f.accountId, f.symbol, f.side, f.qty.toString(), f.price.toString(), f.time);
  };
}

interface Costs {
  readonly record: number;
  readonly flush: number;
}

interface Flush {
  readonly patches: Map<IntentId, IntentPatch>;
  readonly events: EventRecord[];
  readonly fills: FollowerFill[];
}

/** What the write-behind queues for a burst of executions: each live copy sent, acknowledged, filled, one fill. */
function flushOf(load: readonly Work[]): Flush {
  const flush: Flush = { patches: new Map(), events: [], fills: [] };
  const price = dec('6000.5');
  for (const [, intents] of load) {
    for (const c of intents) {
      flush.patches.set(c.id, {
        sentAt: c.createdAt + 1, planLatencyMs: 0.4, status: 'filled', brokerOrderId: brokerOrderId(`b-${c.id}`),
        ackAt: c.createdAt + 2, filledQty: c.qty, avgFillPrice: price, filledAt: c.createdAt + 3,
      });
      flush.events.push({ id: c.id, time: c.createdAt + 2, status: 'accepted', error: undefined, raw: '{"status":"new"}' });
      flush.events.push({ id: c.id, time: c.createdAt + 3, status: 'filled', error: undefined, raw: '{"status":"filled"}' });
      flush.fills.push({ intentId: c.id, accountId: c.followerAccountId, symbol: c.symbol, side: c.side, qty: c.qty, price, time: c.createdAt + 3 });
    }
  }
  return flush;
}

/**
 * What recordExecution does in the database inside a group commit (a savepoint, the execution row, the intent rows),
 * then what the write-behind flush writes for those intents, one flush per burst. 'before' uses the statements this
 * branch replaced, 'after' today's IntentRepo. CPU microseconds per
 * execution of each.
 */
function journalCore(kind: 'before' | 'after', load: readonly Work[]): Costs {
  const db = openDatabase(nextPath());
  const execRepo = new ExecutionRepo(db);
  const repo = new IntentRepo(db);
  // Like SqliteJournal: the seq of each live intent is remembered, and its patch finds the row by it.
  const seqs = new Map<IntentId, number>();
  const insert = kind === 'before' ? legacyInsert(db) : (intents: readonly CopyIntent[]) => {
    const first = repo.insert(intents);
    intents.forEach((i, k) => seqs.set(i.id, first + k));
  };
  const write = kind === 'before' ? legacyFlush(db) : ({ patches, events, fills }: Flush) => {
    for (const [id, p] of patches) repo.patch(id, p, seqs.get(id));
    repo.appendEvents(events);
    repo.insertFills(fills);
  };
  const record = db.transaction((w: Work) => {
    if (execRepo.insert(w[0], w[0].time)) insert(w[1]);
  });
  const group = db.transaction((from: number) => {
    for (let k = from; k < Math.min(load.length, from + burst); k++) record(load[k]!);
  });
  const flushes = Array.from({ length: Math.ceil(load.length / burst) }, (_, k) => flushOf(load.slice(k * burst, (k + 1) * burst)));
  const flushTx = db.transaction((f: Flush) => write(f));
  try {
    return {
      record: cpuPerExecution(() => {
        for (let i = 0; i < load.length; i += burst) group(i);
      }),
      flush: cpuPerExecution(() => {
        for (const f of flushes) flushTx(f);
      }),
    };
  } finally {
    db.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `journal benchmark (node ${process.version}, ${executions} executions x ${followers} live intents, group commit of ${burst}, ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
);
try {
  if (sections.includes('core')) coreRounds();
  if (sections.includes('journal')) journalPaths();
  if (sections.includes('models')) modelRounds();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function coreRounds(): void {
  const before: Costs[] = [];
  const after: Costs[] = [];
  for (let r = 0; r < rounds; r++) {
    before.push(journalCore('before', workload(`b${r}`)));
    after.push(journalCore('after', workload(`a${r}`)));
  }
  const line = (label: string, pick: (m: Costs) => number, target: string) => {
    const [b, a] = [before.map(pick), after.map(pick)];
    const [bm, am] = [median(b), median(a)];
    console.log(
      `${label}: before ${us(bm)} (min ${us(Math.min(...b))}, ${perSecond(bm)}/CPU-s); ` +
        `after ${us(am)} (min ${us(Math.min(...a))}, ${perSecond(am)}/CPU-s): ${(bm / am).toFixed(2)}x${target}`,
    );
  };
  console.log(`journal-only CPU per execution with ${followers} live intents, medians of ${rounds} alternating rounds:`);
  line('  record (savepoint + execution row + intent rows)', (m) => m.record, ' (target <= 25 us)');
  line('  write-behind flush (1 merged patch, 2 events, 1 fill per intent)', (m) => m.flush, '');
}

function journalPaths(): void {
  const path = nextPath();
  const journal = openJournal(path);
  const load = workload('j');
  const recordUs = cpuPerExecution(() => {
    for (let i = 0; i < load.length; i += burst) {
      journal.batch(() => {
        for (const [exec, intents] of load.slice(i, i + burst)) journal.recordExecution(exec, exec.time, intents);
      });
    }
  });
  console.log(`SqliteJournal.recordExecution in batch(): ${us(recordUs)} CPU per execution (${perSecond(recordUs)}/CPU-s)`);

  // Each live copy is sent, acknowledged, filled and gets a fill, as the order flow reports them; flushed once a burst.
  const patchUs = cpuPerExecution(() => {
    for (let i = 0; i < load.length; i += burst) {
      for (const [, intents] of load.slice(i, i + burst)) {
        for (const c of intents) journal.updateIntent(c.id, { sentAt: c.createdAt + 1, planLatencyMs: 0.4 });
        for (const c of intents) journal.updateIntent(c.id, { status: 'accepted', brokerOrderId: brokerOrderId(`b-${c.id}`), ackAt: c.createdAt + 2, raw: { status: 'new' } });
        for (const c of intents) {
          journal.updateIntent(c.id, { status: 'filled', filledQty: c.qty, avgFillPrice: dec('6000.5'), filledAt: c.createdAt + 3, raw: { status: 'filled' } });
          journal.recordFill({ intentId: c.id, accountId: c.followerAccountId, symbol: c.symbol, side: c.side, qty: c.qty, price: dec('6000.5'), time: c.createdAt + 3 });
        }
      }
      journal.flush();
    }
  });
  console.log(`write-behind (3 patches, 2 raw events and 1 fill per intent): ${us(patchUs)} CPU per execution (${us(patchUs / followers)} per intent)`);

  const t2 = performance.now();
  const page = journal.queries.listCopies({ followerAccountId: followerIds[0]! }, { limit: 50 });
  const pageMs = performance.now() - t2;
  const t3 = performance.now();
  const counts = journal.queries.counts({ dayStart: 0 });
  const countsMs = performance.now() - t3;
  console.log(`listCopies (one follower, 50 rows of ${page.total}): ${pageMs.toFixed(1)} ms; counts over ${counts.copies} copies: ${countsMs.toFixed(1)} ms`);
  journal.close();
  console.log(`database file: ${(statSync(path).size / 1e6).toFixed(1)} MB`);
}

/**
 * Recording cost (savepoint, execution row, then the intents) of three storage shapes, alternating rounds: 'today' is
 * IntentRepo (one 29-column row per intent, four indexes); 'narrow' keeps one row per intent but only its own columns
 * (the execution's static ones on the execution row) and only the live-status index; 'packed' writes no row per intent:
 * the execution row carries its intents' creation facts as one JSON text. Better-sqlite3 binds a parameter in about
 * 0.2-0.4 us and SQLite writes a row with its index entries in about 1-3 us, so the shape, not tuning, sets the rate.
 */
function modelRounds(): void {
  const shapes = ['today', 'narrow', 'packed'] as const;
  const costs = new Map<string, number[]>(shapes.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) for (const shape of shapes) costs.get(shape)!.push(recordAs(shape, workload(`${shape}${r}`)));
  console.log(`recording CPU per execution with ${followers} intents by storage shape, medians of ${rounds} alternating rounds:`);
  for (const [shape, xs] of costs) console.log(`  ${shape}: ${us(median(xs))} (min ${us(Math.min(...xs))}, ${perSecond(median(xs))}/CPU-s)`);
}

function recordAs(shape: 'today' | 'narrow' | 'packed', load: readonly Work[]): number {
  if (shape === 'today') return journalCore('after', load).record;
  const db = openDatabase(nextPath());
  db.exec(`ALTER TABLE executions ADD COLUMN intents TEXT;
    CREATE TABLE narrow_intents (seq INTEGER PRIMARY KEY, execution_id TEXT NOT NULL, follower_account_id TEXT NOT NULL,
      link_id TEXT NOT NULL, client_order_id TEXT NOT NULL, side TEXT NOT NULL, qty TEXT NOT NULL, target TEXT NOT NULL,
      status TEXT NOT NULL);
    CREATE INDEX narrow_live ON narrow_intents (status) WHERE status <> 'dry_run';`);
  const exec = db.prepare('INSERT INTO executions (id, account_id, symbol, side, qty, price, time, received_at, position_after, intents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const rows: BetterSqlite3.Statement[] = [];
  const narrowRows = (n: number) =>
    (rows[n] ??= db.prepare(`INSERT INTO narrow_intents (execution_id, follower_account_id, link_id, client_order_id, side, qty, target, status) SELECT ?, column1, column2, column3, ?, column4, column5, ? FROM (VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')})`));
  const record = db.transaction(([e, intents]: Work) => {
    const facts = shape === 'packed' ? JSON.stringify(intents.map((i) => [i.id, i.linkId, i.followerAccountId, i.clientOrderId, i.side, i.qty.toString(), i.target.toString(), i.status])) : null;
    exec.run(e.id, e.accountId, e.symbol, e.side, e.qty.toString(), e.price.toString(), e.time, e.time, e.positionAfter?.toString() ?? null, facts);
    if (shape === 'packed') return;
    const p: string[] = [];
    for (const i of intents) p.push(i.followerAccountId, i.linkId, i.clientOrderId, i.qty.toString(), i.target.toString());
    // The execution id, side and status are the same for every intent of an execution here: bound once.
    narrowRows(intents.length).run(e.id, intents[0]!.side, intents[0]!.status, ...p);
  });
  const group = db.transaction((from: number) => {
    for (let k = from; k < Math.min(load.length, from + burst); k++) record(load[k]!);
  });
  try {
    return cpuPerExecution(() => {
      for (let i = 0; i < load.length; i += burst) group(i);
    });
  } finally {
    db.close();
  }
}
