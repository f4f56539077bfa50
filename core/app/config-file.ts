// Loads a workspace config file and turns zod failures into errors that name the field and the problem.
import { readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { MAX_ENTRIES, parseWorkspaceConfig, type WorkspaceConfig } from '../domain/workspace-config.js';

/** How many problems a ConfigError lists; the rest are counted ("and 699,950 more problems"). */
export const MAX_LISTED_PROBLEMS = 50;

export class ConfigError extends Error {
  /** The listed problems (at most MAX_LISTED_PROBLEMS). */
  readonly issues: readonly string[];
  /** How many problems there were in all. */
  readonly total: number;
  constructor(source: string, issues: readonly string[], total = issues.length) {
    const listed = issues.slice(0, MAX_LISTED_PROBLEMS);
    const more = total - listed.length;
    const tail = more > 0 ? `\n  ... and ${more.toLocaleString('en-US')} more problems (fix these first)` : '';
    super(`invalid config ${source}:\n  ${listed.join('\n  ')}${tail}`);
    this.name = 'ConfigError';
    this.issues = listed;
    this.total = total;
  }
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');

/** "links[1].sizing.value: must not be 0" for each zod issue (the first `limit` of them). */
export function describeZodError(err: ZodError, limit = Infinity): string[] {
  return err.issues.slice(0, limit).map((i) => `${pathText(i.path) || '(root)'}: ${i.message}`);
}

/** A workspace with more entries than any real one is refused before each entry is checked (a flood stays cheap). */
function tooMany(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  return (['accounts', 'links'] as const).flatMap((key) => {
    const list = (input as Record<string, unknown>)[key];
    return Array.isArray(list) && list.length > MAX_ENTRIES
      ? [`${key}: at most ${MAX_ENTRIES.toLocaleString('en-US')} entries, got ${list.length.toLocaleString('en-US')}`]
      : [];
  });
}

export function parseConfig(input: unknown, source = 'workspace'): WorkspaceConfig {
  const flood = tooMany(input);
  if (flood.length > 0) throw new ConfigError(source, flood);
  try {
    return parseWorkspaceConfig(input);
  } catch (err) {
    if (err instanceof ZodError) throw new ConfigError(source, describeZodError(err, MAX_LISTED_PROBLEMS), err.issues.length);
    throw err;
  }
}

export function loadConfigFile(path: string): WorkspaceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(json, path);
}
