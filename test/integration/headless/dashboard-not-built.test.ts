// Before a build, the bridge's page names a command that exists and builds exactly the directory it serves.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/app/logger.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { DEFAULT_STATIC_DIR } from '../../../core/headless/bridge-run.js';
import { startBridge } from '../../../core/headless/bridge-server.js';
import { createFakeHost } from '../../unit/contract/fake-host.js';

const root = resolve(import.meta.dirname, '../../..');

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('dashboard not built yet', () => {
  it('issue 12 #1: the page names `npm run build`, a real script that writes the directory the bridge serves', async () => {
    const bridge = await startBridge({
      dispatcher: createDispatcher(createFakeHost()),
      staticDir: mkdtempSync(join(tmpdir(), 'mirrordesk-empty-')),
      log: createLogger({ write: () => undefined }),
    });
    try {
      const r = await get(bridge.port);
      expect(r.status).toBe(404);
      expect(r.body).toContain('run `npm run build`');
    } finally {
      await bridge.close();
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('electron-vite build');
    const viteConfig = readFileSync(join(root, 'electron.vite.config.ts'), 'utf8');
    expect(viteConfig).toContain("outDir: resolve(root, 'out/renderer')");
    expect(DEFAULT_STATIC_DIR).toBe(join(root, 'out', 'renderer'));
    expect(existsSync(join(root, 'renderer/vite.config.ts'))).toBe(false);
  });
});
