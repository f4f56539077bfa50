// The kill switch: confirmation dialog with "cancel open orders" and "flatten followers", then engine:halt.
import { useState } from 'react';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { Modal } from './modal.js';

export function KillSwitchDialog({ onClose }: { onClose: () => void }) {
  const [cancelOpenOrders, setCancel] = useState(true);
  const [flattenPositions, setFlatten] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useDash((s) => s.toast);
  const confirm = async () => {
    setBusy(true);
    const r = await call('engine:halt', { scope: 'global', cancelOpenOrders, flattenPositions });
    setBusy(false);
    if (r.ok) {
      toast('info', `Halted${flattenPositions ? '; followers flattened' : ''}${cancelOpenOrders ? '; open orders canceled' : ''}`);
      onClose();
    }
  };
  return (
    <Modal title="Kill switch" onClose={onClose}>
      <div className="modal-body">
        <p>
          Halting stops <strong>every new order</strong> on all followers. Copying stays halted, also after a restart, until
          someone resumes it.
        </p>
        <label className="check">
          <input type="checkbox" checked={cancelOpenOrders} onChange={(e) => setCancel(e.target.checked)} />
          Cancel open follower orders
        </label>
        <label className="check">
          <input type="checkbox" checked={flattenPositions} onChange={(e) => setFlatten(e.target.checked)} />
          Flatten followers (close every follower position at market)
        </label>
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

export function KillSwitchButton({ compact }: { compact?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`danger${compact ? ' small' : ''}`}
        onClick={() => setOpen(true)}
        data-testid={compact ? 'kill-switch-bar' : 'kill-switch'}
        aria-haspopup="dialog"
      >
        {compact ? 'Kill' : 'Kill switch'}
      </button>
      {open ? <KillSwitchDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
