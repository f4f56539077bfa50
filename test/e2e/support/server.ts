// Starts the real headless app with its bridge on a fresh data dir and a random port; reads the dashboard URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './build-renderer.js';

export interface AppProcess {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const URL_RE = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/;
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

/** The real headless CLI on an empty data dir: first-run state, bridge on 127.0.0.1 at a random port. */
const command = (dataDir: string, secrets: string): string[] => [join(REPO, 'core/headless/cli.ts'), 'run', '--data-dir', dataDir, '--bridge', '--port', '0', '--secrets', secrets];

/** `secrets: 'file'` keeps credentials set from the dashboard in an encrypted file (a test passphrase). */
export async function startApp(opts: { dataDir?: string; timeoutMs?: number; secrets?: 'env' | 'file' } = {}): Promise<AppProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mirrordesk-e2e-'));
  const secrets = opts.secrets ?? 'env';
  const child: ChildProcess = spawn(TSX, command(dataDir, secrets), {
    cwd: REPO,
    env: { ...process.env, MIRRORDESK_DATA_DIR: dataDir, NO_COLOR: '1', ...(secrets === 'file' ? { MIRRORDESK_PASSPHRASE: 'e2e passphrase, not a secret' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no dashboard URL within ${opts.timeoutMs ?? 60_000} ms:\n${out}`)), opts.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = URL_RE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code}) before serving the dashboard:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
