// Leaving the demo workspace (workspace:leave-demo) behind a confirmation that says exactly what happens.
import { useState } from 'react';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { Modal } from './modal.js';

export function LeaveDemo() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leave = async () => {
    setBusy(true);
    const r = await call('workspace:leave-demo');
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setOpen(false);
    useDash.getState().toast('info', 'You left the demo: the workspace is empty and stays so after a restart');
  };
  return (
    <>
      <button type="button" className="small ghost-danger" onClick={() => setOpen(true)} data-testid="leave-demo">
        Leave the demo…
      </button>
      {open ? (
        <Modal title="Leave the demo workspace?" onClose={() => setOpen(false)}>
          <div className="modal-body" data-testid="leave-demo-dialog">
            <p>Leaving the demo:</p>
            <ul>
              <li>stops the demo bot and disconnects the simulated leader and its three followers;</li>
              <li>removes those simulated accounts and their links: the workspace becomes empty;</li>
              <li>keeps it empty after a restart: the demo does not come back on its own.</li>
            </ul>
            <p>
              The history stays in the journal (copies, alerts, audit log). No real broker account is touched. You can add
              your own accounts next, or start the demo again from the empty workspace.
            </p>
            {error ? <p className="field-error" role="alert">{error}</p> : null}
          </div>
          <footer className="modal-foot">
            <button type="button" onClick={() => setOpen(false)} data-testid="leave-demo-cancel">
              Stay in the demo
            </button>
            <button type="button" className="danger" onClick={() => void leave()} disabled={busy} data-testid="leave-demo-confirm">
              {busy ? 'Leaving…' : 'Leave the demo'}
            </button>
          </footer>
        </Modal>
      ) : null}
    </>
  );
}
