// Account form pieces shared by the add wizard and the edit dialog: broker/environment/endpoints and credentials.
import type { FieldErrors } from './field.js';
import { SelectField, TextField } from './field.js';
import { CredentialStorageNote } from './credential-storage.js';
import { checkAccountField, type AccountField } from './account-validate.js';
import { TopstepNote } from './topstep-note.js';

export type Broker = 'sim' | 'alpaca' | 'projectx';

export interface AccountDraft {
  id: string;
  label: string;
  broker: Broker;
  environment: 'paper' | 'live';
  brokerAccountId: string;
  rest: string;
  stream: string;
  userHub: string;
}

export const BROKERS: readonly (readonly [Broker, string])[] = [
  ['sim', 'Simulated (in-app venue)'],
  ['alpaca', 'Alpaca (US equities)'],
  ['projectx', 'ProjectX (TopstepX and other prop firms)'],
];

export const slug = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** The accounts:add payload for a draft (empty optional fields left out). */
export function draftToConfig(d: AccountDraft): Record<string, unknown> {
  const endpoints: Record<string, string> = {};
  if (d.rest.trim()) endpoints.rest = d.rest.trim();
  if (d.stream.trim()) endpoints.stream = d.stream.trim();
  if (d.userHub.trim()) endpoints.userHub = d.userHub.trim();
  return {
    id: d.id.trim(),
    label: d.label.trim(),
    broker: d.broker,
    environment: d.environment,
    ...(d.brokerAccountId.trim() ? { brokerAccountId: d.brokerAccountId.trim() } : {}),
    endpoints,
  };
}

export function AccountFields({
  draft,
  set,
  errors,
  setErrors,
  existingIds = [],
  editing,
}: {
  draft: AccountDraft;
  set: (patch: Partial<AccountDraft>) => void;
  errors: FieldErrors;
  /** Given: each field is checked in plain words when the user leaves it (and again while it shows an error). */
  setErrors?: (update: (e: FieldErrors) => FieldErrors) => void;
  existingIds?: readonly string[];
  editing?: boolean;
}) {
  const recheck = (field: AccountField, next: AccountDraft, always: boolean) =>
    setErrors?.((e) => {
      if (!always && e[field] === undefined) return e;
      const { [field]: _old, ...rest } = e;
      const msg = checkAccountField(next, field, existingIds);
      return msg ? { ...rest, [field]: msg } : rest;
    });
  const edit = (field: AccountField, patch: Partial<AccountDraft>) => {
    set(patch);
    recheck(field, { ...draft, ...patch }, false);
    if (patch.id !== undefined && field !== 'id') recheck('id', { ...draft, ...patch }, false);
  };
  const blur = (field: AccountField) => () => recheck(field, draft, true);
  return (
    <div className="form-grid">
      {editing ? null : (
        <SelectField label="Broker" value={draft.broker} options={BROKERS} onChange={(broker) => set({ broker })} testId="wiz-broker" />
      )}
      <SelectField
        label="Environment"
        value={draft.environment}
        options={[
          ['paper', 'Paper (simulated money)'],
          ['live', 'Live (real money)'],
        ]}
        onChange={(environment) => set({ environment })}
        error={errors.environment}
        testId="wiz-environment"
      />
      <TextField
        label="Name"
        value={draft.label}
        onChange={(label) => edit('label', editing ? { label } : { label, id: slug(label) })}
        onBlur={blur('label')}
        error={errors.label}
        placeholder="e.g. Topstep 50K #2"
        testId="wiz-label"
      />
      {editing ? null : (
        <TextField label="Account id" value={draft.id} onChange={(id) => edit('id', { id })} onBlur={blur('id')} error={errors.id} hint="Letters, digits, _ and -" testId="wiz-id" />
      )}
      {draft.broker === 'alpaca' ? null : (
        <TextField
          label="Broker account id"
          value={draft.brokerAccountId}
          onChange={(brokerAccountId) => edit('brokerAccountId', { brokerAccountId })}
          onBlur={blur('brokerAccountId')}
          error={errors.brokerAccountId}
          hint={draft.broker === 'sim' ? 'Optional: defaults to the account id' : 'The number of the account under your login, e.g. 123456'}
          testId="wiz-broker-account-id"
        />
      )}
      <details className="span-2" open={editing || Boolean(draft.rest || draft.stream || draft.userHub) || undefined}>
        <summary>Endpoint overrides (advanced)</summary>
        <div className="form-grid">
          <TextField label="REST base URL" value={draft.rest} onChange={(rest) => edit('endpoints.rest', { rest })} onBlur={blur('endpoints.rest')} error={errors['endpoints.rest']} placeholder="broker default" testId="wiz-rest" />
          <TextField label="Stream URL" value={draft.stream} onChange={(stream) => edit('endpoints.stream', { stream })} onBlur={blur('endpoints.stream')} error={errors['endpoints.stream']} placeholder="broker default" />
          {draft.broker === 'projectx' ? (
            <TextField label="User hub URL" value={draft.userHub} onChange={(userHub) => edit('endpoints.userHub', { userHub })} onBlur={blur('endpoints.userHub')} error={errors['endpoints.userHub']} placeholder="broker default" />
          ) : null}
        </div>
      </details>
      {draft.broker === 'projectx' ? (
        <div className="span-2">
          <TopstepNote />
        </div>
      ) : null}
    </div>
  );
}

export interface SecretDraft {
  a: string;
  b: string;
}

/** The credentials:set payload for a broker, or null for the simulated one. */
export type Credentials = { keyId: string; secretKey: string } | { userName: string; apiKey: string };

export function secretToCredentials(broker: Broker, s: SecretDraft): Credentials | null {
  if (broker === 'alpaca') return { keyId: s.a, secretKey: s.b };
  if (broker === 'projectx') return { userName: s.a, apiKey: s.b };
  return null;
}

export function CredentialFields({ broker, secret, set, error }: { broker: Broker; secret: SecretDraft; set: (s: SecretDraft) => void; error?: string }) {
  if (broker === 'sim') return <p className="muted">The simulated broker needs no credentials.</p>;
  const [la, lb] = broker === 'alpaca' ? ['API key id', 'API secret key'] : ['User name', 'API key'];
  return (
    <div className="form-grid">
      <TextField label={la} value={secret.a} onChange={(a) => set({ ...secret, a })} autoComplete="off" error={error} />
      <TextField label={lb} type="password" value={secret.b} onChange={(b) => set({ ...secret, b })} autoComplete="new-password" />
      <CredentialStorageNote />
    </div>
  );
}
