// Overview: global trading state and controls, breakers with reset, per-account connection health and risk state,
// today's numbers.
import { useEffect, useState } from 'react';
import type { AccountView, BreakerView, WorkspaceSnapshotView } from '../../core/contract/index.js';
import { ConnDot, effectiveState, StatePill } from '../components/badges.js';
import { DemoBurst } from '../components/demo-burst.js';
import { FirstRun } from '../components/first-run.js';
import { KillSwitchButton } from '../components/kill-switch.js';
import { ResumeButton } from '../components/resume-dialog.js';
import { RiskBadge } from '../components/risk-badge.js';
import { ago, dateTime, ms } from '../format.js';
import { call } from '../state/session.js';
import { useRisk } from '../state/risk.js';
import { useDash } from '../state/store.js';

export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), periodMs);
    return () => window.clearInterval(t);
  }, [periodMs]);
  return now;
}

function TradingCard({ snap }: { snap: WorkspaceSnapshotView }) {
  const state = snap.trading.global;
  return (
    <section className="card" aria-labelledby="trading-title">
      <h2 id="trading-title">Trading</h2>
      <div className="trading-state">
        <StatePill state={state} testId="overview-state" />
        <span className="muted">{state === 'halted' ? 'Kill switch engaged: no orders leave the app until you resume.' : state === 'paused' ? 'No new copies; positions stay open.' : 'Leader executions are copied to followers.'}</span>
      </div>
      <div className="row">
        {state !== 'active' ? (
          <ResumeButton />
        ) : (
          <button type="button" className="primary" disabled data-testid="start">
            Start
          </button>
        )}
        <button type="button" disabled={state !== 'active'} onClick={() => call('engine:pause', { scope: 'global' })} data-testid="pause">
          Pause
        </button>
        <KillSwitchButton />
      </div>
      {snap.demo ? <DemoBurst /> : null}
    </section>
  );
}

function BreakerRow({ b }: { b: BreakerView }) {
  return (
    <tr data-testid={`breaker-${b.scope}`}>
      <td>{b.scope}</td>
      <td>{b.tripped ? <span className="status status-bad">tripped</span> : <span className="status status-ok">ok</span>}</td>
      <td className="wrap">{b.reason ?? '—'}</td>
      <td className="tnum">{dateTime(b.trippedAt)}</td>
      <td>
        <button type="button" className="small" disabled={!b.tripped} onClick={() => call('breaker:reset', { scope: b.scope })} aria-label={`Reset breaker ${b.scope}`}>
          Reset
        </button>
      </td>
    </tr>
  );
}

function BreakerCard({ breakers }: { breakers: readonly BreakerView[] }) {
  const rows = breakers.length > 0 ? breakers : [{ scope: 'global', tripped: false }];
  return (
    <section className="card" aria-labelledby="breaker-title">
      <h2 id="breaker-title">Circuit breakers</h2>
      <table className="grid">
        <thead>
          <tr><th>Scope</th><th>State</th><th>Reason</th><th>Tripped at</th><th><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <BreakerRow key={b.scope} b={b} />
          ))}
        </tbody>
      </table>
      <p className="hint">A reset re-arms the breaker; it does not resume copying by itself.</p>
    </section>
  );
}

/** Pause a follower, or resume one that is paused or halted (a breaker trip halts it until a person resumes). */
function FollowerAction({ a }: { a: AccountView }) {
  if (a.tradingState === 'active') {
    return (
      <button type="button" className="small" onClick={() => call('followers:set-state', { accountId: a.id, state: 'paused' })} aria-label={`Pause ${a.label}`}>
        Pause
      </button>
    );
  }
  return <ResumeButton small scope={a.id} label={a.label} />;
}

function HealthCard({ accounts, global }: { accounts: readonly AccountView[]; global: AccountView['tradingState'] }) {
  const now = useNow(1_000);
  const risk = useRisk((s) => s.views);
  return (
    <section className="card span-2" aria-labelledby="health-title">
      <h2 id="health-title">Connections</h2>
      <table className="grid">
        <thead>
          <tr><th>Account</th><th>Role</th><th>Status</th><th className="num">Last heartbeat</th><th className="num">Round trip</th><th>State</th><th>Risk</th><th><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid={`health-${a.id}`}>
              <td className="name-cell" title={`${a.label} (${a.id})`}>
                <span className="ellipsis">{a.label}</span> <span className="muted ellipsis">{a.id}</span>
              </td>
              <td>{a.role}</td>
              <td><ConnDot conn={a.connection} /></td>
              <td className="num">{ago(a.connection.lastHeartbeatAt, now)}</td>
              <td className="num">{ms(a.connection.roundTripMs)}</td>
              <td>{a.role === 'follower' ? <StatePill state={effectiveState(global, a.tradingState)} /> : '—'}</td>
              <td>{risk[a.id] ? (risk[a.id]?.state === 'ok' ? <span className="status status-ok">ok</span> : <RiskBadge view={risk[a.id]} link />) : <span className="muted">—</span>}</td>
              <td>
                {a.role === 'follower' ? (
                  <div className="actions">
                    <FollowerAction a={a} />
                    <KillSwitchButton compact scope={a.id} label={a.label} />
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: string; testId: string; tone?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className={`stat-value num${tone ? ` ${tone}` : ''}`} data-testid={testId}>{value}</div>
    </div>
  );
}

function TodayCard({ snap }: { snap: WorkspaceSnapshotView }) {
  const c = snap.counters as WorkspaceSnapshotView['counters'] & { copiesToday?: number; avgLatencyMs?: number };
  return (
    <section className="card" aria-labelledby="today-title">
      <h2 id="today-title">Today</h2>
      <div className="stats">
        <Stat label="Copies" value={String(c.copiesToday ?? c.copies)} testId="stat-copies" />
        <Stat label="Rejects" value={String(c.rejects)} testId="stat-rejects" tone={c.rejects > 0 ? 'pnl-neg' : undefined} />
        <Stat label="Unknown outcome" value={String(c.unknown)} testId="stat-unknown" />
        <Stat label="Avg copy latency" value={ms(c.avgLatencyMs)} testId="stat-latency" />
      </div>
    </section>
  );
}

export function OverviewScreen() {
  const snap = useDash((s) => s.snapshot);
  if (!snap) return null;
  if (snap.accounts.length === 0) return <FirstRun />;
  return (
    <div className="screen">
      <h1>Overview</h1>
      <div className="cards">
        <TradingCard snap={snap} />
        <TodayCard snap={snap} />
        <BreakerCard breakers={snap.breakers} />
        <HealthCard accounts={snap.accounts} global={snap.trading.global} />
      </div>
    </div>
  );
}
