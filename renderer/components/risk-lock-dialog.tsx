// Lock or unlock an account by hand: a confirmation that says what it does and asks for the reason (audited).
import { useState } from 'react';
import type { AccountRiskView } from '../../core/contract/risk.js';
import { dateTime } from '../format.js';
import { lockAccount, unlockAccount } from '../state/risk.js';
import { Modal } from './modal.js';

const MAX_REASON = 500;

export interface LockDialogProps {
  mode: 'lock' | 'unlock';
  accountId: string;
  label: string;
  locks: AccountRiskView['locks'];
  onClose: () => void;
}

export function RiskLockDialog({ mode, accountId, label, locks, onClose }: LockDialogProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    const text = reason.trim();
    if (!text) return setError(`Say why you ${mode} ${label}: the reason goes into the audit log`);
    if (text.length > MAX_REASON) return setError(`Keep the reason under ${MAX_REASON} characters (now ${text.length})`);
    setBusy(true);
    const ok = await (mode === 'lock' ? lockAccount : unlockAccount)(accountId, text);
    setBusy(false);
    if (ok) onClose();
  };
  const title = `${mode === 'lock' ? 'Lock' : 'Unlock'} ${label}`;
  return (
    <Modal title={title} onClose={onClose}>
      <div className="modal-body">
        {mode === 'lock' ? (
          <p>
            Cancels the working orders of {label}, closes its positions at market and sends it no orders until someone unlocks it.
            Other accounts keep copying.
          </p>
        ) : (
          <>
            <p>{label} takes orders again: new leader trades are copied to it. Positions a guard closed are not re-opened.</p>
            <ul className="plan" data-testid="unlock-locks">
              {locks.map((l, i) => (
                <li key={i}>
                  {l.mode === 'lock' ? 'Locked' : 'Blocked'} since {dateTime(l.at)}: {l.reason}
                  {l.until ? ` (would lift by itself at ${dateTime(l.until)})` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor="risk-reason">Reason (kept in the audit log)</label>
          <textarea
            id="risk-reason"
            rows={3}
            value={reason}
            maxLength={MAX_REASON + 50}
            onChange={(e) => {
              setReason(e.target.value);
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'risk-reason-err' : undefined}
            data-testid="risk-reason"
          />
          {error ? (
            <span className="field-error" id="risk-reason-err" role="alert">
              {error}
            </span>
          ) : null}
        </div>
      </div>
      <footer className="modal-foot">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={mode === 'lock' ? 'danger' : 'primary'} onClick={confirm} disabled={busy} data-testid={`confirm-${mode}`}>
          {busy ? 'Working…' : mode === 'lock' ? 'Lock now' : 'Unlock now'}
        </button>
      </footer>
    </Modal>
  );
}
