// The app's gate for broker-side alerts (every adapter, every broker): floods of one kind become one stored alert
// per minute with a count, like the engine's own throttled alerts (the journal redacts every alert it writes).
import type { AlertInput } from '../domain/alert.js';
import type { Clock } from '../ports/clock.js';
import { AlertThrottle } from '../brokers/shared/alert-throttle.js';

/** Wraps `raise` so that only admitted alerts reach it (the journal, the log, the renderer). */
export function throttledAlerts(clock: Clock, raise: (a: AlertInput) => void): (a: AlertInput) => void {
  const throttle = new AlertThrottle(() => clock.now());
  return (a) => {
    const admitted = throttle.admit(a);
    if (admitted) raise(admitted);
  };
}
