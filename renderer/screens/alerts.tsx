// Alerts: severity, time, account, message; acknowledge one or all; unread first; refreshes as alerts are raised.
import { useEffect, useRef, useState } from 'react';
import type { AlertView } from '../../core/contract/index.js';
import { FirstRun } from '../components/first-run.js';
import { Check } from '../components/field.js';
import { dateTime } from '../format.js';
import { call, query } from '../state/session.js';
import { useDash } from '../state/store.js';

const LIMIT = 200;

export function AlertsScreen() {
  const tick = useDash((s) => s.alertTick);
  const unreadCount = useDash((s) => s.snapshot?.counters.alertsUnread ?? 0);
  const empty = useDash((s) => s.snapshot?.accounts.length === 0);
  const [items, setItems] = useState<AlertView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const loadedRef = useRef(false);
  loadedRef.current = loaded;

  useEffect(() => {
    let live = true;
    const t = window.setTimeout(async () => {
      const r = await query('alerts:list', { limit: LIMIT, unacknowledgedOnly: unreadOnly });
      if (!live) return;
      setLoaded(true);
      if (r.ok) {
        setItems(r.value.items);
        setError(null);
      } else setError(r.error.message);
    }, loadedRef.current ? 100 : 0);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [tick, unreadOnly, reload, unreadCount]);

  const ack = async (ids: string[] | 'all') => {
    const r = await call('alerts:ack', { ids });
    if (r.ok) setReload((n) => n + 1);
  };

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Alerts</h1>
        <div className="filters">
          <Check label="Unread only" checked={unreadOnly} onChange={setUnreadOnly} />
          <button type="button" onClick={() => ack('all')} disabled={unreadCount === 0} data-testid="ack-all">
            Acknowledge all ({unreadCount})
          </button>
        </div>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {empty && items.length === 0 ? <FirstRun compact /> : null}
      <div className="card flush">
        <table className="grid alerts">
          <thead>
            <tr><th>Severity</th><th>Time</th><th>Account</th><th>Code</th><th>Message</th><th><span className="sr-only">Acknowledge</span></th></tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} className={a.acknowledged ? 'read' : 'unread'} data-testid="alert-row" data-code={a.code}>
                <td><span className={`sev sev-${a.severity}`}>{a.severity}</span></td>
                <td className="tnum">{dateTime(a.time)}</td>
                <td>{a.accountId ?? '—'}</td>
                <td className="mono">{a.code}</td>
                <td className="wrap">{a.message}</td>
                <td>
                  {a.acknowledged ? (
                    <span className="muted">seen</span>
                  ) : (
                    <button type="button" className="small" onClick={() => ack([a.id])} aria-label={`Acknowledge: ${a.message}`}>
                      Ack
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {loaded && items.length === 0 && !empty ? (
              <tr>
                <td colSpan={6} className="muted">No alerts{unreadOnly ? ' unread' : ''}.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
