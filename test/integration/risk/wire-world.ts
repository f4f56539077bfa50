// Risk tests on the wire simulators: real adapters (ProjectX, Alpaca) pointed at the sims, a real SQLite journal file,
// the engine with guards per account, and helpers to read what the venue received.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../../core/app/system-clock.js';
import type { Alert } from '../../../core/domain/alert.js';
import { guardSettingsSchema, type GuardSettingsInput } from '../../../core/domain/guard-settings.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import type { BrokerKind } from '../../../core/domain/instrument.js';
import { defaultLinkId, linkConfigSchema, riskSettingsSchema } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import type { Clock } from '../../../core/ports/clock.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';

export interface WireWorldOptions {
  readonly broker: BrokerKind;
  readonly adapters: ReadonlyMap<string, BrokerAdapter>;
  /** Followers of the leader 'L' (links with multiplier 1 unless given). */
  readonly links: readonly Record<string, unknown>[];
  readonly guards?: Readonly<Record<string, GuardSettingsInput>>;
  /** The engine's clock (SystemClock unless given; the adapters keep their own). */
  readonly clock?: Clock;
}

export class WireWorld {
  readonly alerts: Alert[] = [];
  private readonly dir: string;

  constructor(
    readonly engine: CopyEngine,
    readonly journal: SqliteJournal,
    readonly adapters: ReadonlyMap<string, BrokerAdapter>,
    dir: string,
  ) {
    this.dir = dir;
    engine.on('alert', (a) => this.alerts.push(a));
  }

  async close(): Promise<void> {
    await this.engine.stop();
    for (const a of this.adapters.values()) await a.disconnect();
    this.journal.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  state(id: string): string | undefined {
    return this.engine.riskStatus(accountId(id)).accounts[0]?.state;
  }
}

export async function wireWorld(opts: WireWorldOptions): Promise<WireWorld> {
  const links = opts.links.map((l) => {
    const parsed = linkConfigSchema.parse({ leader: 'L', sizing: { mode: 'multiplier', value: '1' }, ...l });
    return { ...parsed, id: parsed.id ?? defaultLinkId(parsed.leader, parsed.follower) };
  });
  const risk = riskSettingsSchema.parse({ reconcileIntervalMs: 3_600_000 });
  const brokers = new Map<AccountId, BrokerAdapter>();
  for (const [id, a] of opts.adapters) {
    await a.connect();
    brokers.set(accountId(id), a);
  }
  const dir = mkdtempSync(join(tmpdir(), 'md-risk-'));
  const journal = openJournal(join(dir, 'journal.sqlite'));
  const engine = new CopyEngine({ clock: opts.clock ?? new SystemClock(), journal, notifier: { notify: () => undefined }, brokers, links, risk });
  engine.setAccounts([...opts.adapters.keys()].map((id) => ({
    id: accountId(id), broker: opts.broker, ...(opts.guards?.[id] ? { guards: guardSettingsSchema.parse(opts.guards[id]) } : {}),
  })));
  await engine.start();
  return new WireWorld(engine, journal, opts.adapters, dir);
}

/** A SystemClock whose wall time is shifted (the engine sees a chosen time of day; timers stay real). */
export class ShiftedClock extends SystemClock {
  constructor(private readonly offsetMs: number) {
    super();
  }

  override now(): number {
    return super.now() + this.offsetMs;
  }
}
