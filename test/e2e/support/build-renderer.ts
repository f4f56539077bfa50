// E2E global setup: `electron-vite build` (the renderer into out/renderer, the directory the bridge serves) first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..', '..');
export const RENDERER_OUT = join(REPO, 'out', 'renderer');

/** Builds the app, renderer included, with the project's electron-vite config. */
export function buildRenderer(): void {
  execFileSync(join(REPO, 'node_modules', '.bin', 'electron-vite'), ['build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  if (!existsSync(join(RENDERER_OUT, 'index.html'))) throw new Error(`the build produced no ${RENDERER_OUT}/index.html`);
}

export default function setup(): void {
  buildRenderer();
}
