// A small in-memory host implementing DispatchHost with the real config schemas, for dispatcher and bridge tests.
import { EventEmitter } from 'node:events';
import { accountConfigSchema, type AccountConfig } from '../../../core/domain/account-config.js';
import { ValidationError } from '../../../core/domain/errors.js';
import { linkConfigSchema, defaultLinkId, type LinkConfig } from '../../../core/domain/workspace-config.js';
import { dec } from '../../../core/domain/decimal.js';
import type { DispatchHost, DispatchHostEvents } from '../../../core/app/dispatch-host.js';
import type { Logger } from '../../../core/app/logger.js';

export interface FakeHost extends DispatchHost {
  readonly lines: string[];
  readonly secrets: Map<string, string>;
  readonly audit: { actor: string; action: string }[];
  /** Everything that a command may change, as one comparable value. */
  state(): string;
  emit<K extends keyof DispatchHostEvents>(event: K, ...args: DispatchHostEvents[K]): void;
  tripBreaker(scope: string): void;
  failNext(err: unknown): void;
  /** What engine:resume-preview answers next (default: nothing to send), or an error it throws. */
  preview: unknown;
}

export function createFakeHost(): FakeHost {
  const emitter = new EventEmitter();
  const lines: string[] = [];
  const secrets = new Map<string, string>();
  const audit: { actor: string; action: string }[] = [];
  const accounts: AccountConfig[] = [
    accountConfigSchema.parse({ id: 'lead', label: 'Leader', broker: 'sim' }),
    accountConfigSchema.parse({ id: 'f1', label: 'Follower 1', broker: 'sim' }),
    accountConfigSchema.parse({ id: 'spare', label: 'Spare', broker: 'alpaca', enabled: false }),
  ];
  let links: LinkConfig[] = [];
  const add = linkConfigSchema.parse({ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '0.5' } });
  links.push({ ...add, id: defaultLinkId(add.leader, add.follower) });
  const trading: { global: string; followers: Record<string, string> } = { global: 'active', followers: { f1: 'active' } };
  const breakers = new Map<string, { scope: string; tripped: boolean; reason?: string }>();
  const alerts = [{ id: 'a1', time: 1, severity: 'warning', code: 'drift', message: 'drift on f1', acknowledged: false }];
  let pendingFailure: unknown;
  const copyRow = {
    id: 'i1',
    linkId: 'lead->f1',
    leaderAccountId: 'lead',
    followerAccountId: 'f1',
    symbol: 'MES',
    side: 'buy',
    qty: dec('2'),
    status: 'filled',
    latencyMs: 3.5,
    slippage: dec('0.25'),
  };

  const log: Logger = {
    log: (level, m) => lines.push(`${level} ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    addSecret: () => undefined,
  };
  const act = (actor: string, action: string) => {
    if (pendingFailure !== undefined) {
      const e = pendingFailure;
      pendingFailure = undefined;
      throw e;
    }
    audit.push({ actor, action });
  };
  const need = (id: string) => {
    if (!accounts.some((a) => a.id === id)) throw new ValidationError('id', `no account "${id}"`);
  };
  const changed = () => emitter.emit('snapshot');
  const riskView = {
    accountId: 'f1',
    tradingDay: '2026-12-02',
    dayStart: 1,
    dayEnd: 2,
    currency: 'USD',
    startBalance: dec('50000'),
    equity: dec('49200'),
    dayPnl: dec('-800'),
    realized: dec('-500'),
    unrealized: dec('-290'),
    fees: dec('10'),
    marked: true,
    state: 'warning',
    guards: [{ kind: 'daily_loss', value: dec('800'), limit: dec('1000'), distance: dec('200'), unit: 'money', level: 'warning', action: 'flatten_lock' }],
    locks: [] as object[],
  };

  const host: FakeHost = {
    log,
    lines,
    secrets,
    audit,
    credentials: {
      async set(id, secret, actor) {
        need(id);
        act(actor, 'credentials-set');
        secrets.set(id, JSON.stringify(secret));
        changed();
      },
      async delete(id, actor) {
        act(actor, 'credentials-delete');
        return secrets.delete(id);
      },
      async protect(_passphrase, actor) {
        act(actor, 'protect');
        return { moved: 0 };
      },
      async test(id) {
        need(id);
        return { ok: true, message: 'connected', latencyMs: 1.5 };
      },
    },
    risk: {
      status: (accountId) => {
        if (accountId !== undefined) need(accountId);
        return { at: 3, accounts: accountId === undefined || accountId === 'f1' ? [riskView] : [] };
      },
      async setGuards(accountId, guards, actor) {
        need(accountId);
        act(actor, 'risk-set-guards');
        const i = accounts.findIndex((a) => a.id === accountId);
        const { guards: _old, ...rest } = accounts[i]!;
        accounts[i] = guards ? { ...rest, guards } : rest;
        changed();
      },
      async lock(accountId, reason, actor) {
        need(accountId);
        act(actor, 'risk-lock');
        riskView.state = 'locked';
        riskView.locks = [{ kind: 'manual', reason, at: 3, mode: 'lock' }];
        emitter.emit('risk', riskView);
      },
      async unlock(accountId, _reason, actor) {
        need(accountId);
        act(actor, 'risk-unlock');
        riskView.state = 'ok';
        riskView.locks = [];
        emitter.emit('risk', riskView);
      },
    },
    journal: {
      queries: {
        listCopies: () => ({ items: [copyRow], total: 1 }),
        getCopy: (id: string) => (id === 'i1' ? { copy: copyRow, events: [{ seq: 1, intentId: 'i1', time: 2, status: 'filled', raw: { id: 'b1' } }], fills: [{ intentId: 'i1', accountId: 'f1', symbol: 'MES', side: 'buy', qty: dec('2'), price: dec('5000.25'), time: 3 }] } : undefined),
        listAlerts: () => ({ items: alerts, total: alerts.length, unacknowledged: alerts.filter((a) => !a.acknowledged).length }),
        listAudit: () => ({ items: audit.map((a, i) => ({ id: i + 1, time: i, ...a })), total: audit.length }),
        counts: () => ({ copies: 1, open: 0, rejects: 0, unknown: 0, today: 1, alerts: 1, unacknowledgedAlerts: 1, latency: { samples: 1, avgMs: 3.5 } }),
        exportCopiesCsv: () => 'id,symbol\ni1,MES\n',
      },
    },
    snapshot: () => ({
      accounts: accounts.map((a) => ({
        id: a.id,
        label: a.label,
        broker: a.broker,
        environment: a.environment,
        role: a.id === 'lead' ? 'leader' : links.some((l) => l.follower === a.id) ? 'follower' : 'unlinked',
        enabled: a.enabled,
        hasCredentials: secrets.has(a.id),
        connection: { status: 'connected', roundTripMs: 1 },
        equity: dec('100000.5'),
        positions: [{ symbol: 'MES', qty: dec('-2') }],
        tradingState: trading.followers[a.id] ?? 'active',
      })),
      links,
      trading,
      breakers: [...breakers.values()],
      armed: true,
      running: true,
      counters: { copies: 1, rejects: 0, unknown: 0, alertsUnread: alerts.filter((a) => !a.acknowledged).length },
      demo: false,
    }),
    on: (event, fn) => {
      emitter.on(event, fn as (...a: unknown[]) => void);
      return () => emitter.off(event, fn as (...a: unknown[]) => void);
    },
    emit: (event, ...args) => emitter.emit(event, ...args),
    preview: undefined,
    trading: {
      setTradingState(scope, state, actor, mode) {
        act(actor, `state ${scope} ${state}${mode ? ` ${mode}` : ''}`);
        if (scope === 'global') trading.global = state;
        else trading.followers[scope] = state;
        emitter.emit('state', { scope, state });
        changed();
      },
      async resumePreview(scope) {
        if (host.preview instanceof Error) throw host.preview;
        return host.preview ?? { scope, at: 0, items: [], errors: [] };
      },
      async halt(o) {
        act(o.actor, 'halt');
        trading.global = 'halted';
        changed();
        return { cancelled: 0, flattened: [] };
      },
      resetBreaker(scope, actor) {
        act(actor, 'reset');
        breakers.delete(scope);
        changed();
      },
      async reconcileNow(actor) {
        act(actor, 'reconcile');
      },
    },
    async addAccount(cfg, actor) {
      const a = accountConfigSchema.parse(cfg);
      if (accounts.some((x) => x.id === a.id)) throw new ValidationError('id', `an account "${a.id}" already exists`);
      act(actor, 'account-add');
      accounts.push(a);
      changed();
    },
    async updateAccount(id, patch, actor) {
      need(id);
      act(actor, 'account-update');
      const i = accounts.findIndex((a) => a.id === id);
      accounts[i] = accountConfigSchema.parse({ ...accounts[i], ...patch, id });
      changed();
    },
    async removeAccount(id, actor) {
      need(id);
      if (links.some((l) => l.leader === id || l.follower === id)) throw new ValidationError('id', `"${id}" is used by a link; remove the link first`);
      act(actor, 'account-remove');
      accounts.splice(accounts.findIndex((a) => a.id === id), 1);
      changed();
    },
    async addLink(cfg, actor) {
      const l = linkConfigSchema.parse(cfg);
      act(actor, 'link-add');
      links.push({ ...l, id: l.id ?? defaultLinkId(l.leader, l.follower) });
      changed();
    },
    async previewLink(cfg) {
      const l = linkConfigSchema.parse(cfg);
      return { scope: l.follower, at: 0, items: [], errors: [] };
    },
    async syncView() {
      return { at: 0, followers: [{ accountId: 'f1', state: trading.followers.f1 ?? 'active', connected: true }], rows: [] };
    },
    async syncApply(req, actor) {
      act(actor, 'sync-apply');
      return { sent: [], refused: 'linkId' in req ? [{ linkId: req.linkId, symbol: req.symbol, reason: 'in line now: nothing to send' }] : [] };
    },
    async updateLink(id, patch, actor) {
      const cur = links.find((l) => l.id === id);
      if (!cur) throw new ValidationError('id', `no link "${id}"`);
      const merged = linkConfigSchema.parse({ ...JSON.parse(JSON.stringify(cur)), ...patch });
      act(actor, 'link-update');
      links = links.map((l) => (l.id === id ? { ...merged, id } : l));
      changed();
    },
    async removeLink(id, actor) {
      if (!links.some((l) => l.id === id)) throw new ValidationError('id', `no link "${id}"`);
      act(actor, 'link-remove');
      links = links.filter((l) => l.id !== id);
      changed();
    },
    acknowledgeAlerts(ids, actor) {
      act(actor, 'ack');
      for (const a of alerts) if (ids === 'all' || ids.includes(a.id as never)) a.acknowledged = true;
      return alerts.length;
    },
    async startDemo(actor) {
      act(actor, 'demo');
    },
    async leaveDemo(actor) {
      act(actor, 'leave-demo');
    },
    async demoBurst(trades, actor) {
      act(actor, `demo-burst ${trades}`);
      return { sent: trades };
    },
    async followerStats(range) {
      const f1 = { accountId: 'f1', copies: 1, dryRuns: 0, filled: 1, failures: 0, unknown: 0, failureReasons: [], realizedPnl: '12.5', trades: 1, wins: 1, winRate: 1, latencySamples: 1, slippageSamples: 1 };
      return { ...range, followers: [f1] };
    },
    dayPnlHistory(accountId, _days) {
      need(accountId);
      return { accountId, days: [{ tradingDay: '2026-03-02', dayStart: 0, dayEnd: 86_400_000, dayPnl: '12.5', equity: '100012.5', currency: 'USD', updatedAt: 1 }] };
    },
    state: () => JSON.stringify({ accounts, links, trading, breakers: [...breakers], alerts, audit, secrets: [...secrets] }),
    tripBreaker(scope) {
      breakers.set(scope, { scope, tripped: true, reason: 'too many orders' });
      changed();
    },
    failNext(err) {
      pendingFailure = err;
    },
  };
  return host;
}
