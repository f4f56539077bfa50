// ProjectX error mapping: HTTP statuses and each endpoint's own errorCode enum onto definite/unknown BrokerErrors.
import { BrokerError, type BrokerErrorCode } from '../../domain/errors.js';

/** The {success, errorCode, errorMessage} part every REST answer carries. */
export interface Envelope {
  readonly success: boolean;
  readonly errorCode: number;
  readonly errorMessage?: string | null;
}

type CodeTable = Readonly<Record<number, readonly [BrokerErrorCode, string]>>;

const SEARCH: CodeTable = { 1: ['not_found', 'account not found'] };

/** Per endpoint: the same integer means different things (2 = rejected on place, not found on cancel). */
export const ENDPOINT_CODES: Readonly<Record<string, CodeTable>> = {
  'Auth/loginKey': {
    1: ['auth', 'user not found'], 2: ['auth', 'password verification failed'], 3: ['auth', 'invalid credentials'],
    4: ['auth', 'app not found'], 5: ['auth', 'app verification failed'], 6: ['auth', 'invalid device'],
    7: ['auth', 'agreements not signed: log into the platform and accept them'], 8: ['server', 'unknown login error'],
    9: ['auth', 'no API subscription linked to this user'], 10: ['auth', 'API key login is disabled for this firm'],
  },
  'Auth/validate': {
    1: ['auth', 'invalid session'], 2: ['auth', 'session not found'], 3: ['auth', 'token expired'], 4: ['server', 'unknown error'],
  },
  'Account/search': {},
  'Contract/search': {},
  'Contract/searchById': { 1: ['not_found', 'contract not found'] },
  'Order/search': SEARCH,
  'Order/searchOpen': SEARCH,
  'Order/v2/query': SEARCH,
  'Order/searchById': { 1: ['not_found', 'order not found'] },
  'Position/searchOpen': SEARCH,
  'Trade/search': SEARCH,
  'Order/place': {
    1: ['not_found', 'account not found'], 2: ['rejected', 'order rejected'], 3: ['insufficient_funds', 'insufficient funds'],
    4: ['rejected', 'account violation'], 5: ['rejected', 'outside trading hours'], 6: ['server', 'order pending (outcome unknown)'],
    7: ['server', 'unknown error (outcome unknown)'], 8: ['not_found', 'contract not found'], 9: ['rejected', 'contract not active'],
    10: ['forbidden', 'account rejected'],
  },
  'Order/cancel': {
    1: ['not_found', 'account not found'], 2: ['not_found', 'order not found'], 3: ['rejected', 'cancel rejected'],
    4: ['server', 'cancel pending (outcome unknown)'], 5: ['server', 'unknown error (outcome unknown)'], 6: ['forbidden', 'account rejected'],
  },
  'Position/closeContract': {
    1: ['not_found', 'account not found'], 2: ['not_found', 'position not found'], 3: ['not_found', 'contract not found'],
    4: ['rejected', 'contract not active'], 5: ['rejected', 'close order rejected'], 6: ['server', 'close pending (outcome unknown)'],
    7: ['server', 'unknown error (outcome unknown)'], 8: ['forbidden', 'account rejected'],
  },
};

const DUPLICATE_TAG = /custom ?tag.*(already|in use|duplicate)/i;

/** Maps a success=false envelope of `endpoint` to a BrokerError; the broker's own message is kept verbatim. */
export function envelopeError(endpoint: string, env: Envelope, raw?: unknown): BrokerError {
  const table = ENDPOINT_CODES[endpoint] ?? {};
  const [code, label] = table[env.errorCode] ?? (['server', `unrecognised error code ${env.errorCode}`] as const);
  const text = env.errorMessage ? `${label}: ${env.errorMessage}` : label;
  const finalCode: BrokerErrorCode =
    endpoint === 'Order/place' && env.errorCode === 2 && env.errorMessage && DUPLICATE_TAG.test(env.errorMessage)
      ? 'duplicate_client_id'
      : code;
  return new BrokerError(finalCode, `ProjectX ${endpoint} failed (code ${env.errorCode}): ${text}`, { raw });
}

/** Maps an HTTP status outside 200 to a BrokerError; mutations keep an unknown outcome where the request may have run. */
export function httpError(endpoint: string, status: number, retryAfterMs?: number): BrokerError {
  const where = `ProjectX ${endpoint}`;
  if (status === 429) {
    return new BrokerError('rate_limited', `${where}: rate limited (HTTP 429)`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  if (status === 401) return new BrokerError('auth', `${where}: not authorised (HTTP 401) after refreshing the session`, { status });
  if (status === 400) return new BrokerError('invalid', `${where}: request rejected as malformed (HTTP 400)`, { status });
  if (status === 404) return new BrokerError('unsupported', `${where}: endpoint not found (HTTP 404)`, { status });
  if (status >= 500) return new BrokerError('server', `${where}: server error (HTTP ${status})`, { status });
  return new BrokerError('protocol', `${where}: unexpected HTTP ${status}`, { status });
}

/** Parses Retry-After (seconds or an HTTP date) into ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export const isBracketModeRejection = (err: BrokerError): boolean => /Position Brackets|Auto OCO/i.test(err.message);
export const isCannotCancel = (err: BrokerError): boolean => err.code === 'forbidden' && /follower|live account/i.test(err.message);
