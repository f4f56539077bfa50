// Says truthfully where credentials are kept (from the snapshot), and offers a passphrase-protected file when they
// would live in memory only (no keyring answered): a restart would lose them.
import { useState } from 'react';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { TextField } from './field.js';

export function CredentialStorageNote() {
  const storage = useDash((s) => s.snapshot?.credentialStorage);
  const [passphrase, setPassphrase] = useState('');
  const [status, setStatus] = useState('');
  if (!storage) return <p className="hint span-2">Mirrordesk never shows or logs credentials again.</p>;
  const protect = async () => {
    setStatus('Protecting...');
    const r = await call('credentials:protect', { passphrase });
    setPassphrase('');
    setStatus(r.ok ? `Saved in the encrypted file (${r.value.moved} moved).` : '');
  };
  return (
    <div className="span-2" data-testid="credential-storage" data-persistent={String(storage.persistent)}>
      {storage.persistent ? (
        <p className="hint">{storage.where} Mirrordesk never shows or logs credentials again.</p>
      ) : (
        <p className="note" role="note">
          <strong>Not saved:</strong> {storage.where}
        </p>
      )}
      {storage.canProtect ? (
        <div className="form-grid" style={{ alignItems: 'end' }}>
          <TextField label="Passphrase (8+ characters)" type="password" value={passphrase} onChange={setPassphrase} autoComplete="new-password" testId="protect-passphrase" />
          <div>
            <button type="button" onClick={protect} disabled={passphrase.length < 8} data-testid="protect-credentials">
              Protect with passphrase
            </button>
          </div>
          {status ? <p className="hint span-2">{status}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
