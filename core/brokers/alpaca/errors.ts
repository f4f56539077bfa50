// Alpaca error mapping: HTTP status + {code,message} body -> BrokerError (definite vs unknown outcome), secrets redacted.
import { BrokerError, type BrokerErrorCode } from '../../domain/errors.js';
import { redact, redactValue } from '../shared/redact.js';

export interface AlpacaErrorBody {
  readonly code?: number;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** Reads an error body leniently: JSON {code,message}, JSON without code, or plain text/HTML. */
export function readErrorBody(text: string): AlpacaErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>;
      const code = typeof o.code === 'number' ? o.code : typeof o.code === 'string' ? Number(o.code) : undefined;
      const message = typeof o.message === 'string' ? o.message : JSON.stringify(parsed);
      return { ...o, message, ...(code !== undefined && Number.isFinite(code) ? { code } : {}) };
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return { message: text.replace(/\s+/g, ' ').trim() || '(empty body)' };
}

const isDuplicateId = (msg: string): boolean => /client[_ ]order[_ ]id must be unique/i.test(msg);

/** The BrokerError code for an HTTP failure. 429 and 5xx are unknown outcomes; 4xx are definite. */
export function codeForStatus(status: number, body: AlpacaErrorBody): BrokerErrorCode {
  const msg = body.message.toLowerCase();
  if (status === 401) return 'auth';
  if (status === 403) {
    if (body.code === 40110000 || /not authorized|access key|forbidden$/.test(msg)) return 'auth';
    if (/buying power/.test(msg)) return 'insufficient_funds';
    if (/insufficient qty|not allowed to short|wash trade|pattern day|not changed/.test(msg)) return 'rejected';
    return 'forbidden';
  }
  if (status === 404) return 'not_found';
  if (status === 409) return isDuplicateId(msg) ? 'duplicate_client_id' : 'rejected';
  if (status === 422 || status === 400) {
    if (isDuplicateId(msg)) return 'duplicate_client_id';
    if (/not fractionable|must be integer|sub-penny|invalid|is required|missing/.test(msg)) return 'invalid';
    return 'rejected';
  }
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'protocol';
}

/** Longest broker message kept in an error (cut only after redaction). */
const MAX_MESSAGE = 300;

export function httpError(
  method: string,
  path: string,
  status: number,
  text: string,
  opts: { retryAfterMs?: number; secrets: readonly string[] },
): BrokerError {
  // Decode first (JSON.parse undoes \uXXXX escapes), then redact every string, then cut.
  const parsed = redactValue(readErrorBody(text), opts.secrets);
  const body: AlpacaErrorBody = { ...parsed, message: redact(parsed.message, opts.secrets).slice(0, MAX_MESSAGE) };
  const code = codeForStatus(status, body);
  const alpacaCode = body.code !== undefined ? ` ${body.code}` : '';
  const wash = status === 403 && /wash trade/i.test(body.message);
  const existing = typeof body.existing_order_id === 'string' ? body.existing_order_id : undefined;
  return new BrokerError(code, `Alpaca ${method} ${path}: HTTP ${status}${alpacaCode} ${body.message}`, {
    status,
    // A wash-trade refusal names its reason (and the opposing order when Alpaca says which) so the engine can decide.
    raw: wash ? { ...body, reason: 'wash_trade', ...(existing !== undefined ? { existingOrderId: existing } : {}) } : body,
    ...(opts.retryAfterMs !== undefined ? { retryAfterMs: opts.retryAfterMs } : {}),
  });
}

/** A request that never produced an HTTP status: timeout or network failure (both unknown outcomes). */
export function transportError(method: string, path: string, err: unknown, timedOut: boolean, secrets: readonly string[]): BrokerError {
  const reason = redact(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err), secrets);
  return timedOut
    ? new BrokerError('timeout', `Alpaca ${method} ${path}: no answer within the request timeout`, { cause: err })
    : new BrokerError('network', `Alpaca ${method} ${path}: ${reason}`, { cause: err });
}

export const protocolError = (what: string, raw?: unknown): BrokerError =>
  new BrokerError('protocol', `Alpaca sent an unreadable ${what}`, raw === undefined ? {} : { raw });
