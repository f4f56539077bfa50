// Accounts: leader and followers with broker, paper/live, connection, equity, day P&L, positions; enable, edit, remove.
import { useState } from 'react';
import type { AccountView, LinkView } from '../../core/contract/index.js';
import { AccountWizard } from '../components/account-wizard.js';
import { EditAccountDialog, RemoveAccountDialog } from '../components/account-edit.js';
import { ConnDot, effectiveState, EnvBadge, Pnl, StatePill } from '../components/badges.js';
import { FirstRun } from '../components/first-run.js';
import { Toggle } from '../components/field.js';
import { money, qty } from '../format.js';
import { href } from '../state/route.js';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';

const ROLE_ORDER = { leader: 0, follower: 1, unlinked: 2 } as const;

function Positions({ a }: { a: AccountView }) {
  const open = a.positions.filter((p) => /[1-9]/.test(p.qty));
  if (open.length === 0) return <span className="muted" data-testid={`flat-${a.id}`}>flat</span>;
  return (
    <span className="positions" data-testid={`positions-${a.id}`}>
      {open.map((p) => (
        <span key={p.symbol} className={`pos ${p.qty.startsWith('-') ? 'pnl-neg' : 'pnl-pos'}`}>
          {p.symbol} {qty(p.qty)}
        </span>
      ))}
    </span>
  );
}

function Row({ a, link, global, onEdit, onRemove }: { a: AccountView; link: LinkView | undefined; global: AccountView['tradingState']; onEdit: () => void; onRemove: () => void }) {
  return (
    <tr data-testid={`account-${a.id}`}>
      <td>
        <div className="strong">{a.label}</div>
        <div className="muted small-text">{a.id}</div>
      </td>
      <td>
        <span className={`tag tag-role-${a.role}`}>{a.role}</span>
      </td>
      <td>{a.broker}</td>
      <td>
        <EnvBadge env={a.environment} />
      </td>
      <td>
        <ConnDot conn={a.connection} />
      </td>
      <td className="num">{money(a.equity)}</td>
      <td className="num">
        <Pnl value={a.dayPnl} />
      </td>
      <td>
        <Positions a={a} />
      </td>
      <td>{a.role === 'follower' ? <StatePill state={effectiveState(global, a.tradingState)} testId={`state-${a.id}`} /> : <span className="muted">—</span>}</td>
      <td>
        {link ? (
          <Toggle label={`Copy to ${a.label}`} checked={link.enabled} onChange={(enabled) => call('links:update', { id: link.id, patch: { enabled } })} testId={`enable-${a.id}`} />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <div className="actions">
        {link ? (
          <a className="button small" href={href('settings', a.id)}>
            Settings
          </a>
        ) : null}
        <button type="button" className="small" onClick={onEdit} aria-label={`Edit ${a.label}`}>
          Edit
        </button>
        <button type="button" className="small ghost-danger" onClick={onRemove} aria-label={`Remove ${a.label}`}>
          Remove
        </button>
        </div>
      </td>
    </tr>
  );
}

export function AccountsScreen() {
  const snap = useDash((s) => s.snapshot);
  const [wizard, setWizard] = useState(false);
  const [editing, setEditing] = useState<AccountView | null>(null);
  const [removing, setRemoving] = useState<AccountView | null>(null);
  if (!snap) return null;
  const accounts = [...snap.accounts].sort((x, y) => ROLE_ORDER[x.role] - ROLE_ORDER[y.role] || x.label.localeCompare(y.label));
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Accounts</h1>
        <button type="button" className="primary" onClick={() => setWizard(true)} data-testid="add-account">
          Add account
        </button>
      </div>
      {accounts.length === 0 ? (
        <FirstRun compact />
      ) : (
        <div className="card flush">
          <table className="grid">
            <thead>
              <tr>
                <th>Account</th><th>Role</th><th>Broker</th><th>Env</th><th>Connection</th><th className="num">Equity</th><th className="num">Day P&amp;L</th><th>Open positions</th><th>State</th><th>Copying</th>
                <th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <Row key={a.id} a={a} global={snap.trading.global} link={snap.links.find((l) => l.follower === a.id)} onEdit={() => setEditing(a)} onRemove={() => setRemoving(a)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {wizard ? <AccountWizard onClose={() => setWizard(false)} /> : null}
      {editing ? <EditAccountDialog account={editing} onClose={() => setEditing(null)} /> : null}
      {removing ? <RemoveAccountDialog account={removing} links={snap.links} onClose={() => setRemoving(null)} /> : null}
    </div>
  );
}
