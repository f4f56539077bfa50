// Resume after a halt or a pause: loads engine:resume-preview for the scope, shows per follower the orders a resume
// would send now, and lets the person bring the followers in line now ('align') or copy new leader trades only.
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../core/contract/index.js';
import { clock, qty } from '../format.js';
import { query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { Side } from './badges.js';
import { Modal } from './modal.js';

type Preview = ResponseOf<'engine:resume-preview'>;
type Mode = 'align' | 'new_only';

type Account = NonNullable<ReturnType<typeof useDash.getState>['snapshot']>['accounts'][number];

/** Why a follower of the scope has no orders in the preview other than being in line, if it is not. */
function notPlanned(a: Account, copying: boolean): string | undefined {
  if (!a.enabled) return 'The account is disabled: nothing is sent to it.';
  if (!copying) return 'Copying is off for this follower: nothing is sent to it.';
  if (a.connection.status !== 'connected') return `Not connected (${a.connection.status}): it is brought in line when it is back, by its link's reconcile policy.`;
  return undefined;
}

function FollowerPlan({ label, items, error, note }: { label: string; items: Preview['items']; error?: string | undefined; note?: string | undefined }) {
  const orders = items.flatMap((i) => i.orders.map((o, n) => ({ ...o, key: `${i.linkId}:${i.symbol}:${n}`, item: i })));
  return (
    <li className="resume-follower" data-testid="resume-follower" data-follower={label}>
      <strong>{label}</strong>
      {error ? (
        <p className="field-error">{error}</p>
      ) : orders.length === 0 && note ? (
        <p className="muted" data-testid="resume-note">{note}</p>
      ) : orders.length === 0 ? (
        <p className="muted" data-testid="resume-nothing">Nothing to send: already in line with its target.</p>
      ) : (
        <ul className="resume-orders">
          {orders.map((o) => (
            <li key={o.key} data-testid="resume-order">
              <Side side={o.side} /> <span className="num">{qty(o.qty)}</span> {o.item.symbol}
              <span className="muted">
                {' '}
                (holds {qty(o.item.position)}, target {qty(o.item.target)}){o.item.held ? `; held: ${o.item.held}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function ResumeDialog({ scope, onClose }: { scope: string; onClose: () => void }) {
  const snap = useDash((s) => s.snapshot);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Mode | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    setPreview(null);
    setLoadError(null);
    void query('engine:resume-preview', { scope }).then((r) => {
      if (!live) return;
      if (r.ok) setPreview(r.value);
      else setLoadError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [scope, reads]);
  const followers = (snap?.accounts ?? []).filter((a) => a.role === 'follower' && (scope === 'global' || a.id === scope));
  const label = (id: string) => snap?.accounts.find((a) => a.id === id)?.label ?? id;
  const title = `Resume copying: ${scope === 'global' ? 'all followers' : label(scope)}`;
  const orderCount = preview?.items.reduce((n, i) => n + i.orders.length, 0) ?? 0;
  const unread = (id: string) => {
    const e = preview?.errors.find((x) => x.accountId === id);
    return e ? `Could not read this account, so its orders are not known: ${e.message}` : undefined;
  };
  const who = scope === 'global' ? 'the followers' : label(scope);
  const choose = async (mode: Mode) => {
    setBusy(mode);
    setSendError(null);
    const r = await query('engine:resume', { scope, mode });
    setBusy(null);
    if (r.ok) onClose();
    else setSendError(`Copying was not resumed: ${r.error.message}`);
  };
  return (
    <Modal title={title} onClose={onClose} wide>
      <div className="modal-body" data-testid="resume-preview" aria-busy={!preview && !loadError}>
        {loadError ? (
          <p className="field-error" role="alert">Could not work out what a resume would send: {loadError}</p>
        ) : !preview ? (
          <p className="muted">Reading the brokers…</p>
        ) : (
          <>
            <p data-testid="resume-summary">
              {orderCount === 0 ? `Nothing to send: ${who} ${scope === 'global' ? 'are' : 'is'} in line with the leader.` : `Bringing ${who} in line now sends ${orderCount} order${orderCount === 1 ? '' : 's'}:`}
            </p>
            <ul className="resume-list">
              {followers.map((a) => (
                <FollowerPlan
                  key={a.id}
                  label={a.label}
                  items={preview.items.filter((i) => i.followerAccountId === a.id)}
                  error={unread(a.id)}
                  note={notPlanned(a, snap?.links.some((l) => l.follower === a.id && l.enabled) ?? false)}
                />
              ))}
            </ul>
            <p className="hint">
              Read from the brokers at {clock(preview.at).slice(0, 8)}.{' '}
              <button type="button" className="ghost small" onClick={() => setReads((n) => n + 1)} data-testid="resume-refresh">
                Read again
              </button>
            </p>
            <p className="hint">
              <strong>Bring in line now</strong> reads the brokers again and sends what is still needed, at market. <strong>Copy new trades only</strong> leaves current positions as they are until the leader trades that symbol again.
            </p>
          </>
        )}
        {sendError ? (
          <p className="field-error" role="alert">
            {sendError}
          </p>
        ) : null}
      </div>
      <footer className="modal-foot">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" onClick={() => choose('new_only')} disabled={busy !== null} data-testid="resume-new-only">
          {busy === 'new_only' ? 'Resuming…' : 'Copy new trades only'}
        </button>
        <button type="button" className="primary" onClick={() => choose('align')} disabled={busy !== null || !preview} data-testid="resume-align">
          {busy === 'align' ? 'Sending…' : 'Bring in line now'}
        </button>
      </footer>
    </Modal>
  );
}

/** The Resume button of a scope (every follower, or one): opens the Resume dialog. */
export function ResumeButton({ scope = 'global', label, small }: { scope?: string; label?: string; small?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={small ? 'small' : 'primary'}
        onClick={() => setOpen(true)}
        data-testid={scope === 'global' ? 'resume' : `resume-${scope}`}
        aria-haspopup="dialog"
        aria-label={label ? `Resume ${label}` : undefined}
      >
        {small ? 'Resume' : 'Resume copying…'}
      </button>
      {open ? <ResumeDialog scope={scope} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
