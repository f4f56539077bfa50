// The layer lint itself: a clean tree passes; each forbidden import direction and engine wall-clock use fails it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../../scripts/check-layers.mjs');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(files: Record<string, string>) {
  const r = spawnSync(process.execPath, [script, '--root', tree(files)], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const base = {
  'core/domain/a.ts': "import { z } from 'zod';\nexport const a = z.string();\n",
  'core/engine/e.ts': "import { a } from '../domain/a.js';\nimport type { P } from '../ports/p.js';\nexport const e = a;\n",
  'core/ports/p.ts': "import type { a } from '../domain/a.js';\nexport type P = typeof a;\n",
  'renderer/r.tsx': "import type { P } from '../core/ports/p.js';\n",
};

describe('check-layers', () => {
  it('passes a tree that follows DESIGN.md section 1', () => {
    const { code, out } = check({ ...base, 'renderer/r.tsx': "import type { a } from '../core/domain/a.js';\n" });
    expect(out).toContain('layer check passed');
    expect(code).toBe(0);
  });

  it.each([
    ['engine importing node', { 'core/engine/x.ts': "import { readFileSync } from 'node:fs';\n" }, 'may not import package node:fs'],
    ['engine importing a broker', { 'core/engine/x.ts': "import { b } from '../brokers/sim/adapter.js';\n" }, 'core/engine may not import core/brokers'],
    ['engine reading the wall clock', { 'core/engine/x.ts': 'export const t = () => Date.now();\n' }, 'wall-clock'],
    ['engine using a timer', { 'core/engine/x.ts': 'setTimeout(() => 1, 5);\n' }, 'wall-clock'],
    ['domain importing ports', { 'core/domain/x.ts': "import type { P } from '../ports/p.js';\n" }, 'core/domain may not import core/ports'],
    ['broker importing the engine', { 'core/brokers/alpaca/x.ts': "import { e } from '../../engine/e.js';\n" }, 'may not import core/engine'],
    ['broker importing another broker', { 'core/brokers/alpaca/x.ts': "import { s } from '../sim/s.js';\n" }, 'broker alpaca may not import broker sim'],
    ['store importing electron', { 'core/store/x.ts': "import { app } from 'electron';\n" }, 'may not import package electron'],
    ['renderer importing the store', { 'renderer/x.ts': "import { s } from '../core/store/s.js';\n" }, 'renderer may not import core/store'],
    ['renderer importing node', { 'renderer/x.ts': "import { join } from 'node:path';\n" }, 'may not import package node:path'],
    ['renderer importing domain values', { 'renderer/x.ts': "import { a } from '../core/domain/a.js';\n" }, 'for types only'],
    ['app importing electron', { 'core/app/x.ts': "const e = await import('electron');\n" }, 'may not import package electron'],
  ])('fails on %s', (_name, extra, message) => {
    const { code, out } = check({ ...base, ...extra });
    expect(code).toBe(1);
    expect(out).toContain(message);
  });
});
