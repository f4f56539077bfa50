// Demo tool (demo workspace only): makes the demo bot fire a burst of leader trades, to watch the circuit breaker trip.
import { useState } from 'react';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { LeaveDemo } from './leave-demo.js';

export const BURST_TRADES = 80;

export function DemoBurst() {
  const [busy, setBusy] = useState(false);
  const burst = async () => {
    setBusy(true);
    const r = await call('workspace:demo-burst', { trades: BURST_TRADES });
    setBusy(false);
    if (r.ok) useDash.getState().toast('info', `Demo bot sent ${r.value.sent} leader trades back to back`);
  };
  return (
    <div className="demo-tool" role="group" aria-label="Demo tool" data-testid="demo-tools">
      <span className="tag tag-info">demo tool</span>
      <button type="button" className="small" onClick={burst} disabled={busy} data-testid="demo-burst">
        {busy ? 'Sending trades…' : `Burst ${BURST_TRADES} trades`}
      </button>
      <span className="muted">The demo bot trades the leader back to back, enough to trip the circuit breaker.</span>
      <LeaveDemo />
    </div>
  );
}
