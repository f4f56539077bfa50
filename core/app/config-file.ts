// Loads a workspace config file and turns zod failures into errors that name the field and the problem.
import { readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { parseWorkspaceConfig, type WorkspaceConfig } from '../domain/workspace-config.js';

export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(source: string, issues: readonly string[]) {
    super(`invalid config ${source}:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** "links[1].sizing.value: must not be 0" for each zod issue. */
export function describeZodError(err: ZodError): string[] {
  return err.issues.map((i) => {
    const path = i.path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      '',
    );
    return `${path || '(root)'}: ${i.message}`;
  });
}

export function parseConfig(input: unknown, source = 'workspace'): WorkspaceConfig {
  try {
    return parseWorkspaceConfig(input);
  } catch (err) {
    if (err instanceof ZodError) throw new ConfigError(source, describeZodError(err));
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
