// The sync repair confirmation: shows the exact orders (side, quantity, symbol, instrument, follower) before anything
// is sent, sends them with sync:apply (refused by the app when the repair changed meanwhile) and shows what was sent.
import { useState } from 'react';
import type { ResponseOf, SyncRowView } from '../../core/contract/index.js';
import { Side } from '../components/badges.js';
import { Modal } from '../components/modal.js';
import { qty } from '../format.js';
import { query } from '../state/session.js';

type Result = ResponseOf<'sync:apply'>;

export function ApplyDialog({ rows, follower, label, onClose }: { rows: readonly SyncRowView[]; follower?: string; label: string; onClose: (changed: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const orders = rows.flatMap((r) => r.orders.map((o, i) => ({ ...o, key: `${r.linkId}:${r.symbol}:${i}` })));
  const items = rows.map((r) => ({ linkId: r.linkId, symbol: r.symbol, orders: r.orders.map((o) => ({ side: o.side, qty: o.qty })) }));
  const send = async () => {
    setBusy(true);
    setError(null);
    const r = await query('sync:apply', follower ? { followerAccountId: follower, items } : items[0]!);
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(r.error.message);
  };
  const n = orders.length;
  return (
    <Modal title={`Repair ${label}`} onClose={() => onClose(result !== null)}>
      <div className="modal-body" data-testid="sync-confirm">
        {result ? (
          <>
            <p data-testid="sync-result">
              {result.sent.length > 0 ? `Sent ${result.sent.length} order${result.sent.length === 1 ? '' : 's'}:` : 'Nothing was sent.'}
            </p>
            <ul className="plan">
              {result.sent.map((s) => (
                <li key={s.clientOrderId} data-testid="sync-sent">
                  <Side side={s.side} /> <span className="num">{qty(s.qty)}</span> {s.symbol} <span className="muted mono">{s.instrument}</span>
                  {s.dryRun ? <span className="muted"> (dry run: journaled, not sent)</span> : null}
                </li>
              ))}
              {result.refused.map((x) => (
                <li key={`${x.linkId}:${x.symbol}`} className="field-error" data-testid="sync-refused">
                  {x.symbol}: {x.reason}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <p>
              {n === 1 ? 'This order is' : `These ${n} orders are`} sent to <strong>{label}</strong> at market now, journaled and audited under your name:
            </p>
            <ul className="plan">
              {orders.map((o) => (
                <li key={o.key} data-testid="sync-confirm-order">
                  <Side side={o.side} /> <span className="num">{qty(o.qty)}</span> {o.symbol} <span className="muted mono">{o.instrument}</span>
                </li>
              ))}
            </ul>
            <p className="hint">If the follower's drift changes before you send, nothing is sent and the new repair is shown.</p>
          </>
        )}
        {error ? (
          <p className="field-error" role="alert">
            Not sent: {error}
          </p>
        ) : null}
      </div>
      <footer className="modal-foot">
        {result ? (
          <button type="button" className="primary" onClick={() => onClose(true)} data-testid="sync-done">
            Done
          </button>
        ) : (
          <>
            <button type="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={send} disabled={busy || n === 0} data-testid="sync-send">
              {busy ? 'Sending…' : `Send ${n} order${n === 1 ? '' : 's'}`}
            </button>
          </>
        )}
      </footer>
    </Modal>
  );
}
