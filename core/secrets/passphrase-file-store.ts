// PassphraseFileStore: secrets in one file encrypted with AES-256-GCM under a scrypt key (servers without a keyring).
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStore } from '../ports/secret-store.js';
import { SecretStoreError, checkAccountId } from './secret-store-error.js';

export const SECRETS_FILE_NAME = 'secrets.enc.json';
const FORMAT = 'mirrordesk-secrets';
const AAD = Buffer.from(`${FORMAT}/1`);

interface Kdf {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

interface FileShape {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly kdf: Kdf;
  readonly cipher: 'aes-256-gcm';
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function deriveKey(passphrase: string, kdf: Kdf): Promise<Buffer> {
  const opts: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase, Buffer.from(kdf.salt, 'base64'), 32, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function parseFile(text: string, file: string): FileShape {
  let v: Partial<FileShape>;
  try {
    v = JSON.parse(text) as Partial<FileShape>;
  } catch {
    throw new SecretStoreError(`${file} is not a Mirrordesk secrets file (not JSON)`);
  }
  const k = v.kdf;
  const ok =
    v.format === FORMAT && v.version === 1 && v.cipher === 'aes-256-gcm' && k?.name === 'scrypt' &&
    [k.N, k.r, k.p].every((n) => Number.isInteger(n) && n > 0 && n <= 2 ** 20) &&
    [k.salt, v.iv, v.tag, v.data].every((s) => typeof s === 'string');
  if (!ok) throw new SecretStoreError(`${file} is not a Mirrordesk secrets file (unknown format)`);
  return v as FileShape;
}

/** Writes to a temporary file beside the target, flushes it, then renames: a crash leaves the old or the new file. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dirFd = openSync(dirname(file), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // directory fsync is not supported everywhere (Windows); the rename itself is atomic
  }
}

export interface PassphraseFileOptions {
  readonly file: string;
  readonly passphrase: string;
  /** scrypt cost N (power of two); 2^15 by default. */
  readonly cost?: number;
}

export class PassphraseFileStore implements SecretStore {
  readonly kind: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private readonly kdf: Kdf,
    private secrets: Map<string, string>,
  ) {
    this.kind = `passphrase-encrypted file ${file} (scrypt + AES-256-GCM)`;
  }

  /** Opens (or prepares) the file; a wrong passphrase is a SecretStoreError and nothing is written. */
  static async open(opts: PassphraseFileOptions): Promise<PassphraseFileStore> {
    if (!opts.passphrase) throw new SecretStoreError('the secrets file needs a passphrase (MIRRORDESK_PASSPHRASE or --passphrase-file)');
    if (!existsSync(opts.file)) {
      const kdf: Kdf = { name: 'scrypt', N: opts.cost ?? 2 ** 15, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
      return new PassphraseFileStore(opts.file, await deriveKey(opts.passphrase, kdf), kdf, new Map());
    }
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new SecretStoreError(`cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const shape = parseFile(text, opts.file);
    const key = await deriveKey(opts.passphrase, shape.kdf);
    let plain: string;
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(shape.iv, 'base64'));
      d.setAAD(AAD);
      d.setAuthTag(Buffer.from(shape.tag, 'base64'));
      plain = Buffer.concat([d.update(Buffer.from(shape.data, 'base64')), d.final()]).toString('utf8');
    } catch {
      throw new SecretStoreError(`wrong passphrase for ${opts.file} (or the file was altered); nothing was changed`);
    }
    const entries = JSON.parse(plain) as Record<string, string>;
    return new PassphraseFileStore(opts.file, key, shape.kdf, new Map(Object.entries(entries)));
  }

  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private persist(next: Map<string, string>): void {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(AAD);
    const data = Buffer.concat([c.update(JSON.stringify(Object.fromEntries(next)), 'utf8'), c.final()]);
    const shape: FileShape = {
      format: FORMAT,
      version: 1,
      kdf: this.kdf,
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: c.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    try {
      writeAtomic(this.file, `${JSON.stringify(shape, null, 2)}\n`);
    } catch (err) {
      throw new SecretStoreError(`cannot write ${this.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    this.secrets = next;
  }

  async get(accountId: string): Promise<string | null> {
    checkAccountId(accountId);
    return this.serial(() => this.secrets.get(accountId) ?? null);
  }

  async set(accountId: string, secret: string): Promise<void> {
    checkAccountId(accountId);
    return this.serial(() => this.persist(new Map(this.secrets).set(accountId, secret)));
  }

  async delete(accountId: string): Promise<boolean> {
    checkAccountId(accountId);
    return this.serial(() => {
      if (!this.secrets.has(accountId)) return false;
      const next = new Map(this.secrets);
      next.delete(accountId);
      this.persist(next);
      return true;
    });
  }

  list(): Promise<string[]> {
    return this.serial(() => [...this.secrets.keys()].sort());
  }
}
