// AccountRuntime: one connected account as the app sees it: its adapter, health, equity, day P&L and positions; a
// connection that fails for a transient reason is retried with backoff until it succeeds or the account is dropped.
import type { AlertInput } from '../domain/alert.js';
import type { AccountConfig } from '../domain/account-config.js';
import type { AccountSnapshot, Position } from '../domain/order.js';
import { errorMessage, isUnknownOutcome } from '../domain/errors.js';
import type { BrokerAdapter, ConnectionHealth, StatusEvent, Unsubscribe } from '../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { PositionView } from './snapshot.js';

export interface AccountRuntimeEvents {
  onStatus(id: string, status: StatusEvent): void;
  onAlert(alert: AlertInput): void;
  onChange(id: string): void;
  /** The adapter connected (at first or after retries): the engine may read and trade through it now. */
  onReady?(id: string): void;
}

/** Longest wait between two connection attempts. */
const RETRY_MAX_MS = 60_000;

export class AccountRuntime {
  readonly config: AccountConfig;
  readonly adapter: BrokerAdapter | undefined;
  private health: ConnectionHealth;
  private account: AccountSnapshot | undefined;
  private readonly positions = new Map<string, Position>();
  private readonly unsubs: Unsubscribe[] = [];
  private refreshTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private retryMs: number;
  private stopped = false;

  constructor(
    config: AccountConfig,
    adapter: BrokerAdapter | undefined,
    private readonly clock: Clock,
    private readonly events: AccountRuntimeEvents,
    private readonly refreshMs: number,
    unavailableReason?: string,
    private readonly reconnectMs = 2_000,
  ) {
    this.retryMs = reconnectMs;
    this.config = config;
    this.adapter = adapter;
    this.health = adapter ? adapter.health() : { status: 'failed', reason: unavailableReason ?? 'not configured' };
    if (!adapter) return;
    this.unsubs.push(
      adapter.on('status', (s) => {
        const wasUp = this.health.status === 'connected';
        this.health = s;
        this.events.onStatus(config.id, s);
        if (wasUp && s.status !== 'connected') {
          this.events.onAlert({
            severity: 'warning',
            code: 'disconnected',
            accountId: config.id,
            message: `${config.label}: connection ${s.status}${s.reason ? ` (${s.reason})` : ''}`,
          });
        }
        if (s.status === 'connected' && s.reconnected) {
          this.events.onAlert({ severity: 'info', code: 'reconnected', accountId: config.id, message: `${config.label}: reconnected` });
          void this.refresh();
        }
      }),
      adapter.on('position', (p) => {
        if (p.qty.isZero()) this.positions.delete(p.symbol);
        else this.positions.set(p.symbol, p);
        this.events.onChange(config.id);
      }),
      adapter.on('account', (a) => {
        this.account = a;
        this.events.onChange(config.id);
      }),
      adapter.on('alert', (a) => this.events.onAlert({ ...a, accountId: a.accountId ?? config.id })),
    );
  }

  /**
   * Connects; a failure is reported as status and alert, never thrown (other accounts keep working). A transient
   * failure (network, timeout, server) is retried with backoff; an alert says so, another one when it is back.
   */
  async connect(): Promise<boolean> {
    if (!this.adapter || this.stopped) return false;
    const retrying = this.retryMs !== this.reconnectMs;
    try {
      await this.adapter.connect();
    } catch (err) {
      if (this.stopped) return false;
      this.health = { status: 'failed', reason: errorMessage(err) };
      this.events.onStatus(this.config.id, this.health);
      const retry = isUnknownOutcome(err);
      if (!retrying) {
        const next = retry ? `; retrying in ${waitText(this.retryMs)} and backing off` : '';
        this.events.onAlert({
          severity: 'error',
          code: retry ? 'disconnected' : 'auth_failed',
          accountId: this.config.id,
          message: `${this.config.label}: cannot connect: ${errorMessage(err)}${next}`,
        });
      }
      if (retry) this.scheduleRetry();
      return false;
    }
    if (this.stopped) return false;
    this.health = this.adapter.health();
    this.events.onStatus(this.config.id, this.health);
    if (retrying) this.events.onAlert({ severity: 'info', code: 'reconnected', accountId: this.config.id, message: `${this.config.label}: connected` });
    this.retryMs = this.reconnectMs;
    this.events.onReady?.(this.config.id);
    await this.refresh();
    this.scheduleRefresh();
    return true;
  }

  private scheduleRetry(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(wait * 2, RETRY_MAX_MS);
    this.retryTimer = this.clock.setTimer(wait, () => {
      this.retryTimer = undefined;
      void this.connect();
    });
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) this.clock.clearTimer(this.refreshTimer);
    if (this.retryTimer) this.clock.clearTimer(this.retryTimer);
    for (const u of this.unsubs.splice(0)) u();
    if (this.adapter) await this.adapter.disconnect().catch(() => undefined);
  }

  /** Re-reads equity and positions (query priority at the adapter). */
  async refresh(): Promise<void> {
    if (!this.adapter || this.health.status !== 'connected') return;
    try {
      const [account, positions] = await Promise.all([this.adapter.account(), this.adapter.positions()]);
      this.account = account;
      this.positions.clear();
      for (const p of positions) if (!p.qty.isZero()) this.positions.set(p.symbol, p);
      this.events.onChange(this.config.id);
    } catch {
      // A failed refresh is not news: the stream status already says what is wrong.
    }
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    this.refreshTimer = this.clock.setTimer(this.refreshMs, () => {
      void this.refresh().finally(() => this.scheduleRefresh());
    });
  }

  view(): { connection: ConnectionHealth; account?: AccountSnapshot; positions: PositionView[] } {
    const positions = [...this.positions.values()]
      .sort((a, b) => a.symbol.localeCompare(b.symbol))
      .map((p) => ({ symbol: p.symbol, qty: p.qty.toString(), ...(p.avgPrice ? { avgPrice: p.avgPrice.toString() } : {}) }));
    return { connection: this.health, ...(this.account ? { account: this.account } : {}), positions };
  }

  hasOpenPositions(): boolean {
    return this.positions.size > 0;
  }
}

function waitText(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
