// A Node the app supports (>= 22.12): this one, or Node 24 fetched once from the npm registry into a cache dir (the
// same package .ci/run uses), or a one-line reason naming the fix. Old Node crashes in better-sqlite3, so never run it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MIN = [22, 12];

export function isSupported(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

const FIX = 'install Node 24 (https://nodejs.org, or `nvm install 24`) and run `npm start` again';

/** The npm that runs this script when there is one (npm start), else `npm` from PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  return cli && existsSync(cli) && cli.endsWith('.js') ? [process.execPath, [cli]] : ['npm', []];
}

/**
 * Returns `{ path }` of a supported node binary, or `{ why }` (one line). `env.MIRRORDESK_NODE_PREFIX` overrides the
 * cache dir (default ~/.cache/mirrordesk/node24).
 */
export function supportedNode({ say, env = process.env } = {}) {
  if (isSupported(process.versions.node)) return { path: process.execPath };
  const have = `this is Node ${process.version}, Mirrordesk needs >= ${MIN.join('.')}`;
  if (process.platform === 'win32') return { why: `${have}: ${FIX}` };
  const prefix = env.MIRRORDESK_NODE_PREFIX || join(homedir(), '.cache', 'mirrordesk', 'node24');
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    say?.(`${have}; fetching Node 24 (${pkg}) from the npm registry into ${prefix} (once)...`);
    const [cmd, pre] = npmCommand();
    const r = spawnSync(cmd, [...pre, 'install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `${pkg}@24`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 5 * 60_000,
      env,
    });
    if (r.status !== 0 || !existsSync(bin)) {
      const cause = r.error?.message ?? String(r.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? `exit ${r.status}`;
      return { why: `${have} and fetching Node 24 failed (${cause}): ${FIX}` };
    }
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !isSupported(v.stdout.trim())) return { why: `${have} and ${bin} does not run: ${FIX}` };
  return { path: bin };
}
