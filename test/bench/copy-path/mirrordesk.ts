// Copy-path bench contenders that are Mirrordesk: the real adapters, CopyEngine and SQLite journal (a file in a temp
// dir), on the Alpaca or the ProjectX wire simulator. idle() waits until every copy of the last trade has settled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { createProjectXAdapter } from '../../../core/brokers/projectx/index.js';
import { accountConfigSchema, type AccountConfig } from '../../../core/domain/account-config.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openJournal } from '../../../core/store/index.js';
import { seeded } from '../../sims/alpaca/book.js';
import type { Contender, Keys } from './contenders.js';

export interface Mirrordesk extends Contender {
  idle(): Promise<void>;
}

const RISK = { breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 1_000 }, reconcileIntervalMs: 600_000 };

async function run(accounts: AccountConfig[], adapter: (a: AccountConfig, i: number) => BrokerAdapter): Promise<Mirrordesk> {
  const dir = mkdtempSync(join(tmpdir(), 'md-copy-path-'));
  const ws = parseWorkspaceConfig({
    accounts,
    links: accounts.slice(1).map((a) => ({ leader: accounts[0]!.id, follower: a.id, sizing: { mode: 'multiplier', value: '1' } })),
    risk: RISK,
  });
  const brokers = new Map<AccountId, BrokerAdapter>();
  ws.accounts.forEach((a, i) => brokers.set(accountId(a.id), adapter(a, i)));
  for (const b of brokers.values()) await b.connect();
  const journal = openJournal(join(dir, 'journal.sqlite'), { backgroundCheckpoints: true }); // as the app opens it
  const engine = new CopyEngine({ clock: new SystemClock(), journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
  await engine.start();
  return {
    idle: async () => {
      await engine.idle();
      for (let i = 0; i < 5_000 && engine.snapshot().openIntents > 0; i++) await new Promise((r) => setTimeout(r, 1));
    },
    stop: async () => {
      await engine.stop();
      for (const b of brokers.values()) await b.disconnect();
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function mirrordeskAlpaca(rest: string, stream: string, leader: Keys, followers: Keys[]): Promise<Mirrordesk> {
  const all = [leader, ...followers];
  const clock = new SystemClock();
  const accounts = all.map((_, i) => accountConfigSchema.parse({ id: i === 0 ? 'leader' : `f${i}`, label: `a${i}`, broker: 'alpaca', endpoints: { rest, stream } }));
  return run(accounts, (a, i) => createAlpacaAdapter({ account: a, credentials: all[i]!, clock, random: seeded(1), tuning: { pollMs: 0 } }));
}

export function mirrordeskProjectX(restUrl: string, hubUrl: string, pxIds: number[]): Promise<Mirrordesk> {
  const clock = new SystemClock();
  const accounts = pxIds.map((px, i) =>
    accountConfigSchema.parse({ id: i === 0 ? 'leader' : `f${px}`, label: `p${px}`, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: restUrl, userHub: hubUrl } }),
  );
  const tuning = { rateLimit: { requests: 1_000_000, windowMs: 60_000 } };
  return run(accounts, (a) => createProjectXAdapter({ account: a, credentials: { userName: 'bench', apiKey: 'bench-key' }, clock, tuning }));
}
