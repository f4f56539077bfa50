// An account's risk state as a badge (warning, blocked, locked; nothing while ok), linking to its risk panel.
import type { AccountRiskView } from '../../core/contract/risk.js';
import { href } from '../state/route.js';
import { STATE_LABEL } from '../state/risk-notices.js';

export function RiskBadge({ view, link }: { view: AccountRiskView | undefined; link?: boolean }) {
  if (!view || view.state === 'ok') return null;
  const lock = view.locks[0];
  const title = lock ? `${STATE_LABEL[view.state]}: ${lock.reason}` : `${STATE_LABEL[view.state]}: near a risk limit`;
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
