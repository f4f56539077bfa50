// Row editors of the copy settings: the symbol map (leader symbol -> follower symbol x factor) and trading windows.
import type { FieldErrors } from '../components/field.js';
import { TextField } from '../components/field.js';
import type { MapRow, WindowRow } from './settings-model.js';

function replace<T>(rows: readonly T[], i: number, patch: Partial<T>): T[] {
  return rows.map((r, j) => (j === i ? { ...r, ...patch } : r));
}

export function SymbolMapEditor({ rows, errors, onChange }: { rows: MapRow[]; errors: FieldErrors; onChange: (rows: MapRow[]) => void }) {
  return (
    <div className="rows">
      {rows.length === 0 ? <p className="muted">No mappings: symbols are copied as they are.</p> : null}
      {rows.map((r, i) => (
        <div className="row-edit" key={i}>
          <TextField label="Leader symbol" value={r.from} onChange={(from) => onChange(replace(rows, i, { from }))} error={errors[`symbolMap.${i}`]} />
          <TextField label="Follower symbol" value={r.to} onChange={(to) => onChange(replace(rows, i, { to }))} />
          <TextField label="Qty factor" value={r.factor} onChange={(factor) => onChange(replace(rows, i, { factor }))} inputMode="decimal" hint="10 MES → 1 ES is 0.1" />
          <button type="button" className="small ghost-danger" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove mapping ${r.from || i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { from: '', to: '', factor: '1' }])}>
        Add mapping
      </button>
    </div>
  );
}

export function WindowsEditor({ rows, errors, onChange }: { rows: WindowRow[]; errors: FieldErrors; onChange: (rows: WindowRow[]) => void }) {
  const err = (i: number, k: string) => errors[`filters.tradingWindows.${i}.${k}`];
  return (
    <div className="rows">
      <h3>Trading windows</h3>
      {rows.length === 0 ? <p className="muted">No windows: copies at any time.</p> : null}
      {rows.map((w, i) => (
        <div className="row-edit" key={i}>
          <TextField label="Days (1=Mon … 7=Sun)" value={w.days} onChange={(days) => onChange(replace(rows, i, { days }))} error={err(i, 'days') ?? err(i, 'days.0')} hint="Empty = every day" />
          <TextField label="From (HH:MM)" value={w.start} onChange={(start) => onChange(replace(rows, i, { start }))} error={err(i, 'start')} />
          <TextField label="To (HH:MM)" value={w.end} onChange={(end) => onChange(replace(rows, i, { end }))} error={err(i, 'end')} />
          <TextField label="Time zone" value={w.timeZone} onChange={(timeZone) => onChange(replace(rows, i, { timeZone }))} error={err(i, 'timeZone')} />
          <button type="button" className="small ghost-danger" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove window ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { days: '1,2,3,4,5', start: '09:30', end: '16:00', timeZone: 'America/New_York' }])}>
        Add window
      </button>
    </div>
  );
}
