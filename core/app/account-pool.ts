// AccountPool: the accounts of a running workspace: their adapters (sim accounts share one simulated venue), credential
// lookup, connection status, live positions, and the periodic save of those positions for `status`.
import type { AccountConfig } from '../domain/account-config.js';
import { ValidationError, errorMessage } from '../domain/errors.js';
import type { BrokerAdapter } from '../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { SimExchange } from '../brokers/sim/index.js';
import { AccountRuntime, type AccountRuntimeEvents } from './account-runtime.js';
import { createAdapter, credentialsRequired, newSimExchange } from './adapter-factory.js';
import { findCredentials } from './credentials.js';
import type { Logger } from './logger.js';
import type { PositionView } from './snapshot.js';
import { savePositions, type MetaStore } from './workspace-store.js';

export interface AccountPoolDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly secrets: SecretStore;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly seed: number;
  readonly refreshMs: number;
  readonly events: AccountRuntimeEvents;
  /** Where the last known positions are saved (at most once a second while they change). */
  readonly meta: MetaStore;
  /** An injected simulated venue (tests); otherwise one is created on first use and walks its prices. */
  readonly simExchange?: SimExchange;
  /** First wait before a failed connection is tried again (doubling up to a minute). */
  readonly reconnectMs?: number;
  /** An account's adapter connected (at first or after retries): hand it to the engine. */
  readonly onReady?: (id: string, adapter: BrokerAdapter) => void;
}

const SIM_PRICE_STEP_MS = 250;
const POSITIONS_SAVE_MS = 1_000;

export class AccountPool {
  readonly runtimes = new Map<string, AccountRuntime>();
  /** Accounts with credentials (env or store); refreshed on connect and on credential changes. */
  readonly credentialed = new Set<string>();
  private simExchange: SimExchange | undefined;
  private positionsDirty = false;
  private positionsTimer: TimerHandle | undefined;

  constructor(private readonly deps: AccountPoolDeps) {}

  /** Connects one account; a failure becomes status and an alert, never an exception (other accounts keep working). */
  async connect(account: AccountConfig): Promise<void> {
    const { deps } = this;
    let adapter: BrokerAdapter | undefined;
    let reason: string | undefined;
    if (!account.enabled) reason = 'disabled';
    else {
      try {
        adapter = await this.adapterFor(account, true);
      } catch (err) {
        reason = errorMessage(err);
      }
    }
    const events: AccountRuntimeEvents = {
      ...deps.events,
      onChange: (id) => {
        this.positionsDirty = true;
        deps.events.onChange(id);
      },
      onReady: (id) => {
        if (this.runtimes.get(id) === runtime && adapter) deps.onReady?.(id, adapter);
      },
    };
    const runtime: AccountRuntime = new AccountRuntime(account, adapter, deps.clock, events, deps.refreshMs, reason, deps.reconnectMs);
    this.runtimes.set(account.id, runtime);
    if (reason && account.enabled) {
      deps.events.onAlert({ severity: 'error', code: 'auth_failed', accountId: account.id, message: `${account.label}: ${reason}` });
    }
    await runtime.connect();
  }

  async disconnect(id: string): Promise<void> {
    await this.runtimes.get(id)?.disconnect();
    this.runtimes.delete(id);
  }

  async disconnectAll(): Promise<void> {
    if (this.positionsTimer) this.deps.clock.clearTimer(this.positionsTimer);
    this.positionsTimer = undefined;
    this.savePositions();
    await Promise.all([...this.runtimes.values()].map((r) => r.disconnect()));
    this.runtimes.clear();
    this.simExchange?.stopPriceWalk();
    this.simExchange = undefined;
  }

  /** The account's adapter when it is connected: what the engine may read and trade through. */
  readyAdapter(id: string): BrokerAdapter | undefined {
    const r = this.runtimes.get(id);
    return r?.adapter && r.view().connection.status === 'connected' ? r.adapter : undefined;
  }

  adapter(id: string): BrokerAdapter | undefined {
    return this.runtimes.get(id)?.adapter;
  }

  async setCredentials(id: string, secret: object): Promise<void> {
    for (const v of Object.values(secret)) if (typeof v === 'string') this.deps.log.addSecret(v);
    await this.deps.secrets.set(id, JSON.stringify(secret));
    this.credentialed.add(id);
  }

  async deleteCredentials(id: string): Promise<boolean> {
    const removed = await this.deps.secrets.delete(id);
    this.credentialed.delete(id);
    return removed;
  }

  /** Reads the account's balance through its running adapter, or a throwaway one: proves credentials and endpoints. */
  async testConnection(account: AccountConfig): Promise<{ ok: boolean; message: string; latencyMs?: number }> {
    const { clock } = this.deps;
    const running = this.adapter(account.id);
    const started = clock.monotonic();
    try {
      const adapter = running ?? (await this.adapterFor(account, false));
      try {
        if (!running) await adapter.connect();
        const snap = await adapter.account();
        const latencyMs = Math.round((clock.monotonic() - started) * 10) / 10;
        return { ok: true, message: `connected; equity ${snap.equity.toFixed(2)} ${snap.currency}`, latencyMs };
      } finally {
        if (!running) await adapter.disconnect().catch(() => undefined);
      }
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }

  followersHavePositions(followers: ReadonlySet<string>): boolean {
    return [...this.runtimes.entries()].some(([id, r]) => followers.has(id) && r.hasOpenPositions());
  }

  /** Saves the last known broker positions now and then every second while they change (for `status`). */
  startSavingPositions(): void {
    this.positionsTimer = this.deps.clock.setTimer(POSITIONS_SAVE_MS, () => {
      if (this.positionsDirty) this.savePositions();
      this.startSavingPositions();
    });
  }

  private savePositions(): void {
    this.positionsDirty = false;
    const accounts: Record<string, PositionView[]> = {};
    for (const [id, r] of this.runtimes) accounts[id] = r.view().positions;
    savePositions(this.deps.meta, { savedAt: this.deps.clock.now(), accounts });
  }

  /** Builds the adapter; `track` records whether credentials exist (for the snapshot's hasCredentials). */
  private async adapterFor(account: AccountConfig, track: boolean): Promise<BrokerAdapter> {
    const { deps } = this;
    const creds = await findCredentials(account.id, deps.env, deps.secrets);
    if (track) {
      if (creds) this.credentialed.add(account.id);
      else this.credentialed.delete(account.id);
    }
    if (!creds && credentialsRequired(account)) {
      throw new ValidationError('credentials', track ? 'no credentials' : 'no credentials stored for this account');
    }
    for (const s of creds?.secrets ?? []) deps.log.addSecret(s);
    return createAdapter(account, creds?.value, { clock: deps.clock, log: deps.log, simExchange: () => this.sim(), probe: !track });
  }

  /** The in-process simulated venue shared by every sim account; its prices move while the app runs. */
  private sim(): SimExchange {
    if (this.deps.simExchange) return this.deps.simExchange;
    if (!this.simExchange) {
      this.simExchange = newSimExchange(this.deps.clock, this.deps.seed);
      this.simExchange.startPriceWalk(SIM_PRICE_STEP_MS);
    }
    return this.simExchange;
  }
}
