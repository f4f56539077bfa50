// The top bar: global trading state, arming, demo badge, connection to the app, theme toggle and a compact kill switch.
import { useDash } from '../state/store.js';
import { useTheme } from '../state/theme.js';
import { StatePill } from './badges.js';
import { KillSwitchButton } from './kill-switch.js';

export function StatusBar() {
  const snap = useDash((s) => s.snapshot);
  const link = useDash((s) => s.link);
  const theme = useTheme((s) => s.theme);
  const toggle = useTheme((s) => s.toggle);
  const tripped = snap?.breakers.some((b) => b.tripped) ?? false;
  return (
    <header className="statusbar">
      <div className="statusbar-group">
        <span className="muted">Copying</span>
        {snap && snap.accounts.length === 0 ? <span className="tag">not configured</span> : null}
        {snap && snap.accounts.length > 0 ? <StatePill state={snap.trading.global} testId="global-state" /> : null}
        {snap && snap.accounts.length > 0 ? (
          <span className={`tag ${snap.armed ? 'tag-ok' : 'tag-warn'}`}>{snap.armed ? 'armed' : 'reconciling'}</span>
        ) : null}
        {tripped ? <span className="tag tag-bad">breaker tripped</span> : null}
        {snap?.demo ? <span className="tag tag-info">demo</span> : null}
      </div>
      <div className="statusbar-group">
        <span className={`link link-${link}`} role="status" data-testid="link-state">
          <span className="dot" aria-hidden="true" />
          {link === 'open' ? 'connected' : link === 'connecting' ? 'connecting…' : 'disconnected, retrying'}
        </span>
        <button type="button" className="ghost small" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} title="Switch theme (Alt+T)" data-testid="theme-toggle">
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        {snap && snap.accounts.length > 0 ? <KillSwitchButton compact /> : null}
      </div>
    </header>
  );
}
