// The audit log: every user action (who, what, when, with its details), newest first, filtered by action, paged.
import { useEffect, useState } from 'react';
import type { AuditRow } from '../../core/contract/index.js';
import { TextField } from '../components/field.js';
import { dateTime } from '../format.js';
import { query } from '../state/session.js';
import { useDash } from '../state/store.js';

const PAGE = 100;

function details(d: AuditRow['details']): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

export function AuditScreen() {
  const tick = useDash((s) => s.snapshot);
  const [action, setAction] = useState('');
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const filter = action.trim();

  const load = async (cursor?: string) => {
    const r = await query('audit:list', { limit: PAGE, ...(filter ? { action: filter } : {}), ...(cursor ? { cursor } : {}) });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(null);
    setRows((prev) => (cursor ? [...prev, ...r.value.items] : r.value.items));
    setNext(r.value.nextCursor);
    setTotal(r.value.total);
  };
  useEffect(() => {
    const t = window.setTimeout(() => void load(), 150);
    return () => window.clearTimeout(t);
    // Reloads on a filter change and as the workspace changes (user actions change it).
  }, [filter, tick === null]);

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Audit log</h1>
        <div className="filters">
          <TextField label="Action" className="inline" value={action} onChange={setAction} placeholder="any" testId="audit-filter-action" />
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      <div className="card flush table-scroll">
        <table className="grid">
          <thead>
            <tr><th>Time</th><th>Actor</th><th>Action</th><th>Details</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                <td className="tnum">{dateTime(r.time)}</td>
                <td>{r.actor}</td>
                <td className="mono">{r.action}</td>
                <td className="wrap">{details(r.details)}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">No actions recorded{filter ? ` for "${filter}"` : ''}.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="muted">
        {rows.length.toLocaleString()} of {total.toLocaleString()} actions{' '}
        {next ? (
          <button type="button" className="small" onClick={() => void load(next)} data-testid="audit-more">
            Load more
          </button>
        ) : null}
      </p>
    </div>
  );
}
