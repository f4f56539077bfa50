// Maps anything a command throws to a clean contract error: stable code, one short line, no stack, no secrets.
import { ZodError } from 'zod';
import { BrokerError, ValidationError } from '../domain/errors.js';
import type { ContractError, ErrorCode } from '../contract/result.js';

const MAX_MESSAGE = 300;

/** Issue list as "path: message; ..." without echoing the offending values. */
export function describeIssues(err: ZodError): string {
  const parts = err.issues.slice(0, 5).map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${path || '(payload)'}: ${i.message}`;
  });
  if (err.issues.length > 5) parts.push(`and ${err.issues.length - 5} more`);
  return parts.join('; ');
}

/** One line, bounded, with every known secret string replaced. */
export function cleanMessage(text: string, secrets: readonly string[]): string {
  let out = text.split('\n')[0] ?? '';
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 1)}…` : out;
}

function validationCode(err: ValidationError): ErrorCode {
  if (/^(no |unknown )/.test(err.message.slice(err.path.length ? err.path.length + 2 : 0))) return 'not_found';
  if (err.path === 'engine' || err.path === 'workspace' || /already|used by/.test(err.message)) return 'conflict';
  return 'invalid_request';
}

/** A ConfigError's issues on one line ("invalid workspace: links[2].follower: ..."); its message spans lines. */
function configMessage(err: Error): string {
  const issues = (err as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return err.message;
  return `invalid workspace: ${issues.slice(0, 5).map(String).join('; ')}`;
}

/** The contract error for a thrown value, and whether it is a bug that belongs in the log. */
export function toContractError(err: unknown, secrets: readonly string[]): { error: ContractError; bug: boolean } {
  const e = (code: ErrorCode, message: string, retryable = false) => ({
    error: { code, message: cleanMessage(message, secrets), retryable },
    bug: false,
  });
  if (err instanceof ZodError) return e('invalid_request', describeIssues(err));
  if (err instanceof ValidationError) return e(validationCode(err), err.message);
  if (err instanceof BrokerError) {
    return err.outcome === 'definite' ? e('broker_error', `${err.code}: ${err.message}`) : e('unavailable', `${err.code}: ${err.message}`, true);
  }
  if (err instanceof Error) {
    if (err.name === 'ConfigError') return e('invalid_request', configMessage(err));
    if (err.name === 'CredentialsError') return e('invalid_request', err.message);
    if (err.name === 'SecretStoreError') return e('secret_store', err.message);
    if (err.name === 'StoreError' && (err as { code?: unknown }).code === 'bad_request') return e('invalid_request', err.message);
  }
  return { error: { code: 'internal', message: 'internal error (details are in the log)', retryable: false }, bug: true };
}
