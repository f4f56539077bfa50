// Edit an account (name, environment, broker account id, endpoints, credentials) and remove it (with its link).
import { useState } from 'react';
import type { AccountView, LinkView } from '../../core/contract/index.js';
import { contractRest } from '../state/contract-schemas.js';
import { call } from '../state/session.js';
import { AccountFields, CredentialFields, draftToConfig, secretToCredentials, type AccountDraft, type SecretDraft } from './account-fields.js';
import { checkAccountDraft } from './account-validate.js';
import { Check, issuesToErrors, type FieldErrors } from './field.js';
import { Modal } from './modal.js';

export function EditAccountDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const ep = account.endpoints ?? {};
  const [initial] = useState<AccountDraft>(() => ({
    id: account.id,
    label: account.label,
    broker: account.broker,
    environment: account.environment,
    brokerAccountId: account.brokerAccountId ?? '',
    rest: ep.rest ?? '',
    stream: ep.stream ?? '',
    userHub: ep.userHub ?? '',
  }));
  const [draft, setDraft] = useState<AccountDraft>(initial);
  const [secret, setSecret] = useState<SecretDraft>({ a: '', b: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [enabled, setEnabled] = useState(account.enabled);

  const save = async () => {
    // Only what the user changed.
    const before = draftToConfig(initial);
    const patch = Object.fromEntries(
      Object.entries(draftToConfig(draft)).filter(([k, v]) => k !== 'id' && k !== 'broker' && JSON.stringify(v) !== JSON.stringify(before[k])),
    );
    if (enabled !== account.enabled) patch.enabled = enabled;
    const plain = checkAccountDraft(draft, [], true);
    if (Object.keys(plain).length > 0) {
      setErrors(plain);
      return;
    }
    const creds = secret.a || secret.b ? secretToCredentials(draft.broker, secret) : null;
    if (Object.keys(patch).length === 0 && !creds) {
      onClose();
      return;
    }
    const r = Object.keys(patch).length === 0 ? { success: true as const } : contractRest().accountPatchSchema.safeParse(patch);
    const errs = r.success ? {} : issuesToErrors(r.error.issues);
    if (creds && !contractRest().credentialsSchema.safeParse(creds).success) errs.credentials = 'fill in both fields to replace the credentials';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    const updated = Object.keys(patch).length === 0 ? { ok: true } : await call('accounts:update', { id: account.id, patch });
    if (updated.ok && creds) await call('credentials:set', { accountId: account.id, credentials: creds });
    setBusy(false);
    if (updated.ok) onClose();
  };

  return (
    <Modal title={`Edit ${account.label}`} onClose={onClose} wide>
      <div className="modal-body">
        <AccountFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={errors} setErrors={setErrors} editing />
        <Check label="Account enabled (connect to the broker)" checked={enabled} onChange={setEnabled} testId="edit-enabled" />
        {account.broker === 'sim' ? null : (
          <>
            <h3>Replace credentials {account.hasCredentials ? <span className="tag tag-ok">stored</span> : <span className="tag tag-warn">missing</span>}</h3>
            <CredentialFields broker={account.broker} secret={secret} set={setSecret} error={errors.credentials} />
          </>
        )}
      </div>
      <footer className="modal-foot">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={save} disabled={busy}>
          Save
        </button>
      </footer>
    </Modal>
  );
}

export function RemoveAccountDialog({ account, links, onClose }: { account: AccountView; links: readonly LinkView[]; onClose: () => void }) {
  const asFollower = links.find((l) => l.follower === account.id);
  const leads = links.filter((l) => l.leader === account.id);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();
  const remove = async () => {
    setBusy(true);
    setFailed(undefined);
    const unlinked = asFollower ? await call('links:remove', { id: asFollower.id }) : ({ ok: true } as const);
    const r = unlinked.ok ? await call('accounts:remove', { id: account.id }) : unlinked;
    setBusy(false);
    if (r.ok) onClose();
    else setFailed(r.error.message);
  };
  return (
    <Modal title={`Remove ${account.label}`} onClose={onClose}>
      <div className="modal-body">
        {leads.length > 0 ? (
          <p>
            This account leads {leads.length} follower{leads.length > 1 ? 's' : ''}. Remove those followers (or their links) first.
          </p>
        ) : (
          <p>
            Removes the account{asFollower ? ' and its copy link' : ''}
            {account.hasCredentials && account.broker !== 'sim' ? ' and deletes its stored credentials' : ''}. Positions at the broker are not touched.
          </p>
        )}
        {failed ? (
          <p className="field-error" role="alert">
            Not removed: {failed}
          </p>
        ) : null}
      </div>
      <footer className="modal-foot">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={remove} disabled={busy || leads.length > 0} data-testid="confirm-remove">
          Remove
        </button>
      </footer>
    </Modal>
  );
}
