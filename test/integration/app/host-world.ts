// A real AppHost on a sim workspace for lifecycle tests: an injected simulated venue (so the test can trade the leader
// and inspect follower venues), the real SQLite journal in a temp dir, and polling waits on real time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppHost, type AppHostOptions } from '../../../core/app/app-host.js';
import { createLogger } from '../../../core/app/logger.js';
import { SystemClock } from '../../../core/app/system-clock.js';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { clientOrderId } from '../../../core/domain/ids.js';
import type { Side } from '../../../core/domain/side.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';

export class HostWorld {
  private seq = 0;
  constructor(
    readonly host: AppHost,
    readonly exchange: SimExchange,
    readonly dataDir: string,
  ) {}

  /** A leader market order on the venue; the leader adapter reports its executions to the engine. */
  trade(symbol: string, side: Side, qty: string | number): void {
    this.exchange.submit('lead', {
      accountId: 'lead' as never,
      clientOrderId: clientOrderId(`lead-${Date.now()}-${++this.seq}`),
      symbol,
      side,
      qty: Decimal.from(qty),
      type: 'market',
      timeInForce: 'day',
      purpose: 'copy',
    });
  }

  pos(account: string, symbol: string): string {
    return this.exchange.position(account, symbol).toString();
  }

  /** Every order the follower venue ever received. */
  venueOrders(account: string): number {
    return this.exchange.orders(account).length;
  }
}

/** Polls until `check` holds (or throws the last failure after `timeoutMs`). */
export async function until(check: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface HostWorldOptions {
  readonly accounts?: readonly string[];
  readonly links?: readonly Record<string, unknown>[];
  readonly dataDir?: string;
  readonly exchange?: SimExchange;
  /** Accounts whose venue link is down when the host starts. */
  readonly down?: readonly string[];
  readonly host?: Partial<AppHostOptions>;
  readonly config?: boolean;
}

export async function openHostWorld(opts: HostWorldOptions = {}): Promise<HostWorld> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'md-life-'));
  const clock = new SystemClock();
  const exchange = opts.exchange ?? new SimExchange({ clock, seed: 3, latencyMs: 2 });
  const accounts = opts.accounts ?? ['lead', 'f1', 'f2'];
  for (const id of accounts) if (!exchange.hasAccount(id)) exchange.addAccount(id, { cash: id === 'lead' ? 1_000_000 : 250_000 });
  for (const id of opts.down ?? []) exchange.disconnect(id);
  const config =
    opts.config === false
      ? undefined
      : parseWorkspaceConfig({
          accounts: accounts.map((id) => ({ id, label: id, broker: 'sim' })),
          links: opts.links ?? accounts.slice(1).map((f) => ({ leader: 'lead', follower: f, sizing: { mode: 'multiplier', value: '1' } })),
        });
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: () => undefined });
  const host = await AppHost.open({
    dataDir,
    secrets: new MemorySecretStore(),
    log,
    clock,
    env: {},
    accountRefreshMs: 60_000,
    simExchange: exchange,
    ...(config ? { config } : {}),
    ...opts.host,
  });
  await host.start();
  return new HostWorld(host, exchange, dataDir);
}
