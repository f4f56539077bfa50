// One account's risk panel: day P&L (realized, open, fees), the trading day and its reset, the auto-flatten countdown,
// locks with reason and until, each guard's value, limit and room left (a bar), and the lock/unlock/edit buttons.
import { useState, type ReactNode } from 'react';
import type { AccountView } from '../../core/contract/index.js';
import type { AccountRiskView } from '../../core/contract/risk.js';
import { clock, dateTime, money } from '../format.js';
import { ACTION_LABEL, comparableLimit, countdown, GUARD_LABEL, guardAmount, usedFraction, warnMark, type GuardReading } from '../state/risk-notices.js';
import { Pnl } from './badges.js';
import { RiskBadge } from './risk-badge.js';
import { RiskLockDialog } from './risk-lock-dialog.js';

const hhmm = (ms: number) => clock(ms).slice(0, 5);

function GuardRow({ g, currency, trailingAmount, warnAt }: { g: GuardReading; currency: string; trailingAmount: string | undefined; warnAt: number | undefined }) {
  const used = usedFraction(g, trailingAmount);
  const mark = warnMark(g.kind, warnAt);
  const pct = used === undefined ? undefined : Math.round(used * 100);
  const cur = g.unit === 'money' ? currency : '';
  return (
    <tr data-testid={`guard-${g.kind}`} data-level={g.level} data-value={g.value}>
      <td>{GUARD_LABEL[g.kind]}</td>
      <td className="num">{guardAmount(g.value, g.unit, cur)}</td>
      <td className="num">{guardAmount(comparableLimit(g), g.unit, cur)}</td>
      <td>
        <div className="risk-room-cell">
        {pct === undefined ? null : (
          <span className={`risk-bar risk-bar-${g.level}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={`${GUARD_LABEL[g.kind]}: ${pct}% of the room used`}>
            <span style={{ width: `${pct}%` }} />
            {mark === undefined ? null : <i className="risk-mark" style={{ left: `${Math.round(mark * 100)}%` }} title={`Warning from ${Math.round(mark * 100)}%`} />}
          </span>
        )}
        <span className="num">{guardAmount(g.distance, g.unit, '')}</span>
        </div>
      </td>
      <td>
        <span className={`risk-level risk-level-${g.level}`}>{g.level}</span>
      </td>
      <td className="muted">{ACTION_LABEL[g.action]}</td>
    </tr>
  );
}

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="risk-figure num" data-testid={testId}>
        {children}
      </div>
    </div>
  );
}

function Day({ view, now }: { view: AccountRiskView; now: number }) {
  return (
    <div className="risk-day" data-testid="risk-day">
      <span>
        Trading day <strong>{view.tradingDay}</strong>
      </span>
      <span title={dateTime(view.dayEnd)}>
        resets at {hhmm(view.dayEnd)} <span className="muted">(in {countdown(view.dayEnd, now)})</span>
      </span>
      {view.autoFlattenAt !== undefined ? (
        <span className={`risk-flatten${view.autoFlattenAt - now < 10 * 60_000 ? ' soon' : ''}`} title={dateTime(view.autoFlattenAt)} data-testid="risk-auto-flatten">
          Auto-flatten at {hhmm(view.autoFlattenAt)} <span className="muted">(in {countdown(view.autoFlattenAt, now)})</span>
        </span>
      ) : null}
    </div>
  );
}

function Locks({ view, now }: { view: AccountRiskView; now: number }) {
  return (
    <ul className="risk-locks" data-testid="risk-locks">
      {view.locks.map((l, i) => (
        <li key={i} className={`risk-lock risk-lock-${l.mode}`}>
          <strong>{l.mode === 'lock' ? 'Locked' : 'Blocked (no new exposure)'}</strong> by {GUARD_LABEL[l.kind].toLowerCase()} at {hhmm(l.at)}: {l.reason}.{' '}
          <span className="muted">
            {l.until !== undefined ? `Lifts at ${dateTime(l.until).slice(0, 16)} (in ${countdown(l.until, now)})` : 'Until a person unlocks it'}
          </span>
        </li>
      ))}
    </ul>
  );
}

export interface RiskPanelProps {
  account: AccountView;
  view: AccountRiskView | undefined;
  now: number;
  onEdit: () => void;
  focused?: boolean;
}

export function RiskPanel({ account, view, now, onEdit, focused }: RiskPanelProps) {
  const [dialog, setDialog] = useState<'lock' | 'unlock' | null>(null);
  const currency = view?.currency ?? account.currency ?? '';
  const lockable = account.role !== 'unlinked';
  return (
    <section className={`card risk-card${focused ? ' focused' : ''}`} id={`risk-${account.id}`} data-testid={`risk-panel-${account.id}`} data-state={view?.state ?? 'none'} aria-labelledby={`risk-title-${account.id}`}>
      <div className="risk-head">
        <h2 id={`risk-title-${account.id}`} className="risk-title">
          {account.label} <span className="muted">{account.role}</span>
        </h2>
        <RiskBadge view={view} showOk />
        <div className="row risk-actions">
          <button type="button" className="small" onClick={onEdit} data-testid={`edit-guards-${account.id}`}>
            {view ? 'Edit guards' : 'Add guards'}
          </button>
          {view && view.locks.length > 0 ? (
            <button type="button" className="small primary" onClick={() => setDialog('unlock')} data-testid={`unlock-${account.id}`} aria-haspopup="dialog">
              Unlock…
            </button>
          ) : lockable ? (
            <button type="button" className="small danger" onClick={() => setDialog('lock')} data-testid={`lock-${account.id}`} aria-haspopup="dialog">
              Lock…
            </button>
          ) : null}
        </div>
      </div>
      {view ? (
        <>
          <div className="stats risk-stats">
            <Figure label="Day P&L (net)" testId={`risk-daypnl-${account.id}`}>
              <Pnl value={view.dayPnl} /> <span className="muted small-text">{currency}</span>
            </Figure>
            <Figure label="Realized">
              <Pnl value={view.realized} />
            </Figure>
            <Figure label={view.marked ? 'Unrealized' : 'Unrealized (partial)'}>
              <Pnl value={view.unrealized} />
            </Figure>
            <Figure label="Fees">{money(view.fees)}</Figure>
          </div>
          <Day view={view} now={now} />
          {view.locks.length > 0 ? <Locks view={view} now={now} /> : null}
          {view.guards.length > 0 ? (
            <table className="grid risk-guards">
              <thead>
                <tr><th>Guard</th><th className="num">Now</th><th className="num">Limit</th><th>Room left</th><th>Level</th><th>When reached</th></tr>
              </thead>
              <tbody>
                {view.guards.map((g) => (
                  <GuardRow key={g.kind} g={g} currency={currency} trailingAmount={account.guards?.trailingDrawdown?.amount} warnAt={account.guards?.warnAt} />
                ))}
              </tbody>
            </table>
          ) : (
            <p className="hint">No limit guards are on for this account.</p>
          )}
        </>
      ) : (
        <p className="hint">No risk guards on this account: nothing stops it at a loss limit. Add a daily loss limit, a drawdown or an auto-flatten time.</p>
      )}
      {dialog ? <RiskLockDialog mode={dialog} accountId={account.id} label={account.label} locks={view?.locks ?? []} onClose={() => setDialog(null)} /> : null}
    </section>
  );
}
