#!/usr/bin/env node
// `npm start`: builds and launches the desktop app; when Electron cannot start here it says why in one line and runs
// the headless bridge instead (the demo workspace unless arguments are given), printing the dashboard URL with its token.
// Native modules need no Electron rebuild: better-sqlite3 13 and keytar are Node-API (one binary for Node and Electron).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const node = process.execPath;
const bin = (name) => join(root, 'node_modules/.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const quiet = (cmd, argv, opts = {}) =>
  spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], shell: process.platform === 'win32', ...opts });

function electronBinary() {
  const dir = join(root, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  const resolveBinary = () => (existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined);
  const existing = resolveBinary();
  if (existing && existsSync(existing)) return { path: existing };
  process.stdout.write('downloading the Electron runtime (first launch)...\n');
  const r = quiet(node, [join(dir, 'install.js')], { timeout: 10 * 60_000 });
  const after = resolveBinary();
  if (r.status === 0 && after && existsSync(after)) return { path: after };
  return { why: 'the Electron runtime is not installed and could not be downloaded' };
}

function whyNotDesktop() {
  if (process.env.MIRRORDESK_HEADLESS) return 'MIRRORDESK_HEADLESS is set';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (DISPLAY/WAYLAND_DISPLAY unset)';
  return undefined;
}

function build() {
  const r = quiet(bin('electron-vite'), ['build']);
  return r.status === 0 ? undefined : `the app build failed: ${String(r.stderr).trim().split('\n').pop()}`;
}

function headless(why) {
  process.stdout.write(`mirrordesk: desktop unavailable (${why}); running headless with the dashboard bridge instead\n`);
  if (!existsSync(join(root, 'out/renderer/index.html'))) quiet(bin('vite'), ['build', '-c', 'renderer/vite.config.ts']);
  const cliArgs = args.length ? [...args, ...(args.includes('--bridge') ? [] : ['--bridge'])] : ['--demo', '--bridge'];
  const child = spawn(bin('tsx'), [join(root, 'core/headless/cli.ts'), ...cliArgs], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  forward(child);
}

function forward(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  const why = whyNotDesktop();
  if (why) return headless(why);
  const electron = electronBinary();
  if (!electron.path) return headless(electron.why);
  const failed = build();
  if (failed) return headless(failed);
  forward(spawn(electron.path, [root, ...args], { cwd: root, stdio: 'inherit' }));
}

main();
