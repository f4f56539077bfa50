// The dashboard shell: navigation with the unread-alerts badge, the status bar, the current screen and toasts.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useDash } from './state/store.js';
import { href, useRoute, type Page } from './state/route.js';
import { StatusBar } from './components/status-bar.js';
import { Toasts } from './components/toasts.js';
import { OverviewScreen } from './screens/overview.js';
import { AccountsScreen } from './screens/accounts.js';
import { SettingsScreen } from './screens/settings.js';
import { ActivityScreen } from './screens/activity.js';
import { AlertsScreen } from './screens/alerts.js';
import { AuditScreen } from './screens/audit.js';
import { RiskScreen } from './screens/risk.js';
import { SyncScreen } from './screens/sync.js';
import { useRisk } from './state/risk.js';
import { contractRestLoaded, loadContractRest } from './state/contract-schemas.js';
import { dropEarlyReplies } from './state/transport.js';

// The charts library is a fifth of the bundle: loaded when the Charts screen is first opened, not on every page load.
const ChartsScreen = lazy(async () => ({ default: (await import('./screens/charts.js')).ChartsScreen }));
// The Statistics screen draws its day P&L chart with the same library.
const StatsScreen = lazy(async () => ({ default: (await import('./screens/stats.js')).StatsScreen }));

const NAV: { page: Page; label: string }[] = [
  { page: 'overview', label: 'Overview' },
  { page: 'sync', label: 'Sync' },
  { page: 'accounts', label: 'Accounts' },
  { page: 'settings', label: 'Copy settings' },
  { page: 'risk', label: 'Risk' },
  { page: 'activity', label: 'Activity' },
  { page: 'alerts', label: 'Alerts' },
  { page: 'audit', label: 'Audit log' },
  { page: 'charts', label: 'Charts' },
  { page: 'stats', label: 'Statistics' },
];

function Nav({ current }: { current: Page }) {
  const unread = useDash((s) => s.snapshot?.counters.alertsUnread ?? 0);
  const held = useRisk((s) => Object.values(s.views).filter((v) => v.state === 'locked' || v.state === 'blocked').length);
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Mirrordesk
      </div>
      <ul>
        {NAV.map((n) => (
          <li key={n.page}>
            <a href={href(n.page)} aria-current={current === n.page ? 'page' : undefined} data-testid={`nav-${n.page}`}>
              <span>{n.label}</span>
              {n.page === 'alerts' && unread > 0 ? (
                <span className="badge badge-alert" data-testid="unread-badge" aria-label={`${unread} unread alerts`}>
                  {unread > 99 ? '99+' : unread}
                </span>
              ) : null}
              {n.page === 'risk' && held > 0 ? (
                <span className="badge badge-alert" data-testid="risk-nav-badge" aria-label={`${held} accounts blocked or locked`}>
                  {held}
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Screens whose forms check drafts against the contract's schemas: shown once those are loaded (state/contract-schemas.ts). */
const NEEDS_CONTRACT_REST: ReadonlySet<Page> = new Set(['accounts', 'settings']);

/** 'ready' when the page can render: it needs none of the later-loaded schemas, or they are here (loading them if not). */
function useContractRest(page: Page): 'ready' | 'loading' | 'failed' {
  const needed = NEEDS_CONTRACT_REST.has(page);
  const [state, setState] = useState<'ready' | 'loading' | 'failed'>(() => (contractRestLoaded() ? 'ready' : 'loading'));
  useEffect(() => {
    if (!needed || state !== 'loading') return;
    let live = true;
    loadContractRest().then(
      () => live && setState('ready'),
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [needed, state]);
  return needed ? state : 'ready';
}

function Screen({ page, arg }: { page: Page; arg: string | undefined }) {
  const ready = useContractRest(page);
  if (ready === 'loading') return <p className="muted pad">Loading…</p>;
  if (ready === 'failed') return <p className="pad">This screen could not load its forms (is the app still running?). Reload the page to try again.</p>;
  switch (page) {
    case 'overview':
      return <OverviewScreen />;
    case 'sync':
      return <SyncScreen />;
    case 'accounts':
      return <AccountsScreen />;
    case 'settings':
      return <SettingsScreen followerId={arg} />;
    case 'risk':
      return <RiskScreen focus={arg} />;
    case 'activity':
      return <ActivityScreen />;
    case 'alerts':
      return <AlertsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'charts':
      return (
        <Suspense fallback={<p className="muted pad">Loading charts…</p>}>
          <ChartsScreen />
        </Suspense>
      );
    case 'stats':
      return (
        <Suspense fallback={<p className="muted pad">Loading statistics…</p>}>
          <StatsScreen />
        </Suspense>
      );
  }
}

export function App() {
  const route = useRoute();
  const loaded = useDash((s) => s.snapshot !== null);
  const link = useDash((s) => s.link);
  // After the first screen's own effects took the page-load replies it wanted (children's effects run first).
  useEffect(() => {
    if (loaded) dropEarlyReplies();
  }, [loaded]);
  // The other channels' schemas, once the first screen is up and the page is idle (any call needing them loads them too).
  useEffect(() => {
    if (!loaded) return;
    // A failed load here is retried by the next screen or call that needs the schemas.
    const idle = requestIdleCallback(() => void loadContractRest().catch(() => undefined), { timeout: 1_000 });
    return () => cancelIdleCallback(idle);
  }, [loaded]);
  return (
    <div className="shell">
      <Nav current={route.page} />
      <div className="main">
        <StatusBar />
        <main className="content" id="content">
          {loaded ? (
            <Screen page={route.page} arg={route.arg} />
          ) : link === 'closed' ? (
            <p className="muted pad" role="alert">
              Cannot reach Mirrordesk. Open the dashboard address printed by <code>mirrordesk --bridge</code>: it carries this
              run's access token. Retrying…
            </p>
          ) : (
            <p className="muted pad">Connecting to Mirrordesk…</p>
          )}
        </main>
      </div>
      <Toasts />
    </div>
  );
}
