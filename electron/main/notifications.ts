// Native notifications for alerts a trader must see at once; clicking one opens the dashboard. Bursts are coalesced.
import type { Alert } from '../../core/domain/alert.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { ElectronApi } from './electron-api.js';

const TITLES: Partial<Record<Alert['code'], string>> = {
  breaker_tripped: 'Circuit breaker tripped',
  halted: 'Copying halted',
  order_rejected: 'Copy rejected',
  disconnected: 'Account disconnected',
  drift: 'Position drift',
  auth_failed: 'Broker login failed',
  flatten_failed: 'Flatten failed',
  risk_breached: 'Risk limit breached',
  risk_locked: 'Account locked',
};

export class DesktopNotifier implements Notifier {
  private readonly lastShown = new Map<string, number>();

  constructor(
    private readonly api: Pick<ElectronApi, 'notify'>,
    private readonly onClick: () => void,
    private readonly now: () => number,
    /** The same code on the same account is shown at most once per window. */
    private readonly quietMs = 10_000,
  ) {}

  notify(alert: Alert): void {
    const title = TITLES[alert.code] ?? (alert.severity === 'critical' ? 'Mirrordesk alert' : undefined);
    if (!title) return;
    const key = `${alert.code}|${alert.accountId ?? ''}`;
    const last = this.lastShown.get(key);
    const t = this.now();
    if (last !== undefined && t - last < this.quietMs) return;
    this.lastShown.set(key, t);
    this.api.notify({ title: `Mirrordesk: ${title}`, body: alert.message.slice(0, 240) }, this.onClick);
  }
}
