// Tray notifications for risk guards on the fake Electron API: the engine's risk alerts (a breach, a lock by a person)
// become native notifications with their own titles; a warning and an unlock do not; clicking opens the dashboard.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/domain/alert.js';
import { alertId } from '../../../core/domain/ids.js';
import { DesktopNotifier } from '../../../electron/main/notifications.js';
import { FakeElectron } from '../../support/fake-electron.js';

let seq = 0;
const alert = (code: Alert['code'], severity: Alert['severity'], message: string, accountId = 'demo-mirror'): Alert =>
  ({ id: alertId(`a-${++seq}`), time: 1, code, severity, message, acknowledged: false, accountId }) as Alert;

describe('issue 13 dashboard: tray notifications for breaches and locks', () => {
  it('issue 13 dashboard #tray: a guard breach is a tray notification titled as such; clicking opens the dashboard', () => {
    const e = new FakeElectron();
    const opened: number[] = [];
    const n = new DesktopNotifier(e, () => opened.push(1), () => 0);
    n.notify(alert('risk_breached', 'critical', 'day P&L -1,012.50 reached the daily loss limit 1,000: flattening and locking the account'));
    expect(e.notifications.map((x) => x.title)).toEqual(['Mirrordesk: Risk limit breached']);
    expect(e.notifications[0]!.body).toBe('day P&L -1,012.50 reached the daily loss limit 1,000: flattening and locking the account');
    e.notifications[0]!.click();
    expect(opened).toEqual([1]);
  });

  it('issue 13 dashboard #tray: a lock by a person is an "Account locked" notification; warnings and unlocks stay in the dashboard', () => {
    const e = new FakeElectron();
    const n = new DesktopNotifier(e, () => undefined, () => 0);
    n.notify(alert('risk_warning', 'warning', 'day P&L -850.00 is at 85% of the daily loss limit 1,000'));
    n.notify(alert('risk_locked', 'critical', 'demo-mirror locked by dashboard: done for today. Positions are being closed; no orders until a person unlocks it.'));
    n.notify(alert('risk_unlocked', 'info', 'demo-mirror unlocked by dashboard: new day'));
    expect(e.notifications.map((x) => x.title)).toEqual(['Mirrordesk: Account locked']);
    // Another account's breach in the same second is its own notification.
    n.notify(alert('risk_breached', 'critical', 'trailing drawdown reached: new exposure blocked (exits still copied)', 'demo-half'));
    n.notify(alert('risk_breached', 'critical', 'daily loss limit reached: flattening and locking the account', 'demo-mirror'));
    expect(e.notifications.map((x) => x.title)).toEqual(['Mirrordesk: Account locked', 'Mirrordesk: Risk limit breached', 'Mirrordesk: Risk limit breached']);
  });
});
