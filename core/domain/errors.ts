// Error taxonomy: every broker failure is definite (it did not happen) or has an unknown outcome (it may have).
export type Outcome = 'definite' | 'unknown';

export const BROKER_ERROR_CODES = {
  rejected: 'definite', // the broker refused the order (risk, market closed, wash trade, ...)
  invalid: 'definite', // the request was malformed or named something that does not exist
  auth: 'definite', // credentials missing, wrong or expired beyond refresh
  forbidden: 'definite', // the account may not do this (cannot trade, cannot cancel)
  insufficient_funds: 'definite',
  not_found: 'definite',
  duplicate_client_id: 'definite', // the client id exists: the earlier submit landed
  unsupported: 'definite',
  not_sent: 'definite', // the adapter's send gate closed (halt) before the order reached the wire
  network: 'unknown', // connection refused/reset/dropped mid-request
  timeout: 'unknown',
  server: 'unknown', // 5xx
  rate_limited: 'unknown', // 429: the request may or may not have been processed
  protocol: 'unknown', // an answer we could not parse
} as const satisfies Record<string, Outcome>;
export type BrokerErrorCode = keyof typeof BROKER_ERROR_CODES;

export class BrokerError extends Error {
  readonly code: BrokerErrorCode;
  readonly outcome: Outcome;
  readonly retryable: boolean;
  readonly status?: number;
  /** For rate limits: when the caller may try again, ms from now. */
  readonly retryAfterMs?: number;
  readonly raw?: unknown;

  constructor(
    code: BrokerErrorCode,
    message: string,
    opts: { status?: number; retryAfterMs?: number; raw?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BrokerError';
    this.code = code;
    this.outcome = BROKER_ERROR_CODES[code];
    this.retryable = this.outcome === 'unknown';
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    if (opts.raw !== undefined) this.raw = opts.raw;
  }
}

/** Anything that is not a definite BrokerError is treated as an unknown outcome: never resent blindly. */
export const isUnknownOutcome = (err: unknown): boolean => !(err instanceof BrokerError) || err.outcome === 'unknown';

/** Errors raised by our own validation (config, contract, engine invariants). */
export class ValidationError extends Error {
  readonly code = 'invalid' as const;
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ValidationError';
    this.path = path;
  }
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
