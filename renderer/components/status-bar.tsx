// The top bar: global trading state, the worst truth of the workspace (also the window title), demo badge,
// connection to the app, theme toggle and a compact kill switch.
import { useEffect, useMemo, useRef, useState } from 'react';
import { riskReasons } from '../state/risk-notices.js';
import { useRisk } from '../state/risk.js';
import { useDash } from '../state/store.js';
import { useTheme } from '../state/theme.js';
import { windowTitle, worstStatus } from '../state/worst-status.js';
import { StatePill } from './badges.js';
import { KillSwitchButton } from './kill-switch.js';

function Truth() {
  const snap = useDash((s) => s.snapshot);
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLSpanElement>(null);
  const risk = useRisk((s) => s.views);
  const truth = useMemo(() => {
    if (!snap) return null;
    const label = (id: string) => snap.accounts.find((a) => a.id === id)?.label ?? id;
    return worstStatus(snap, riskReasons(Object.values(risk), label));
  }, [snap, risk]);
  // The reasons close on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent) => wrap.current?.contains(e.target as Node) || setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const title = truth ? windowTitle(truth) : 'Mirrordesk';
  useEffect(() => {
    document.title = title;
  }, [title]);
  if (!truth || !snap || snap.accounts.length === 0) return null;
  const many = truth.reasons.length > 0;
  return (
    <span className="truth-wrap" ref={wrap}>
      <button
        type="button"
        className={`truth truth-${truth.level}`}
        data-testid="status-truth"
        data-level={truth.level}
        aria-expanded={many ? open : undefined}
        aria-label={`Status: ${truth.headline}`}
        title={truth.reasons.map((r) => r.text).join('\n') || 'Every leader connected, every follower copying'}
        onClick={() => setOpen(many && !open)}
      >
        {truth.headline}
      </button>
      {open && many ? (
        <ul className="truth-reasons" data-testid="status-reasons" role="list">
          {truth.reasons.map((r, i) => (
            <li key={i} className={`truth-${r.level}`}>
              {r.text}
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}

export function StatusBar() {
  const snap = useDash((s) => s.snapshot);
  const link = useDash((s) => s.link);
  const theme = useTheme((s) => s.theme);
  const toggle = useTheme((s) => s.toggle);
  return (
    <header className="statusbar">
      <div className="statusbar-group">
        <span className="muted">Global</span>
        {snap && snap.accounts.length === 0 ? <span className="tag">not configured</span> : null}
        {snap && snap.accounts.length > 0 ? <StatePill state={snap.trading.global} testId="global-state" /> : null}
        <Truth />
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
