// Accounts: leader and followers with broker account (id and the broker's name), connection, equity, day P&L,
// positions; a warning when two accounts trade one broker account; test, enable, edit, remove.
import { useState } from 'react';
import type { AccountView, LinkView } from '../../core/contract/index.js';
import { AccountWizard } from '../components/account-wizard.js';
import { EditAccountDialog, RemoveAccountDialog } from '../components/account-edit.js';
import { explainTestFailure } from '../components/account-validate.js';
import { ConnDot, effectiveState, EnvBadge, Pnl, StatePill } from '../components/badges.js';
import { FirstRun } from '../components/first-run.js';
import { Toggle } from '../components/field.js';
import { money, qty, qtyDecimals } from '../format.js';
import { href } from '../state/route.js';
import { call, query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { effectiveBrokerAccount, sameBrokerAccount } from './account-checks.js';

const ROLE_ORDER = { leader: 0, follower: 1, unlinked: 2 } as const;
type TestState = 'running' | { ok: boolean; text: string };

function Positions({ a }: { a: AccountView }) {
  const open = a.positions.filter((p) => /[1-9]/.test(p.qty));
  if (open.length === 0) return <span className="muted" data-testid={`flat-${a.id}`}>flat</span>;
  return (
    <span className="positions" data-testid={`positions-${a.id}`}>
      {open.map((p) => (
        <span key={p.symbol} className={`pos ${p.qty.startsWith('-') ? 'pnl-neg' : 'pnl-pos'}`} data-symbol={p.symbol} data-qty={p.qty} title={`${p.symbol} ${p.qty}`}>
          {p.symbol} {qty(p.qty, qtyDecimals(a.broker))}
        </span>
      ))}
    </span>
  );
}

function BrokerAccount({ a }: { a: AccountView }) {
  const target = effectiveBrokerAccount(a);
  return (
    <div className="name-cell-inner" data-testid={`broker-account-${a.id}`}>
      <div>
        {a.broker} <EnvBadge env={a.environment} />
      </div>
      <div className="muted small-text ellipsis" title={a.endpoints?.rest ?? 'default endpoint'}>
        {target ? <span className="mono">#{target}</span> : <span>account not read yet</span>}
        {a.brokerAccountName && a.brokerAccountName !== target ? <span> · {a.brokerAccountName}</span> : null}
      </div>
    </div>
  );
}

function Row({ a, link, global, onEdit, onRemove }: { a: AccountView; link: LinkView | undefined; global: AccountView['tradingState']; onEdit: () => void; onRemove: () => void }) {
  const [test, setTest] = useState<TestState | null>(null);
  const runTest = async () => {
    setTest('running');
    const r = await query('accounts:test', { accountId: a.id });
    if (!r.ok) setTest({ ok: false, text: explainTestFailure(r.error.message) });
    else setTest({ ok: r.value.ok, text: r.value.ok ? `Connected${r.value.latencyMs !== undefined ? ` (${r.value.latencyMs} ms)` : ''}` : explainTestFailure(r.value.message) });
  };
  return (
    <tr data-testid={`account-${a.id}`}>
      <td className="name-cell" title={`${a.label} (${a.id})`}>
        <div className="strong ellipsis">{a.label}</div>
        <div className="muted small-text ellipsis">{a.id}</div>
      </td>
      <td>
        <span className={`tag tag-role-${a.role}`}>{a.role}</span>
      </td>
      <td className="name-cell">
        <BrokerAccount a={a} />
      </td>
      <td>
        <ConnDot conn={a.connection} />
      </td>
      <td className="num">{money(a.equity)}</td>
      <td className="num">
        <Pnl value={a.dayPnl} />
      </td>
      <td className="wrap">
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
      <td className="actions-cell">
        <div className="actions">
          <button type="button" className="small" onClick={runTest} disabled={test === 'running'} aria-label={`Test connection of ${a.label}`} data-testid={`test-${a.id}`}>
            {test === 'running' ? 'Testing…' : 'Test'}
          </button>
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
        {test && test !== 'running' ? (
          <div className={`test-line ${test.ok ? 'pnl-pos' : 'pnl-neg'}`} role="status" data-testid={`test-result-${a.id}`}>
            {test.text}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function SameAccountWarning({ groups }: { groups: AccountView[][] }) {
  if (groups.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="duplicate-accounts">
      {groups.map((g) => (
        <p key={g.map((a) => a.id).join()}>
          <strong>Same broker account:</strong> {g.map((a) => `${a.label} (${a.id})`).join(' and ')} all trade {g[0]!.broker} account #{effectiveBrokerAccount(g[0]!)}. Copying between them loops, and
          their positions are counted twice. Edit one of them to point at its own broker account.
        </p>
      ))}
    </div>
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
      <SameAccountWarning groups={sameBrokerAccount(snap.accounts)} />
      {accounts.length === 0 ? (
        <FirstRun compact />
      ) : (
        <div className="card flush table-scroll">
          <table className="grid accounts-grid">
            <thead>
              <tr>
                <th>Account</th><th>Role</th><th>Broker account</th><th>Connection</th><th className="num">Equity</th><th className="num">Day P&amp;L</th><th>Open positions</th><th>State</th><th>Copying</th>
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
