// Native-object lifetime: better-sqlite3 12 aborted Node 24.21 when V8 collected its objects (nodejs/node#65446);
// with 13 (Node-API) a child that churns journals, statements and the heap must exit cleanly.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHURN = fileURLToPath(new URL('./gc-churn.ts', import.meta.url));

describe('native object lifetime', () => {
  it('survives opening, using and closing many journals under garbage collection', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', CHURN], { encoding: 'utf8', timeout: 60_000 });
    expect(res.stderr).not.toMatch(/Assertion failed/);
    expect(res.signal).toBeNull();
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('done');
  });
});
