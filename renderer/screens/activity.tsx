// Activity: the live, virtualised copies table (paged queries), filters, CSV export and the detail drawer.
import { memo, startTransition, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CopyRow } from '../../core/contract/index.js';
import { OrderStatus, Side } from '../components/badges.js';
import { CopyDrawer } from '../components/copy-drawer.js';
import { FirstRun } from '../components/first-run.js';
import { SelectField, TextField } from '../components/field.js';
import { dateTime, group, ms, qty, qtyDecimals, signOf } from '../format.js';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { usePager, type CopyFilter } from './copies-pager.js';

const ROW_H = 28;
/** Rows rendered beyond the viewport each way, once the first screen painted (the first paint renders only the rows in view). */
const OVERSCAN = 20;
const REFRESH_MS = 250;

/** Element Timing: the browser records when the first row's text is painted (test/bench/dashboard-bench.ts reads it). */
const FIRST_ROW_TIMING = { elementtiming: 'activity:first-row' };

type Names = Readonly<Record<string, { label: string; broker: string }>>;

// Memoised: a re-render of the table (scroll, a refresh, a snapshot) renders only rows whose copy or place changed.
const Row = memo(function Row({ r, index, names, onOpen }: { r: CopyRow | undefined; index: number; names: Names; onOpen: (id: string) => void }) {
  const style = { transform: `translateY(${index * ROW_H}px)` };
  if (!r) {
    return (
      <div className="vrow loading" style={style} role="row" aria-rowindex={index + 2}>
        <span role="cell" className="muted">…</span>
      </div>
    );
  }
  return (
    <div
      className="vrow"
      style={style}
      role="row"
      aria-rowindex={index + 2}
      tabIndex={0}
      data-testid="copy-row"
      data-id={r.id}
      data-qty={r.qty}
      data-follower={r.followerAccountId}
      onClick={() => onOpen(r.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(r.id);
        else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const next = e.currentTarget.parentElement?.querySelector<HTMLElement>(`[aria-rowindex="${index + 2 + (e.key === 'ArrowDown' ? 1 : -1)}"]`);
          next?.focus();
        }
      }}
    >
      <span role="cell" className="tnum" {...(index === 0 ? FIRST_ROW_TIMING : {})}>{dateTime(r.createdAt)}</span>
      <span role="cell" className="ellipsis" title={r.followerAccountId}>{names[r.followerAccountId]?.label ?? r.followerAccountId}</span>
      <span role="cell">{r.symbol}</span>
      <span role="cell"><Side side={r.side} /></span>
      <span role="cell" className="num" title={r.qty}>{qty(r.qty, qtyDecimals(names[r.followerAccountId]?.broker))}</span>
      <span role="cell" className="num">{r.avgFillPrice ?? '—'}</span>
      <span role="cell" className="num">{r.leaderPrice ?? '—'}</span>
      <span role="cell"><OrderStatus status={r.status} /></span>
      <span role="cell" className="num">{ms(r.latencyMs)}</span>
      <span role="cell" className={`num pnl-${signOf(r.slippage) === 'pos' ? 'neg' : signOf(r.slippage) === 'neg' ? 'pos' : 'zero'}`}>{r.slippage ?? '—'}</span>
    </div>
  );
});

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ActivityScreen() {
  const snap = useDash((s) => s.snapshot);
  const copyTick = useDash((s) => s.copyTick);
  const [follower, setFollower] = useState('');
  const [symbol, setSymbol] = useState('');
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // Until the scroller reports its size: the window's height, never less than the scroller's (no blank rows at first).
  const [view, setView] = useState(() => ({ top: 0, height: window.innerHeight }));
  const [overscan, setOverscan] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const sym = symbol.trim().toUpperCase();
  const filter: CopyFilter = {
    ...(follower ? { followerAccountId: follower } : {}),
    ...(/^[A-Za-z0-9./_:-]{1,64}$/.test(sym) ? { symbol: sym } : {}),
    ...(status ? { status: status as NonNullable<CopyFilter['status']> } : {}),
  };
  const pager = usePager(filter);
  // Kept while the names stay the same (snapshots arrive often), so the memoised rows need not re-render.
  const namesKey = JSON.stringify((snap?.accounts ?? []).map((a) => [a.id, a.label, a.broker]));
  const names: Names = useMemo(
    () => Object.fromEntries((JSON.parse(namesKey) as [string, string, string][]).map(([id, label, broker]) => [id, { label, broker }])),
    [namesKey],
  );
  const first = Math.max(0, Math.floor(view.top / ROW_H) - overscan);
  const last = Math.min(pager.total, Math.ceil((view.top + view.height) / ROW_H) + overscan);
  // After the first paint (a timeout from the next frame callback), as a transition: the overscan for smooth scrolling.
  useEffect(() => {
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setOverscan(OVERSCAN)));
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, []);

  // The observer reports the first size after the browser's own layout: no extra layout forced before the first paint.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => pager.ensure(first, last), [first, last, pager]);

  const pagerRef = useRef(pager);
  pagerRef.current = pager;
  const viewRef = useRef({ first, last });
  viewRef.current = { first, last };
  // Throttled (not debounced) so the table stays live while copies stream in faster than the refresh period;
  // a tick during a refresh schedules one more, so the last copies are never missed.
  const refreshTimer = useRef<number | null>(null);
  const lastRefresh = useRef(0);
  const missed = useRef(false);
  const schedule = useRef(() => {
    if (refreshTimer.current !== null) {
      missed.current = true;
      return;
    }
    const wait = Math.max(0, lastRefresh.current + REFRESH_MS - performance.now());
    refreshTimer.current = window.setTimeout(async () => {
      lastRefresh.current = performance.now();
      missed.current = false;
      const el = scroller.current;
      const added = await pagerRef.current.refresh(viewRef.current.first, Math.max(viewRef.current.last, 1));
      if (el && added > 0 && el.scrollTop > 0) el.scrollTop += added * ROW_H;
      refreshTimer.current = null;
      if (missed.current) schedule.current();
    }, wait);
  });
  useEffect(() => {
    if (copyTick > 0) schedule.current();
  }, [copyTick]);
  useEffect(
    () => () => {
      if (refreshTimer.current !== null) window.clearTimeout(refreshTimer.current);
    },
    [],
  );

  useEffect(() => {
    if (pager.loaded) performance.mark('activity:rows');
  }, [pager.loaded]);

  const exportCsv = async () => {
    const r = await call('copies:export-csv', filter);
    if (r.ok) download(`mirrordesk-copies-${new Date().toISOString().slice(0, 10)}.csv`, r.value.csv);
  };

  if (snap && snap.accounts.length === 0) {
    return (
      <div className="screen">
        <h1>Activity</h1>
        <FirstRun compact />
      </div>
    );
  }
  const followers = (snap?.accounts ?? []).filter((a) => a.role === 'follower');
  const rows = [];
  for (let i = first; i < last; i++) rows.push(<Row key={i} index={i} r={pager.row(i)} names={names} onOpen={setOpen} />);
  return (
    <div className="screen screen-fill">
      <div className="screen-head">
        <h1>Activity</h1>
        <div className="filters">
          <SelectField label="Follower" className="inline" value={follower} options={[['', 'All followers'], ...followers.map((a) => [a.id, a.label] as const)]} onChange={setFollower} testId="filter-follower" />
          <TextField label="Symbol" className="inline" value={symbol} onChange={setSymbol} placeholder="any" testId="filter-symbol" />
          <SelectField
            label="Status"
            className="inline"
            value={status}
            options={[['', 'Any'], ['filled', 'Filled'], ['partially_filled', 'Partially filled'], ['accepted', 'Working'], ['rejected', 'Rejected'], ['unknown', 'Unknown'], ['canceled', 'Canceled'], ['dry_run', 'Dry run']]}
            onChange={setStatus}
          />
          <button type="button" onClick={exportCsv} data-testid="export-csv">
            Export CSV
          </button>
        </div>
      </div>
      <div className="vtable card flush" role="table" aria-label="Copies" aria-rowcount={pager.total + 1} data-total={pager.total}>
        <div className="vrow vhead" role="row" aria-rowindex={1}>
          <span role="columnheader">Time</span><span role="columnheader">Follower</span><span role="columnheader">Symbol</span><span role="columnheader">Side</span>
          <span role="columnheader" className="num">Qty</span><span role="columnheader" className="num">Fill</span><span role="columnheader" className="num">Leader px</span>
          <span role="columnheader">Status</span><span role="columnheader" className="num">Latency</span><span role="columnheader" className="num">Slippage</span>
        </div>
        <div className="vscroll" ref={scroller} onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })} data-testid="activity-scroll">
          <div className="vspace" style={{ height: pager.total * ROW_H }} role="rowgroup">
            {rows}
          </div>
          {pager.loaded && pager.total === 0 ? <p className="muted pad vempty">No copies yet{follower || sym || status ? ' for this filter' : ''}. They appear here as soon as the leader trades.</p> : null}
        </div>
        <div className="vfoot muted" aria-live="off">{pager.error ? <span className="field-error">{pager.error}</span> : `${group(String(pager.total))} copies`}</div>
      </div>
      {open ? <CopyDrawer id={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
