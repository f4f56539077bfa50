// The kill switch for a scope (every follower, or one): a confirmation that lists what it will do, engine:halt, and
// then the halt report: what was cancelled and closed, and what could not be.
import { useState } from 'react';
import { qty } from '../format.js';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { SelectField } from './field.js';
import { planLines, reportLines, type ReportLine } from './halt-report.js';
import { Modal } from './modal.js';

export function KillSwitchDialog({ scope: initial, onClose }: { scope: string; onClose: () => void }) {
  const snap = useDash((s) => s.snapshot);
  const [scope, setScope] = useState(initial);
  const [cancelOpenOrders, setCancel] = useState(true);
  const [flattenPositions, setFlatten] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ ok: boolean; lines: ReportLine[] } | null>(null);
  const followers = (snap?.accounts ?? []).filter((a) => a.role === 'follower').map((a) => ({ ...a, positions: a.positions.map((p) => ({ ...p, qty: qty(p.qty) })) }));
  const label = (id: string) => snap?.accounts.find((a) => a.id === id)?.label ?? id;
  const title = `Kill switch: ${scope === 'global' ? 'all followers' : label(scope)}`;
  const confirm = async () => {
    setBusy(true);
    const r = await call('engine:halt', { scope, cancelOpenOrders, flattenPositions });
    setBusy(false);
    if (r.ok) setReport({ ok: (r.value as { ok?: unknown }).ok !== false, lines: reportLines(r.value, label) });
  };
  if (report) {
    return (
      <Modal title={title} onClose={onClose}>
        <div className="modal-body" data-testid="halt-report">
          <p className={report.ok ? '' : 'field-error'}>
            {report.ok ? `Halted ${scope === 'global' ? 'every follower' : label(scope)}.` : 'Halted, but some things could not be done: check them at the broker.'}
          </p>
          <ul className="report">
            {report.lines.map((l, i) => (
              <li key={i} data-ok={String(l.ok)}>
                {l.text}
              </li>
            ))}
          </ul>
        </div>
        <footer className="modal-foot">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </footer>
      </Modal>
    );
  }
  return (
    <Modal title={title} onClose={onClose}>
      <div className="modal-body">
        {initial === 'global' ? (
          <SelectField label="Scope" value={scope} options={[['global', 'All followers'], ...followers.map((a) => [a.id, a.label] as const)]} onChange={setScope} testId="halt-scope" />
        ) : null}
        <label className="check">
          <input type="checkbox" checked={cancelOpenOrders} onChange={(e) => setCancel(e.target.checked)} />
          Cancel open follower orders
        </label>
        <label className="check">
          <input type="checkbox" checked={flattenPositions} onChange={(e) => setFlatten(e.target.checked)} />
          {scope === 'global' ? 'Flatten followers (close every follower position at market)' : `Flatten ${label(scope)} (close its positions at market)`}
        </label>
        <h3>This will</h3>
        <ul className="plan" data-testid="halt-plan">
          {planLines({ scope, followers, cancel: cancelOpenOrders, flatten: flattenPositions }).map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      </div>
      <footer className="modal-foot">
        <button type="button" onClick={onClose}>
          Keep trading
        </button>
        <button type="button" className="danger" onClick={confirm} disabled={busy} data-testid="confirm-halt">
          {busy ? 'Halting…' : 'Halt now'}
        </button>
      </footer>
    </Modal>
  );
}

export function KillSwitchButton({ compact, scope = 'global', label }: { compact?: boolean; scope?: string; label?: string }) {
  const [open, setOpen] = useState(false);
  const testId = scope !== 'global' ? `kill-${scope}` : compact ? 'kill-switch-bar' : 'kill-switch';
  return (
    <>
      <button
        type="button"
        className={`danger${compact ? ' small' : ''}`}
        onClick={() => setOpen(true)}
        data-testid={testId}
        aria-haspopup="dialog"
        aria-label={label ? `Kill switch for ${label}` : undefined}
      >
        {compact ? 'Kill' : 'Kill switch'}
      </button>
      {open ? <KillSwitchDialog scope={scope} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
