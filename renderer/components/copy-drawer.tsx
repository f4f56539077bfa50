// The copy detail drawer: the copy's fields and its timeline with the raw broker messages.
import { useEffect, useRef, useState } from 'react';
import type { CopyRow, ResponseOf } from '../../core/contract/index.js';
import { clock, dateTime, ms, qty } from '../format.js';
import { query } from '../state/session.js';
import { OrderStatus, Side } from './badges.js';

type Detail = ResponseOf<'copies:get'>;

function raw(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

export function CopyDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    let live = true;
    setDetail(null);
    query('copies:get', { id }).then((r) => {
      if (!live) return;
      if (r.ok) setDetail(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [id]);
  useEffect(() => ref.current?.focus(), []);
  const c = (detail ?? undefined) as CopyRow | undefined;
  const x = detail?.execution;
  return (
    <aside className="drawer" role="dialog" aria-label="Copy detail" tabIndex={-1} ref={ref} onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="copy-drawer">
      <header className="modal-head">
        <h2>Copy detail</h2>
        <button type="button" className="ghost" aria-label="Close detail" onClick={onClose}>
          ×
        </button>
      </header>
      {error ? <p className="field-error pad">{error}</p> : null}
      {!detail || !c ? (
        error ? null : <p className="muted pad">Loading…</p>
      ) : (
        <div className="drawer-body">
          <h3>Leader execution</h3>
          {x ? (
            <dl className="kv">
              <dt>Execution</dt><dd className="mono">{x.id}</dd>
              <dt>Trade</dt><dd><Side side={x.side} /> {qty(x.qty)} {x.symbol} @ <span className="num">{x.price}</span></dd>
            </dl>
          ) : (
            <p className="muted">Not caused by a leader execution (repair or flatten).</p>
          )}
          <h3>Follower order</h3>
          <dl className="kv">
            <dt>Copy id</dt><dd className="mono">{c.id}</dd>
            <dt>Link</dt><dd>{c.leaderAccountId} → {c.followerAccountId}</dd>
            <dt>Order</dt><dd><Side side={c.side} /> {qty(c.qty)} {c.symbol}</dd>
            <dt>Status</dt><dd><OrderStatus status={c.status} /></dd>
            <dt>Filled</dt><dd className="tnum">{qty(c.filledQty)} @ {c.avgFillPrice ?? '—'}</dd>
            <dt>Leader price</dt><dd className="tnum">{c.leaderPrice ?? '—'}</dd>
            <dt>Slippage</dt><dd className="tnum">{c.slippage ?? '—'}</dd>
            <dt>Latency</dt><dd className="tnum">ack {ms(c.latencyMs)} · fill {ms(c.fillLatencyMs)}</dd>
            <dt>Created</dt><dd className="tnum">{dateTime(c.createdAt)}</dd>
            {c.error ? (<><dt>Error</dt><dd className="pnl-neg">{c.error}</dd></>) : null}
          </dl>
          {detail.fills.length > 0 ? (
            <>
              <h3>Fills</h3>
              <table className="grid">
                <thead><tr><th>Time</th><th className="num">Qty</th><th className="num">Price</th></tr></thead>
                <tbody>
                  {detail.fills.map((f, i) => (
                    <tr key={i}><td className="tnum">{clock(f.time)}</td><td className="num">{qty(f.qty)}</td><td className="num">{f.price}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          <h3>Broker messages</h3>
          {detail.events.length === 0 ? <p className="muted">No broker messages recorded.</p> : null}
          <ol className="timeline">
            {detail.events.map((e, i) => (
              <li key={i}>
                <div className="timeline-head">
                  <span className="tnum">{clock(e.time)}</span> {e.status ? <OrderStatus status={e.status} /> : null}
                  {e.error ? <span className="pnl-neg">{e.error}</span> : null}
                </div>
                {e.raw !== undefined ? <pre className="raw">{raw(e.raw)}</pre> : null}
              </li>
            ))}
          </ol>
        </div>
      )}
    </aside>
  );
}
