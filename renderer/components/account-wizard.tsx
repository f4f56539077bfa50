// The add-account wizard: broker and environment, credentials (stored where the snapshot says: keychain, encrypted file or memory), a live connection test, then follow a leader.
import { useEffect, useState } from 'react';
import { contractRest } from '../state/contract-schemas.js';
import { call, query } from '../state/session.js';
import { useDash } from '../state/store.js';
import { AccountFields, CredentialFields, draftToConfig, secretToCredentials, type AccountDraft, type SecretDraft } from './account-fields.js';
import { checkAccountDraft, explainTestFailure } from './account-validate.js';
import { issuesToErrors, type FieldErrors } from './field.js';
import { canStart, linkDraftErrors, linkPayload, LinkStep, newLinkDraft, startOf, type LinkDraft } from './link-step.js';
import { Modal } from './modal.js';

type Step = 'account' | 'credentials' | 'test' | 'link';
const STEPS: readonly [Step, string][] = [
  ['account', 'Account'],
  ['credentials', 'Credentials'],
  ['test', 'Test connection'],
  ['link', 'Copy from'],
];

const EMPTY: AccountDraft = { id: '', label: '', broker: 'sim', environment: 'paper', brokerAccountId: '', rest: '', stream: '', userHub: '' };

function Steps({ step }: { step: Step }) {
  const at = STEPS.findIndex(([s]) => s === step);
  return (
    <ol className="steps" aria-label="Wizard steps">
      {STEPS.map(([s, label], i) => (
        <li key={s} className={i === at ? 'current' : i < at ? 'done' : ''} aria-current={i === at ? 'step' : undefined}>
          {label}
        </li>
      ))}
    </ol>
  );
}

function TestStep({ accountId }: { accountId: string }) {
  const [result, setResult] = useState<{ ok: boolean; message: string; latencyMs?: number } | 'running'>('running');
  const run = async () => {
    setResult('running');
    const r = await call('accounts:test', { accountId });
    setResult(r.ok ? r.value : { ok: false, message: r.error.message });
  };
  useEffect(() => {
    void run();
  }, [accountId]);
  return (
    <div className="modal-body">
      <p>Connecting to the broker with the stored credentials and reading the account…</p>
      <div className={`test-result ${result === 'running' ? '' : result.ok ? 'ok' : 'bad'}`} role="status" data-testid="test-result">
        {result === 'running' ? 'Testing…' : result.ok ? `Connected: ${result.message}${result.latencyMs !== undefined ? ` (${result.latencyMs} ms)` : ''}` : `Failed: ${explainTestFailure(result.message)}`}
      </div>
      <button type="button" className="small" onClick={run} disabled={result === 'running'}>
        Test again
      </button>
    </div>
  );
}

export function AccountWizard({ onClose }: { onClose: () => void }) {
  const snap = useDash((s) => s.snapshot);
  const [step, setStep] = useState<Step>('account');
  const [draft, setDraft] = useState<AccountDraft>(EMPTY);
  const [secret, setSecret] = useState<SecretDraft>({ a: '', b: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const leaders = (snap?.accounts ?? []).filter((a) => a.id !== draft.id && a.role !== 'follower');
  const [linkDraft, setLinkDraft] = useState<LinkDraft>(() => newLinkDraft(snap?.links[0]?.leader ?? leaders[0]?.id ?? ''));
  const setLink = (p: Partial<LinkDraft>) => setLinkDraft((d) => ({ ...d, ...p }));

  const existingIds = (snap?.accounts ?? []).map((a) => a.id);
  const nextFromAccount = () => {
    const r = contractRest().INVOKE['accounts:add'].request.safeParse(draftToConfig(draft));
    const errs = { ...(r.success ? {} : issuesToErrors(r.error.issues)), ...checkAccountDraft(draft, existingIds) };
    setErrors(errs);
    if (Object.keys(errs).length === 0) setStep('credentials');
  };

  const save = async () => {
    const creds = secretToCredentials(draft.broker, secret);
    if (creds && !contractRest().credentialsSchema.safeParse(creds).success) {
      setErrors({ credentials: 'both fields are required' });
      return;
    }
    setErrors({});
    setBusy(true);
    // With credentials to store, the account is added disabled and enabled once they are stored: the app never tries
    // (and alerts "no credentials") for an account the wizard is still creating.
    const id = draft.id.trim();
    const added = await call('accounts:add', { ...draftToConfig(draft), ...(creds ? { enabled: false } : {}) } as never);
    if (added.ok && creds) {
      const stored = await call('credentials:set', { accountId: id, credentials: creds });
      setSecret({ a: '', b: '' });
      if (stored.ok) await call('accounts:update', { id, patch: { enabled: true } });
      else setErrors({ credentials: `${stored.error.message} (the account stays disabled until credentials are stored)` });
    }
    setBusy(false);
    if (added.ok) setStep('test');
  };

  const link = async () => {
    const follower = draft.id.trim();
    const bad = linkDraftErrors(linkDraft, follower);
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const payload = { ...linkPayload(linkDraft, follower), ...startOf(linkDraft) };
    setBusy(true);
    const res = await query('links:add', payload as never);
    setBusy(false);
    // Shown under the leader field; the app's "invalid workspace: links[n].follower: " prefix means nothing here.
    if (res.ok) onClose();
    else setErrors({ leader: res.error.message.replace(/^invalid workspace: [\w.[\]]+: /, '') });
  };

  return (
    <Modal title="Add account" onClose={onClose} wide>
      <Steps step={step} />
      {step === 'account' ? (
        <div className="modal-body">
          <AccountFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={errors} setErrors={setErrors} existingIds={existingIds} />
        </div>
      ) : step === 'credentials' ? (
        <div className="modal-body">
          <CredentialFields broker={draft.broker} secret={secret} set={setSecret} error={errors.credentials} />
        </div>
      ) : step === 'test' ? (
        <TestStep accountId={draft.id.trim()} />
      ) : (
        <LinkStep follower={draft.id.trim()} leaders={leaders.map((a) => [a.id, `${a.label} (${a.id})`] as const)} draft={linkDraft} set={setLink} errors={errors} />
      )}
      <footer className="modal-foot">
        {step === 'account' ? (
          <button type="button" className="primary" onClick={nextFromAccount} data-testid="wiz-next">
            Next
          </button>
        ) : step === 'credentials' ? (
          <>
            <button type="button" onClick={() => setStep('account')}>
              Back
            </button>
            <button type="button" className="primary" onClick={save} disabled={busy} data-testid="wiz-save">
              {busy ? 'Saving…' : 'Save and test'}
            </button>
          </>
        ) : step === 'test' ? (
          <>
            <button type="button" onClick={onClose}>
              Finish
            </button>
            <button type="button" className="primary" onClick={() => setStep('link')} disabled={leaders.length === 0} data-testid="wiz-to-link">
              Follow a leader…
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Not now
            </button>
            <button type="button" className="primary" onClick={link} disabled={busy || !linkDraft.leader || !canStart(linkDraft)} data-testid="wiz-link">
              Start following
            </button>
          </>
        )}
      </footer>
    </Modal>
  );
}
