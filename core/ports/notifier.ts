// Notifier: desktop notifications (Electron) or console lines (headless) for breaker trips, halts and the like.
import type { Alert } from '../domain/alert.js';

export interface Notifier {
  notify(alert: Alert): void;
}
