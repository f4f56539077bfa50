// The Sync screen: does every follower match the leader? Per follower and symbol: the leader's position, the eligible
// part E, the target T, the follower's position, our working orders and the drift T - (position + working), with the
// exact repair; Apply per row or per follower after a confirmation that lists the orders. Read from the app's state
// every few seconds; "Read the brokers" asks for a reconciliation first.
import { useCallback, useEffect, useState } from 'react';
import type { ResponseOf, SyncRowView } from '../../core/contract/index.js';
import { Side, StatePill } from '../components/badges.js';
import { FirstRun } from '../components/first-run.js';
import { clock, qty, signOf } from '../format.js';
import { call, query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { ApplyDialog } from './sync-apply.js';
import './sync.css';

type View = ResponseOf<'sync:view'>;
type Follower = View['followers'][number];
const REFRESH_MS = 3_000;

const drifting = (r: SyncRowView) => signOf(r.drift) !== 'zero';
/** Rows that need a person first: a repair that can be applied, other drift, in line, then symbols not copied. */
const rank = (r: SyncRowView): number => (r.canApply ? 0 : drifting(r) ? 1 : r.note?.includes('not ours') ? 3 : 2);
const byRank = (rows: readonly SyncRowView[]): SyncRowView[] => [...rows].sort((a, b) => rank(a) - rank(b));

function Repair({ row }: { row: SyncRowView }) {
  if (row.orders.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="sync-orders">
      {row.orders.map((o, i) => (
        <li key={i}>
          <Side side={o.side} /> <span className="num">{qty(o.qty)}</span> {o.symbol}
        </li>
      ))}
    </ul>
  );
}

function Row({ row, onApply }: { row: SyncRowView; onApply: () => void }) {
  const drift = drifting(row);
  return (
    <tr className={drift ? 'sync-drift' : undefined} data-testid={`sync-row-${row.followerAccountId}-${row.symbol}`} data-drift={row.drift}>
      <td>
        <strong>{row.symbol}</strong>
        {row.leaderSymbol !== row.symbol ? <span className="muted"> ← {row.leaderSymbol}</span> : null}
        {row.note ? <div className="sync-note" data-testid="sync-note">{row.note}</div> : null}
      </td>
      <td className="num">{qty(row.leaderPosition)}</td>
      <td className="num">{qty(row.eligible)}</td>
      <td className="num">{qty(row.target)}</td>
      <td className="num">{qty(row.position)}</td>
      <td className="num">{qty(row.working)}</td>
      <td className={`num sync-drift-cell${drift ? ' is-drift' : ''}`} data-testid="sync-drift">
        {drift && signOf(row.drift) === 'pos' ? '+' : ''}
        {qty(row.drift)}
      </td>
      <td><Repair row={row} /></td>
      <td>
        {row.orders.length > 0 ? (
          <button type="button" className="small" onClick={onApply} disabled={!row.canApply} title={row.canApply ? undefined : row.note} data-testid="sync-apply-row">
            Apply…
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function FollowerCard({ f, label, rows, onApply }: { f: Follower; label: string; rows: readonly SyncRowView[]; onApply: (rows: readonly SyncRowView[], follower?: string) => void }) {
  const applicable = rows.filter((r) => r.canApply && r.orders.length > 0);
  const drifts = rows.filter(drifting).length;
  const state = (['active', 'paused', 'halted'].includes(f.state) ? f.state : 'active') as 'active' | 'paused' | 'halted';
  return (
    <section className="card sync-card" aria-label={`Sync of ${label}`} data-testid={`sync-follower-${f.accountId}`}>
      <header className="sync-head">
        <h2>
          {label} <span className="muted">{f.accountId}</span>
        </h2>
        <StatePill state={state} />
        <span className={`tag ${drifts > 0 ? 'tag-warn' : 'tag-ok'}`} data-testid="sync-summary">
          {drifts > 0 ? `${drifts} drift${drifts === 1 ? '' : 's'}` : 'in line'}
        </span>
        <span className="sync-spacer" />
        {applicable.length > 0 ? (
          <button type="button" className="small primary" onClick={() => onApply(applicable, f.accountId)} data-testid="sync-apply-follower">
            Apply all ({applicable.reduce((n, r) => n + r.orders.length, 0)})…
          </button>
        ) : null}
      </header>
      {f.blocked ? (
        <p className="notice" data-testid="sync-blocked">
          <strong>No repairs:</strong> {f.blocked}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted">No positions or orders on either side.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid sync-table">
            <thead>
              <tr>
                <th>Symbol</th>
                <th className="num" title="The leader's net position">Leader</th>
                <th className="num" title="The part of the leader's position this link copies (E)">Eligible</th>
                <th className="num" title="The follower's target position (T)">Target</th>
                <th className="num">Position</th>
                <th className="num" title="Our orders still working">Working</th>
                <th className="num" title="Target - (position + working)">Drift</th>
                <th>Repair</th>
                <th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Row key={`${r.linkId}:${r.symbol}`} row={r} onApply={() => onApply([r])} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Followers with the most urgent rows first (a repair to apply, then drift), each with its rows in that order. */
function followersFirst(view: View): { f: Follower; rows: SyncRowView[] }[] {
  const cards = view.followers.map((f) => ({ f, rows: byRank(view.rows.filter((r) => r.followerAccountId === f.accountId)) }));
  const top = (rows: readonly SyncRowView[]) => (rows[0] ? rank(rows[0]) : 4);
  return cards.sort((a, b) => top(a.rows) - top(b.rows));
}

export function SyncScreen() {
  const accounts = useDash((s) => s.snapshot?.accounts);
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [apply, setApply] = useState<{ rows: readonly SyncRowView[]; follower?: string } | null>(null);
  const load = useCallback(async () => {
    const r = await query('sync:view', {});
    if (r.ok) {
      setView(r.value);
      setError(null);
    } else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
    if (apply) return undefined;
    const t = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [load, apply]);
  if (accounts && accounts.length === 0) return <FirstRun />;
  const label = (id: string) => accounts?.find((a) => a.id === id)?.label ?? id;
  const readNow = async () => {
    setReading(true);
    await call('engine:reconcile', undefined);
    await load();
    setReading(false);
  };
  const drifts = view?.rows.filter(drifting).length ?? 0;
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Sync</h1>
        <div className="filters">
          <span className="muted" data-testid="sync-at">{view ? `As of ${clock(view.at).slice(0, 8)}` : ''}</span>
          <button type="button" onClick={readNow} disabled={reading} data-testid="sync-read">
            {reading ? 'Reading…' : 'Read the brokers'}
          </button>
        </div>
      </div>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {view ? (
        <p className={drifts > 0 ? 'sync-verdict bad' : 'sync-verdict ok'} data-testid="sync-verdict">
          {view.followers.length === 0
            ? 'No follower is linked to a leader yet.'
            : drifts > 0
              ? `${drifts} position${drifts === 1 ? ' does' : 's do'} not match the leader.`
              : 'Every follower matches the leader.'}
        </p>
      ) : (
        !error && <p className="muted">Reading…</p>
      )}
      {view
        ? followersFirst(view).map(({ f, rows }) => (
            <FollowerCard key={f.accountId} f={f} label={label(f.accountId)} rows={rows} onApply={(picked, follower) => setApply({ rows: picked, ...(follower ? { follower } : {}) })} />
          ))
        : null}
      <p className="hint">
        Drift = target - (position + working orders). A symbol the link does not copy (deny or allow list) is shown but never repaired: it is not the
        copier's position. A halted or paused follower gets no repair.
      </p>
      {apply ? (
        <ApplyDialog
          rows={apply.rows}
          {...(apply.follower ? { follower: apply.follower } : {})}
          label={label(apply.rows[0]!.followerAccountId)}
          onClose={(changed) => {
            setApply(null);
            if (changed) void load();
          }}
        />
      ) : null}
    </div>
  );
}
