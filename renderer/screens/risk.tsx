// Risk: one panel per account (followers first, then leaders) with guard readings, day P&L, locks and the editor.
import { useEffect, useState } from 'react';
import type { AccountView } from '../../core/contract/index.js';
import { RiskGuardEditor } from '../components/risk-guard-editor.js';
import { RiskPanel } from '../components/risk-panel.js';
import { useRisk } from '../state/risk.js';
import { useDash } from '../state/store.js';
import { useNow } from './overview.js';

const ORDER: Record<AccountView['role'], number> = { follower: 0, leader: 1, unlinked: 2 };

export function RiskScreen({ focus }: { focus: string | undefined }) {
  const snap = useDash((s) => s.snapshot);
  const views = useRisk((s) => s.views);
  const error = useRisk((s) => s.error);
  const [editing, setEditing] = useState<string | null>(null);
  const now = useNow(1_000);
  useEffect(() => {
    if (focus) document.getElementById(`risk-${focus}`)?.scrollIntoView({ block: 'start' });
  }, [focus]);
  if (!snap) return null;
  const accounts = [...snap.accounts].sort((a, b) => ORDER[a.role] - ORDER[b.role]);
  const editAccount = accounts.find((a) => a.id === editing);
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Risk</h1>
        <span className="muted">Guards act on their own: at a warning you are told, at a limit the account is blocked or flattened and locked.</span>
      </div>
      {error ? (
        <p className="field-error" role="alert" data-testid="risk-error">
          Risk status unavailable: {error}
        </p>
      ) : null}
      {accounts.length === 0 ? <p className="muted">No accounts yet: add some on the Accounts screen.</p> : null}
      <div className="risk-list">
        {accounts.map((a) => (
          <RiskPanel
            key={a.id}
            account={a}
            view={views[a.id]}
            now={now}
            onEdit={() => setEditing(a.id)}
            focused={focus === a.id}
          />
        ))}
      </div>
      {editAccount ? <RiskGuardEditor account={editAccount} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}
