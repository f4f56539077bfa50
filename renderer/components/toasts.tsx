// Notices in a live region: command errors and infos time out; critical ones (breaker trips, halts, critical alerts)
// stay until acknowledged, which also acknowledges their alerts; repeats show a count.
import { useEffect } from 'react';
import { call } from '../state/session.js';
import { useDash, type Toast } from '../state/store.js';

async function acknowledge(t: Toast, dismiss: (id: number) => void): Promise<void> {
  const ids = [...(t.alertIds ?? [])];
  for (let i = 0; i < ids.length; i += 1000) await call('alerts:ack', { ids: ids.slice(i, i + 1000) });
  dismiss(t.id);
}

function Item({ t }: { t: Toast }) {
  const dismiss = useDash((s) => s.dismiss);
  const critical = t.kind === 'critical';
  useEffect(() => {
    if (critical) return undefined;
    const timer = window.setTimeout(() => dismiss(t.id), 6_000);
    return () => window.clearTimeout(timer);
  }, [t, dismiss, critical]);
  return (
    <div className={`toast toast-${t.kind}`} role={t.kind === 'info' ? 'status' : 'alert'} data-testid={`toast-${t.kind}`}>
      <span>
        {t.text}
        {(t.alertIds?.length ?? 0) > 1 ? <span className="count" aria-label={`${t.alertIds?.length} alerts`}>×{t.alertIds?.length}</span> : null}
      </span>
      {critical ? (
        <button type="button" className="small" onClick={() => void acknowledge(t, dismiss)} data-testid="toast-ack">
          Acknowledge
        </button>
      ) : (
        <button type="button" className="ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
          ×
        </button>
      )}
    </div>
  );
}

export function Toasts() {
  const toasts = useDash((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <Item key={t.id} t={t} />
      ))}
    </div>
  );
}
