#!/usr/bin/env node
// Layer lint: enforces the import directions of DESIGN.md section 1 and the engine's no-wall-clock rule.
// Usage: node scripts/check-layers.mjs [--root DIR]; exits 1 and lists every violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const rootArg = process.argv.indexOf('--root');
const ROOT = resolve(rootArg > 0 ? process.argv[rootArg + 1] : '.');
const SOURCE_DIRS = ['core', 'electron', 'renderer', 'test', 'scripts'];
const EXT = /\.(ts|tsx|mts|cts|js|mjs)$/;

/** Each area: the internal areas it may import, and which bare packages (regex) it may use. */
const RULES = {
  'core/domain': { internal: ['core/domain'], external: /^zod$/ },
  'core/contract': { internal: ['core/contract', 'core/domain'], external: /^zod$/ },
  'core/ports': { internal: ['core/ports', 'core/domain'], external: /^$/ },
  'core/engine': { internal: ['core/engine', 'core/domain', 'core/ports', 'core/contract'], external: /^zod$/ },
  'core/brokers': { internal: ['core/brokers', 'core/domain', 'core/ports'], external: /^(?!electron$|react)/ },
  'core/store': { internal: ['core/store', 'core/domain', 'core/ports'], external: /^(?!electron$|react)/ },
  'core/secrets': { internal: ['core/secrets', 'core/domain', 'core/ports'], external: /^(?!electron$|react)/ },
  'core/app': { internal: ['core'], external: /^(?!electron$|react)/ },
  'core/headless': { internal: ['core'], external: /^(?!electron$|react)/ },
  electron: { internal: ['core', 'electron'], external: /.*/ },
  renderer: { internal: ['renderer', 'core/contract', 'core/domain'], external: /^(?!node:|electron$|better-sqlite3|keytar|ws$)/ },
  test: { internal: ['core', 'electron', 'renderer', 'test', 'scripts'], external: /.*/ },
  scripts: { internal: ['core', 'scripts', 'test'], external: /.*/ },
};
/** Imports that must be `import type` only. */
const TYPE_ONLY = { renderer: ['core/domain'] };
const ENGINE_CLOCK = /\bDate\.now\(|new Date\(\)|\bsetTimeout\(|\bsetInterval\(|\bperformance\.now\(|\bsetImmediate\(/;

function areaOf(relPath) {
  const parts = relPath.split(sep).join('/').split('/');
  if (parts[0] === 'core') return parts.length > 2 ? `core/${parts[1]}` : 'core';
  return parts[0];
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'out' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (EXT.test(name)) yield p;
  }
}

const IMPORT_RE = /(?:^|[;\s])(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function brokerName(rel) {
  const m = /^core\/brokers\/([^/]+)\//.exec(rel);
  return m ? m[1] : undefined;
}

const violations = [];
for (const top of SOURCE_DIRS) {
  const abs = join(ROOT, top);
  try {
    statSync(abs);
  } catch {
    continue;
  }
  for (const file of walk(abs)) {
    const rel = relative(ROOT, file).split(sep).join('/');
    const area = areaOf(rel);
    const rule = RULES[area];
    if (!rule) continue;
    const text = readFileSync(file, 'utf8');
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    if (area === 'core/engine' && ENGINE_CLOCK.test(code)) {
      violations.push(`${rel}: wall-clock time or timers in core/engine (use the injected Clock)`);
    }
    for (const m of code.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4];
      const typeOnly = Boolean(m[2]);
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
        const targetArea = areaOf(target);
        const ok = rule.internal.some((a) => target === a || target.startsWith(`${a}/`));
        if (!ok) violations.push(`${rel}: ${area} may not import ${targetArea} (${spec})`);
        const own = brokerName(rel);
        const theirs = brokerName(target);
        if (own && theirs && own !== theirs && theirs !== 'shared') {
          violations.push(`${rel}: broker ${own} may not import broker ${theirs} (${spec})`);
        }
        for (const t of TYPE_ONLY[area] ?? []) {
          if ((target === t || target.startsWith(`${t}/`)) && !typeOnly) {
            violations.push(`${rel}: ${area} may import ${t} for types only (${spec})`);
          }
        }
      } else if (!rule.external.test(spec)) {
        violations.push(`${rel}: ${area} may not import package ${spec}`);
      }
    }
  }
}

if (violations.length) {
  console.error(`layer check failed (${violations.length}):\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log('layer check passed');
