// Where a secret must never be found, and how it is searched for: each credential whole and escaped every way a
// server, a URL or JSON may have written it, and every 8-character run of it (a truncated frame may hold half).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const uEscape = (s: string) => s.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What must appear nowhere: each credential whole and escaped every way, and every 8-character run of it. */
export function needles(credentials: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of credentials) {
    for (const form of [c, JSON.stringify(c).slice(1, -1), uEscape(c), encodeURIComponent(c), new URLSearchParams({ k: c }).toString().slice(2)]) {
      out.add(form);
    }
    for (let i = 0; i + 8 <= c.length; i++) {
      const run = c.slice(i, i + 8);
      out.add(run);
      out.add(JSON.stringify(run).slice(1, -1));
    }
  }
  return [...out];
}

/** Every needle found, as `"needle" in where`. */
export function findLeaks(haystacks: readonly (readonly [string, string])[], credentials: readonly string[]): string[] {
  const found: string[] = [];
  for (const n of needles(credentials)) for (const [where, text] of haystacks) if (text.includes(n)) found.push(`${JSON.stringify(n)} in ${where}`);
  return found;
}

/** Every file under dir, read as UTF-8 and as Latin-1 (SQLite pages and the WAL hold text in either reading). */
export const readDir = (dir: string): [string, string][] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .flatMap((e) => {
      const buf = readFileSync(join(e.parentPath, e.name));
      return [[`${e.name} (utf8)`, buf.toString('utf8')], [`${e.name} (latin1)`, buf.toString('latin1')]] as [string, string][];
    });

/** The read channels whose answers are searched: everything a dashboard or an export shows. */
export const READ_CHANNELS = [
  ['workspace:snapshot', undefined],
  ['alerts:list', { limit: 200 }],
  ['copies:list', { limit: 50 }],
  ['copies:export-csv', {}],
  ['audit:list', { limit: 50 }],
  ['stats:counts', undefined],
  ['stats:followers', {}],
] as const;
