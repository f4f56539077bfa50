// First-run empty state: guides a new user to the simulated demo workspace (or to adding a real account).
import { useState } from 'react';
import { call } from '../state/session.js';
import { navigate } from '../state/route.js';

export function FirstRun({ compact }: { compact?: boolean }) {
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    await call('workspace:start-demo');
    setBusy(false);
  };
  return (
    <section className={`empty${compact ? ' empty-compact' : ''}`} aria-labelledby="first-run-title">
      <h2 id="first-run-title">Nothing is configured yet</h2>
      <p>
        Try Mirrordesk with the <strong>simulated demo workspace</strong>: a leader account traded by a demo bot and three
        followers with different sizing. No broker login and no real orders.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={start} disabled={busy} data-testid="start-demo">
          {busy ? 'Starting demo…' : 'Start the demo workspace'}
        </button>
        <button type="button" onClick={() => navigate('accounts')}>
          Add an account instead
        </button>
      </div>
    </section>
  );
}
