// Account form pieces shared by the add wizard and the edit dialog: broker/environment/endpoints and credentials.
import type { FieldErrors } from './field.js';
import { SelectField, TextField } from './field.js';
import { CredentialStorageNote } from './credential-storage.js';
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
  editing,
}: {
  draft: AccountDraft;
  set: (patch: Partial<AccountDraft>) => void;
  errors: FieldErrors;
  editing?: boolean;
}) {
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
        onChange={(label) => set(editing ? { label } : { label, id: slug(label) })}
        error={errors.label}
        placeholder="e.g. Topstep 50K #2"
        testId="wiz-label"
      />
      {editing ? null : (
        <TextField label="Account id" value={draft.id} onChange={(id) => set({ id })} error={errors.id} hint="Letters, digits, _ and -" testId="wiz-id" />
      )}
      {draft.broker === 'alpaca' ? null : (
        <TextField
          label="Broker account id"
          value={draft.brokerAccountId}
          onChange={(brokerAccountId) => set({ brokerAccountId })}
          error={errors.brokerAccountId}
          hint={draft.broker === 'sim' ? 'Optional: defaults to the account id' : 'The account number under your login'}
        />
      )}
      <details className="span-2">
        <summary>Endpoint overrides (advanced)</summary>
        <div className="form-grid">
          <TextField label="REST base URL" value={draft.rest} onChange={(rest) => set({ rest })} error={errors['endpoints.rest']} />
          <TextField label="Stream URL" value={draft.stream} onChange={(stream) => set({ stream })} error={errors['endpoints.stream']} />
          {draft.broker === 'projectx' ? (
            <TextField label="User hub URL" value={draft.userHub} onChange={(userHub) => set({ userHub })} error={errors['endpoints.userHub']} />
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
