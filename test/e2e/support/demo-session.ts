// One e2e session on the demo: the headless app, Chromium at 1280x720 with page errors on stderr, the demo started.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { removeDataDir, startApp, type AppProcess } from './server.js';

export interface DemoSession {
  readonly app: AppProcess;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/** `prepare` runs on the page before it loads the dashboard (init scripts, a fake clock). */
export async function openDemo(opts: { secrets?: 'env' | 'file'; prepare?: (page: Page) => Promise<void> } = {}): Promise<DemoSession> {
  const app = await startApp(opts.secrets ? { secrets: opts.secrets } : {});
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  await opts.prepare?.(page);
  await page.goto(app.url);
  await page.getByTestId('start-demo').click();
  await page.getByTestId('overview-state').waitFor();
  return {
    app,
    browser,
    page,
    close: async () => {
      await browser.close();
      await app.stop();
      removeDataDir(app.dataDir);
    },
  };
}
