// Plain-word checks of the account form, field by field as it is filled in, and the cause of a failed connection test.
import type { AccountDraft } from './account-fields.js';
import type { FieldErrors } from './field.js';

export type AccountField = 'label' | 'id' | 'brokerAccountId' | 'endpoints.rest' | 'endpoints.stream' | 'endpoints.userHub';
export const ACCOUNT_FIELDS: readonly AccountField[] = ['label', 'id', 'brokerAccountId', 'endpoints.rest', 'endpoints.stream', 'endpoints.userHub'];

const URL_FIELD: Partial<Record<AccountField, keyof AccountDraft>> = { 'endpoints.rest': 'rest', 'endpoints.stream': 'stream', 'endpoints.userHub': 'userHub' };

function checkUrl(text: string): string | undefined {
  if (!text) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'Enter a full address, like https://api.example.com';
  }
  return /^(https?|wss?):$/.test(u.protocol) ? undefined : 'The address must start with https://, http://, wss:// or ws://';
}

/** The plain-language problem with one field of the draft, or undefined when it is fine. */
export function checkAccountField(d: AccountDraft, field: AccountField, existingIds: readonly string[] = []): string | undefined {
  switch (field) {
    case 'label': {
      const v = d.label.trim();
      if (!v) return 'Name is required';
      return v.length > 80 ? 'Name is too long (80 characters at most)' : undefined;
    }
    case 'id': {
      const v = d.id.trim();
      if (!v) return 'Account id is required';
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(v)) return 'Use only letters, digits, _ and - in the account id, starting with a letter or digit';
      if (v.length > 64) return 'Account id is too long (64 characters at most)';
      return existingIds.includes(v) ? `An account "${v}" already exists` : undefined;
    }
    case 'brokerAccountId': {
      const v = d.brokerAccountId.trim();
      if (d.broker === 'projectx') {
        if (!v) return 'The ProjectX account id is required (the number of the account under your login)';
        return /^\d{1,18}$/.test(v) ? undefined : 'A ProjectX account id is a number, like 123456';
      }
      return v.length > 64 ? 'Broker account id is too long (64 characters at most)' : undefined;
    }
    default: {
      const key = URL_FIELD[field];
      return key ? checkUrl(String(d[key]).trim()) : undefined;
    }
  }
}

/** Every field's problem (only fields that apply to the broker). */
export function checkAccountDraft(d: AccountDraft, existingIds: readonly string[] = [], editing = false): FieldErrors {
  const out: FieldErrors = {};
  for (const f of ACCOUNT_FIELDS) {
    if (editing && f === 'id') continue;
    if (d.broker === 'alpaca' && f === 'brokerAccountId') continue;
    if (d.broker !== 'projectx' && f === 'endpoints.userHub') continue;
    const e = checkAccountField(d, f, existingIds);
    if (e) out[f] = e;
  }
  return out;
}

/** What a failed connection test means, in plain words, from the adapter's message (kept after the explanation). */
export function explainTestFailure(message: string): string {
  const m = message.toLowerCase();
  const cause =
    /econnrefused|connection refused|: connection failed/.test(m) ? 'Nothing answers at that address: the port is closed or the service is down. Check the host and port of the REST URL.'
    : /enotfound|eai_again|getaddrinfo/.test(m) ? 'That host name does not exist. Check the spelling of the REST URL.'
    : /http 404|not found \(http|endpoint not found/.test(m) ? 'The server answered, but not at that path (HTTP 404): the REST URL has a wrong path.'
    : /http 401|http 403|not authori[sz]ed|unauthori[sz]ed|forbidden|invalid.*(key|credential)|auth\/login\w* failed|login (failed|refused)/.test(m) ? 'The broker refused the credentials: the key or user name is wrong, or expired.'
    : /no credentials/.test(m) ? 'No credentials are stored for this account yet.'
    : /timeout|timed out|no answer/.test(m) ? 'The server did not answer in time: check the address and your network.'
    : /certificate|ssl|tls/.test(m) ? 'The secure connection failed (certificate problem).'
    : /brokeraccountid|has no account/.test(m) ? 'The login works, but the broker account id does not match an account under it.'
    : undefined;
  return cause ? `${cause} (${message})` : message;
}
