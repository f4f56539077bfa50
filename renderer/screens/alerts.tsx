// Alerts: repeats grouped into one row (count, first and last time), filters by severity, account and code, acknowledge
// a group or all, the optional sound for critical alerts; refreshes as alerts are raised.
import { useEffect, useMemo, useRef, useState } from 'react';
import { alertViewSchema, type AlertView } from '../../core/contract/snapshot.js';
import { FirstRun } from '../components/first-run.js';
import { Check, SelectField } from '../components/field.js';
import { dateTime } from '../format.js';
import { useAlertSound } from '../state/alert-sound.js';
import { href } from '../state/route.js';
import { call, query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { filterAlerts, groupAlerts, type Severity } from './alert-groups.js';

/** The newest alerts read (pages of 500): enough to group a busy day's repeats. */
const MAX_ALERTS = 2_000;
const PAGE = 500;
const CODES = alertViewSchema.shape.code.options;
const SEVERITIES: readonly (readonly [Severity | '', string])[] = [
  ['', 'Any severity'],
  ['warning', 'Warning and worse'],
  ['error', 'Error and critical'],
  ['critical', 'Critical only'],
];

async function loadAlerts(): Promise<{ items: AlertView[]; total: number } | string> {
  const items: AlertView[] = [];
  let cursor: string | undefined;
  let total = 0;
  while (items.length < MAX_ALERTS) {
    const r = await query('alerts:list', { limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (!r.ok) return r.error.message;
    items.push(...r.value.items);
    total = r.value.total;
    cursor = r.value.nextCursor;
    if (!cursor || r.value.items.length === 0) break;
  }
  return { items, total };
}

async function ack(ids: readonly string[] | 'all'): Promise<boolean> {
  if (ids === 'all') return (await call('alerts:ack', { ids })).ok;
  for (let i = 0; i < ids.length; i += 1000) if (!(await call('alerts:ack', { ids: ids.slice(i, i + 1000) })).ok) return false;
  return true;
}

function SoundSetting() {
  const on = useAlertSound((s) => s.on);
  const set = useAlertSound((s) => s.set);
  return <Check label="Sound for critical alerts" checked={on} onChange={set} testId="critical-sound" />;
}

export function AlertsScreen() {
  const tick = useDash((s) => s.alertTick);
  const unreadCount = useDash((s) => s.snapshot?.counters.alertsUnread ?? 0);
  const accounts = useDash((s) => s.snapshot?.accounts ?? []);
  const empty = accounts.length === 0;
  const [all, setAll] = useState<{ items: AlertView[]; total: number }>({ items: [], total: 0 });
  const [loaded, setLoaded] = useState(false);
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [accountId, setAccountId] = useState('');
  const [code, setCode] = useState('');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const loadedRef = useRef(false);
  loadedRef.current = loaded;

  useEffect(() => {
    let live = true;
    const t = window.setTimeout(async () => {
      const r = await loadAlerts();
      if (!live) return;
      setLoaded(true);
      if (typeof r === 'string') setError(r);
      else {
        setAll(r);
        setError(null);
      }
    }, loadedRef.current ? 250 : 0);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [tick, reload, unreadCount]);

  const groups = useMemo(() => groupAlerts(filterAlerts(all.items, { severity, accountId, code, unreadOnly })), [all, severity, accountId, code, unreadOnly]);
  const label = (id: string | undefined) => (id ? (accounts.find((a) => a.id === id)?.label ?? id) : '—');
  const done = async (ids: readonly string[] | 'all') => {
    if (await ack(ids)) setReload((n) => n + 1);
  };
  const shown = groups.reduce((n, g) => n + g.count, 0);

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Alerts</h1>
        <div className="filters">
          <SoundSetting />
          <a className="button small" href={href('audit')} data-testid="to-audit">
            Audit log
          </a>
          <button type="button" onClick={() => done('all')} disabled={unreadCount === 0} data-testid="ack-all">
            Acknowledge all ({unreadCount})
          </button>
        </div>
      </div>
      <div className="filters filter-bar">
        <SelectField label="Severity" className="inline" value={severity} options={SEVERITIES} onChange={setSeverity} testId="alert-filter-severity" />
        <SelectField label="Account" className="inline" value={accountId} options={[['', 'All accounts'], ...accounts.map((a) => [a.id, a.label] as const)]} onChange={setAccountId} testId="alert-filter-account" />
        <SelectField label="Code" className="inline" value={code} options={[['', 'All codes'], ...CODES.map((c) => [c, c.replace(/_/g, ' ')] as const)]} onChange={setCode} testId="alert-filter-code" />
        <Check label="Unread only" checked={unreadOnly} onChange={setUnreadOnly} />
        <span className="muted" data-testid="alert-summary">
          {shown.toLocaleString()} alert{shown === 1 ? '' : 's'} in {groups.length} row{groups.length === 1 ? '' : 's'}
          {all.total > all.items.length ? ` (newest ${all.items.length.toLocaleString()} of ${all.total.toLocaleString()})` : ''}
        </span>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {empty && all.items.length === 0 ? <FirstRun compact /> : null}
      <div className="card flush table-scroll">
        <table className="grid alerts">
          <thead>
            <tr><th>Severity</th><th>Last</th><th className="num">Count</th><th>Account</th><th>Code</th><th>Message</th><th>First</th><th><span className="sr-only">Acknowledge</span></th></tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key} className={g.unread.length === 0 ? 'read' : 'unread'} data-testid="alert-row" data-code={g.code} data-count={g.count} data-severity={g.severity} data-account={g.accountId ?? ''}>
                <td><span className={`sev sev-${g.severity}`}>{g.severity}</span></td>
                <td className="tnum">{dateTime(g.lastTime)}</td>
                <td className="num">{g.count > 1 ? <span className="count" data-testid="alert-count">×{g.count}</span> : '1'}</td>
                <td className="name-cell"><span className="ellipsis" title={g.accountId}>{label(g.accountId)}</span></td>
                <td className="mono">{g.code}</td>
                <td className="wrap">{g.message}</td>
                <td className="tnum muted">{g.count > 1 ? dateTime(g.firstTime) : ''}</td>
                <td>
                  {g.unread.length === 0 ? (
                    <span className="muted">seen</span>
                  ) : (
                    <button type="button" className="small" onClick={() => done(g.unread)} aria-label={`Acknowledge ${g.unread.length}: ${g.message}`}>
                      Ack{g.unread.length > 1 ? ` ${g.unread.length}` : ''}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {loaded && groups.length === 0 && !empty ? (
              <tr>
                <td colSpan={8} className="muted">No alerts{unreadOnly || severity || accountId || code ? ' for this filter' : ''}.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
