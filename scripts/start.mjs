#!/usr/bin/env node
// `npm start`: finds a supported Node (fetching Node 24 from the npm registry when the machine's is older), builds the
// app, launches the desktop app, or where Electron cannot start says why in one line and runs the headless bridge
// instead (the demo when nothing is stored, else the stored workspace), printing the dashboard URL with its token.
// Signals (SIGTERM, SIGHUP, SIGINT) are forwarded to the process that holds the journal; the launcher exits with it.
// Runs on old Node too (it must, to say what is wrong): plain ESM, node:* only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { supportedNode } from './supported-node.mjs';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const say = (line) => process.stdout.write(`mirrordesk: ${line}\n`);
const quiet = (cmd, argv, opts = {}) => spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], ...opts });

function electronBinary(node) {
  const dir = join(root, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  const resolveBinary = () => (existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined);
  const existing = resolveBinary();
  if (existing && existsSync(existing)) return { path: existing };
  say('downloading the Electron runtime (first launch)...');
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

/** `electron-vite build`: main, preload and the renderer the bridge serves (out/renderer). */
function build(node) {
  const r = quiet(node, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error']);
  return r.status === 0 ? undefined : `the app build failed (npm run build shows why): ${String(r.stderr).trim().split('\n').pop()}`;
}

/**
 * Runs `cmd` as the one child, forwards every stop signal to it and exits when it exits (with its code). npm does not
 * pass a SIGTERM on to its script: when our parent goes away (we are re-parented) the child is stopped the same way.
 * The child watches us likewise (MIRRORDESK_STOP_WITH_PARENT), so even a SIGKILLed launcher leaves nothing trading.
 */
function runChild(cmd, argv) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, MIRRORDESK_STOP_WITH_PARENT: '1' } });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    child.kill('SIGTERM');
  }, 250);
  child.on('error', (err) => {
    say(`could not start ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 0)));
}

function headless(node, why) {
  say(`desktop unavailable (${why}); running headless with the dashboard bridge instead`);
  const cliArgs = args.length ? [...args, ...(args.includes('--bridge') ? [] : ['--bridge'])] : ['start'];
  // The CLI runs in this child itself (node --import tsx), so a forwarded signal reaches the journal's process.
  runChild(node, ['--import', 'tsx', join(root, 'core/headless/cli.ts'), ...cliArgs]);
}

function main() {
  const node = supportedNode({ say });
  if (!node.path) {
    process.stderr.write(`mirrordesk: ${node.why}\n`);
    process.exit(1);
  }
  const failed = build(node.path);
  if (failed && !existsSync(join(root, 'out/renderer/index.html'))) {
    process.stderr.write(`mirrordesk: ${failed}\n`);
    process.exit(1);
  }
  if (failed) say(`${failed}; serving the previous build`);
  const why = whyNotDesktop();
  if (why) return headless(node.path, why);
  const electron = electronBinary(node.path);
  if (!electron.path) return headless(node.path, electron.why);
  runChild(electron.path, [root, ...args]);
}

main();
