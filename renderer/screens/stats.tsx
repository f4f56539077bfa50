// Statistics: per-follower copies, failures by reason, realized P&L, win rate, latency and slippage over a chosen
// period (stats:followers), and each account's day P&L history kept in the journal (stats:day-pnl).
import { useEffect, useRef, useState } from 'react';
import type { FollowerStatsView } from '../../core/contract/index.js';
import { Pnl } from '../components/badges.js';
import { SelectField } from '../components/field.js';
import { FirstRun } from '../components/first-run.js';
import { money } from '../format.js';
import { query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { DayPnlSection } from './stats-day-pnl.js';
import '../styles/stats.css';

const DAY_MS = 86_400_000;
const PERIODS = [
  ['1', 'Last 24 hours'],
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
] as const;
type Period = (typeof PERIODS)[number][0];
/** At most one refresh this often while copies arrive (a long period reads many journal rows). */
const REFRESH_MS = 5_000;

const ms = (v: number | undefined): string => (v === undefined ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
const pct = (v: number | undefined): string => (v === undefined ? '—' : `${Math.round(v * 100)}%`);

function Failures({ s }: { s: FollowerStatsView }) {
  if (s.failures === 0) return <span className="muted">none</span>;
  return (
    <details className="reasons">
      <summary className="pnl-neg">{s.failures} failed</summary>
      <ul>
        {s.failureReasons.map((r) => (
          <li key={r.reason}>
            <span className="tnum">{r.count}×</span> {r.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

function useFollowerStats(period: Period): { rows: FollowerStatsView[]; error: string | null } {
  const tick = useDash((s) => s.copyTick);
  const [rows, setRows] = useState<FollowerStatsView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now());
    const t = window.setTimeout(async () => {
      last.current = Date.now();
      const r = await query('stats:followers', { from: Math.max(0, Date.now() - Number(period) * DAY_MS) });
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setRows(r.value.followers);
    }, wait);
    return () => window.clearTimeout(t);
  }, [tick, period]);
  return { rows, error };
}

function FollowerTable({ period }: { period: Period }) {
  const accounts = useDash((s) => s.snapshot?.accounts ?? []);
  const { rows, error } = useFollowerStats(period);
  const label = (id: string) => accounts.find((a) => a.id === id)?.label ?? id;
  const currency = (id: string) => accounts.find((a) => a.id === id)?.currency ?? '';
  return (
    <>
      {error ? <p className="field-error">{error}</p> : null}
      <div className="card flush table-scroll">
        <table className="grid" data-testid="follower-stats">
          <thead>
            <tr>
              <th>Follower</th>
              <th className="num">Copies</th>
              <th className="num">Filled</th>
              <th>Failures</th>
              <th className="num">Realized P&amp;L</th>
              <th className="num">Win rate</th>
              <th className="num" title="Leader event received to order sent">To sent</th>
              <th className="num" title="Leader event received to broker acknowledgement">To ack</th>
              <th className="num" title="Per unit, fill-weighted; positive is worse than the leader">Slippage</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.accountId} data-testid="follower-stats-row" data-account={s.accountId}>
                <td className="name-cell">{label(s.accountId)}</td>
                <td className="num" data-testid="stat-copies">{s.copies.toLocaleString()}</td>
                <td className="num">{s.filled.toLocaleString()}</td>
                <td><Failures s={s} /></td>
                <td className="num" data-testid="stat-pnl">
                  <Pnl value={s.realizedPnl} /> <span className="muted">{currency(s.accountId)}</span>
                </td>
                <td className="num" title={`${s.wins} of ${s.trades} round trips made money`}>
                  {pct(s.winRate)} <span className="muted">({s.wins}/{s.trades})</span>
                </td>
                <td className="num">{ms(s.avgSendMs)}</td>
                <td className="num" data-testid="stat-ack">{ms(s.avgAckMs)}</td>
                <td className="num">{s.avgSlippage === undefined ? '—' : money(s.avgSlippage, 4)}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={9} className="muted">No follower yet: add a link on the Accounts screen.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="hint">
        Realized P&amp;L and win rate count the copier&apos;s own fills (average cost; a round trip runs from flat to flat).
        Latency is measured from the leader&apos;s event reaching Mirrordesk. Slippage is per unit in price points.
      </p>
    </>
  );
}

export function StatsScreen() {
  const snap = useDash((s) => s.snapshot);
  const [period, setPeriod] = useState<Period>('7');
  if (!snap) return null;
  if (snap.accounts.length === 0) {
    return (
      <div className="screen">
        <h1>Statistics</h1>
        <FirstRun compact />
      </div>
    );
  }
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Statistics</h1>
        <div className="filters">
          <SelectField label="Period" className="inline" value={period} options={PERIODS} onChange={setPeriod} testId="stats-period" />
        </div>
      </div>
      <h2>Per follower</h2>
      <FollowerTable period={period} />
      <DayPnlSection accounts={snap.accounts.map((a) => ({ id: a.id, label: a.label, role: a.role }))} />
    </div>
  );
}
