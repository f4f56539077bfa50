// An account's risk state as a badge (warning, blocked, locked; ok only when asked), linking to its risk panel.
import type { AccountRiskView } from '../../core/contract/risk.js';
import { href } from '../state/route.js';
import { STATE_LABEL } from '../state/risk-notices.js';

export function RiskBadge({ view, link, showOk }: { view: AccountRiskView | undefined; link?: boolean; showOk?: boolean }) {
  if (!view || (view.state === 'ok' && !showOk)) return null;
  const lock = view.locks[0];
  const title = lock ? `${STATE_LABEL[view.state]}: ${lock.reason}` : view.state === 'ok' ? 'Every guard is clear' : `${STATE_LABEL[view.state]}: near a risk limit`;
  const badge = (
    <span className={`risk-badge risk-${view.state}`} data-testid={`risk-badge-${view.accountId}`} data-state={view.state} title={title}>
      {STATE_LABEL[view.state]}
    </span>
  );
  return link ? (
    <a href={href('risk', view.accountId)} className="risk-badge-link" aria-label={`Risk ${STATE_LABEL[view.state].toLowerCase()}: open the risk panel`}>
      {badge}
    </a>
  ) : (
    badge
  );
}
