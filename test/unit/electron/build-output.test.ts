// The electron-vite build: main, a single self-contained CJS preload, the renderer; and the generated tray icons.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_STATES } from '../../../electron/main/tray-state.js';

const root = resolve(import.meta.dirname, '../../..');

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('desktop build', () => {
  it('builds main, one sandbox-compatible preload file and the renderer', () => {
    const out = mkdtempSync(join(tmpdir(), 'md-ev-'));
    const r = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).toContain('requestSingleInstanceLock');
    expect(main).toMatch(/from "better-sqlite3"/);
    expect(readdirSync(join(out, 'preload'))).toEqual(['index.cjs']);
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("mirrordesk"');
    expect(preload).toContain('"credentials:set"');
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(readdirSync(join(out, 'renderer/assets')).some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('ships a 16 px and a 32 px (@2x) tray icon per state and a 512 px app icon', () => {
    for (const state of TRAY_STATES) {
      expect(pngSize(join(root, 'resources', `tray-${state}.png`))).toEqual({ width: 16, height: 16 });
      expect(pngSize(join(root, 'resources', `tray-${state}@2x.png`))).toEqual({ width: 32, height: 32 });
    }
    expect(pngSize(join(root, 'resources', 'icon.png'))).toEqual({ width: 512, height: 512 });
  });
});
