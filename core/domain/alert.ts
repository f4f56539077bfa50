// Alerts: what the engine and adapters raise for a person to see.
import type { AccountId, AlertId, LinkId } from './ids.js';

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

export const ALERT_CODES = [
  'rounds_to_zero',
  'unmapped_symbol',
  'filtered',
  'market_closed',
  'cap_limited',
  'order_rejected',
  'unknown_outcome',
  'outcome_settled',
  'impossible_transition',
  'breaker_tripped',
  'halted',
  'resumed',
  'drift',
  'repair_sent',
  'disconnected',
  'reconnected',
  'auth_failed',
  'rate_limited',
  'malformed_message',
  'broker_notice',
  'flatten_failed',
  'instrument_unavailable',
  'engine_error',
  'credentials_not_saved',
  'risk_warning',
  'risk_breached',
  'risk_locked',
  'risk_unlocked',
  'copy_refused',
  'copy_unfilled',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface AlertInput {
  readonly severity: AlertSeverity;
  readonly code: AlertCode;
  readonly message: string;
  readonly accountId?: AccountId;
  readonly linkId?: LinkId;
  readonly details?: Record<string, unknown>;
}

export interface Alert extends AlertInput {
  readonly id: AlertId;
  readonly time: number;
  readonly acknowledged: boolean;
}
