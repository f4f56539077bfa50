// The passphrase file store on real files: round trip, wrong passphrase, tampering, atomic writes, no plaintext.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassphraseFileStore, SecretStoreError } from '../../../core/secrets/index.js';

const COST = 2 ** 12;
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'md-secrets-')), 'secrets.enc.json');
const SECRET = '{"keyId":"AKXYZ","secretKey":"s3cr3t-value-987"}';

describe('PassphraseFileStore', () => {
  it('round-trips across reopen and never writes plaintext', async () => {
    const file = tempFile();
    const a = await PassphraseFileStore.open({ file, passphrase: 'correct horse', cost: COST });
    await a.set('acct-1', SECRET);
    await a.set('acct_2', 'other');
    expect(await a.delete('acct_2')).toBe(true);
    expect(await a.delete('acct_2')).toBe(false);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('AKXYZ');
    expect(text).not.toContain('acct-1');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = await PassphraseFileStore.open({ file, passphrase: 'correct horse' });
    expect(await b.get('acct-1')).toBe(SECRET);
    expect(await b.get('acct_2')).toBeNull();
    expect(await b.list()).toEqual(['acct-1']);
    expect(b.kind).toContain('AES-256-GCM');
  });

  it('refuses a wrong passphrase clearly and leaves the file untouched', async () => {
    const file = tempFile();
    const a = await PassphraseFileStore.open({ file, passphrase: 'right', cost: COST });
    await a.set('acct', SECRET);
    const before = readFileSync(file);
    const err = await PassphraseFileStore.open({ file, passphrase: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect((err as Error).message).toMatch(/wrong passphrase .*nothing was changed/);
    expect((err as Error).message).not.toContain('wrong"');
    expect(readFileSync(file).equals(before)).toBe(true);
    await expect(PassphraseFileStore.open({ file, passphrase: '' })).rejects.toThrow(/needs a passphrase/);
  });

  it('detects tampering and foreign files', async () => {
    const file = tempFile();
    const a = await PassphraseFileStore.open({ file, passphrase: 'pw', cost: COST });
    await a.set('acct', SECRET);
    const shape = JSON.parse(readFileSync(file, 'utf8')) as { data: string };
    const bytes = Buffer.from(shape.data, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    writeFileSync(file, JSON.stringify({ ...shape, data: bytes.toString('base64') }));
    await expect(PassphraseFileStore.open({ file, passphrase: 'pw' })).rejects.toThrow(/wrong passphrase|altered/);
    writeFileSync(file, 'not json at all');
    await expect(PassphraseFileStore.open({ file, passphrase: 'pw' })).rejects.toThrow(/not a Mirrordesk secrets file/);
    writeFileSync(file, JSON.stringify({ format: 'mirrordesk-secrets', version: 1, kdf: { name: 'scrypt', N: 2 ** 40 } }));
    await expect(PassphraseFileStore.open({ file, passphrase: 'pw' })).rejects.toThrow(/unknown format/);
  });

  it('serialises concurrent writes and leaves no temporary files', async () => {
    const file = tempFile();
    const s = await PassphraseFileStore.open({ file, passphrase: 'pw', cost: COST });
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.set(`acct-${i}`, `secret-${i}`)));
    const reopened = await PassphraseFileStore.open({ file, passphrase: 'pw' });
    expect((await reopened.list()).length).toBe(20);
    expect(await reopened.get('acct-13')).toBe('secret-13');
    expect(readdirSync(join(file, '..'))).toEqual(['secrets.enc.json']);
  });

  it('refuses account ids outside the safe alphabet', async () => {
    const s = await PassphraseFileStore.open({ file: tempFile(), passphrase: 'pw', cost: COST });
    for (const bad of ['', '../x', 'a b', '__proto__'.replace(/_/g, '.')]) await expect(s.set(bad, 'x')).rejects.toThrow(SecretStoreError);
  });
});
