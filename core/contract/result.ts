// The Result envelope every invoke returns, the stable error codes, and decimals on the wire (strings).
import { z } from 'zod';

export const ERROR_CODES = [
  'unknown_channel', // not a channel of the contract
  'invalid_request', // the payload failed validation
  'not_found', // names an account, link, copy or alert that does not exist
  'conflict', // not possible in the current state (e.g. removing a linked account)
  'rejected', // the app refused the command, with a reason
  'broker_error', // a broker call failed (definite)
  'unavailable', // a broker call's outcome is unknown or the broker is unreachable (retryable)
  'secret_store', // the keychain or passphrase file failed
  'unauthorized', // transport-level: missing or wrong token
  'internal', // a bug: details are in the log, never in the message
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const contractErrorSchema = z
  .object({ code: z.enum(ERROR_CODES), message: z.string().max(1000), retryable: z.boolean() })
  .strict();
export type ContractError = z.infer<typeof contractErrorSchema>;

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: contractErrorSchema }).strict(),
  ]);

export const fail = (code: ErrorCode, message: string, retryable = false): Result<never> => ({
  ok: false,
  error: { code, message, retryable },
});

/** A decimal on the wire: a canonical decimal string ("1.5", "-3"). */
export const wireDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
