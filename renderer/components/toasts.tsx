// Transient notices (command errors, breaker trips) in a live region; critical ones stay longer (the Alerts page keeps them).
import { useEffect } from 'react';
import { useDash, type Toast } from '../state/store.js';

function Item({ t }: { t: Toast }) {
  const dismiss = useDash((s) => s.dismiss);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(t.id), t.kind === 'critical' ? 20_000 : 6_000);
    return () => window.clearTimeout(timer);
  }, [t, dismiss]);
  return (
    <div className={`toast toast-${t.kind}`} role={t.kind === 'info' ? 'status' : 'alert'}>
      <span>{t.text}</span>
      <button type="button" className="ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
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
