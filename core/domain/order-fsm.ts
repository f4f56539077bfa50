// The follower order lifecycle as one exhaustive transition table (pure; no I/O).
export const ORDER_STATUSES = [
  'planned', // intent journaled, not yet known to the broker
  'dry_run', // journaled as it would be sent; never sent
  'unknown', // a submit whose outcome is not known (timeout, drop, 5xx, 429): being settled
  'accepted',
  'partially_filled',
  'cancel_requested',
  'filled',
  'cancelled',
  'rejected',
  'expired',
  'not_placed', // settled: the broker has no order with this client id
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = [
  'ack',
  'partial_fill',
  'fill',
  'reject',
  'cancel_request',
  'cancel',
  'expire',
  'outcome_unknown',
  'not_found',
  'dry_run',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** 'stay' = a stale or repeated event: accepted, state unchanged. Missing = impossible. */
type Next = OrderStatus | 'stay';
type Table = { readonly [S in OrderStatus]: { readonly [E in OrderEvent]?: Next } };

const live = {
  partial_fill: 'partially_filled',
  fill: 'filled',
  cancel: 'cancelled',
  expire: 'expired',
} as const;

export const ORDER_TRANSITIONS: Table = {
  planned: {
    ...live,
    ack: 'accepted',
    reject: 'rejected',
    outcome_unknown: 'unknown',
    not_found: 'not_placed',
    dry_run: 'dry_run',
  },
  unknown: { ...live, ack: 'accepted', reject: 'rejected', outcome_unknown: 'stay', not_found: 'not_placed' },
  accepted: { ...live, ack: 'stay', reject: 'rejected', cancel_request: 'cancel_requested', outcome_unknown: 'stay' },
  partially_filled: {
    ...live,
    partial_fill: 'stay',
    ack: 'stay',
    cancel_request: 'cancel_requested',
    outcome_unknown: 'stay',
  },
  cancel_requested: { ...live, ack: 'stay', cancel_request: 'stay', outcome_unknown: 'stay' },
  filled: { fill: 'stay', partial_fill: 'stay', ack: 'stay', cancel_request: 'stay' },
  cancelled: { cancel: 'stay', ack: 'stay', cancel_request: 'stay' },
  rejected: { reject: 'stay' },
  expired: { expire: 'stay', ack: 'stay' },
  not_placed: { not_found: 'stay' },
  dry_run: { dry_run: 'stay' },
};

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'cancelled',
  'rejected',
  'expired',
  'not_placed',
  'dry_run',
]);

export const isTerminal = (s: OrderStatus): boolean => TERMINAL_STATUSES.has(s);

/** Statuses whose remaining quantity may still fill (counted as in-flight by the planner). */
export const isInFlight = (s: OrderStatus): boolean => !isTerminal(s);

export type TransitionResult =
  | { readonly ok: true; readonly next: OrderStatus; readonly changed: boolean }
  | { readonly ok: false; readonly from: OrderStatus; readonly event: OrderEvent };

export function transition(from: OrderStatus, event: OrderEvent): TransitionResult {
  const next = ORDER_TRANSITIONS[from][event];
  if (next === undefined) return { ok: false, from, event };
  if (next === 'stay') return { ok: true, next: from, changed: false };
  return { ok: true, next, changed: next !== from };
}

/** The event that moves an order toward a broker-reported status. */
export function eventForStatus(status: OrderStatus): OrderEvent {
  switch (status) {
    case 'accepted':
      return 'ack';
    case 'partially_filled':
      return 'partial_fill';
    case 'filled':
      return 'fill';
    case 'cancelled':
      return 'cancel';
    case 'cancel_requested':
      return 'cancel_request';
    case 'rejected':
      return 'reject';
    case 'expired':
      return 'expire';
    case 'unknown':
    case 'planned':
      return 'outcome_unknown';
    case 'not_placed':
      return 'not_found';
    case 'dry_run':
      return 'dry_run';
  }
}
