// Electron main entry: adapts the real Electron API to ElectronApi and runs the desktop composition.
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, powerMonitor, powerSaveBlocker, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachActivityLog } from '../../core/app/activity-log.js';
import { AppHost } from '../../core/app/app-host.js';
import { createLogger } from '../../core/app/logger.js';
import { guardProcess } from '../../core/app/process-guard.js';
import type { ElectronApi, MenuItemSpec, WindowLike } from './electron-api.js';
import { runDesktop } from './desktop.js';
import { PowerController } from './power.js';

const here = fileURLToPath(new URL('.', import.meta.url));

const toMenu = (items: readonly MenuItemSpec[]) =>
  Menu.buildFromTemplate(
    items.map((i) => ({
      ...(i.id ? { id: i.id } : {}),
      ...(i.label ? { label: i.label } : {}),
      type: i.type ?? 'normal',
      enabled: i.enabled ?? true,
      ...(i.checked !== undefined ? { checked: i.checked } : {}),
      ...(i.click ? { click: i.click } : {}),
    })),
  );

const api: ElectronApi = {
  app: app as unknown as ElectronApi['app'],
  ipcMain: ipcMain as unknown as ElectronApi['ipcMain'],
  get session() {
    return session.defaultSession as unknown as ElectronApi['session'];
  },
  openExternal: (url) => shell.openExternal(url),
  createWindow: (opts) => new BrowserWindow(opts) as unknown as WindowLike,
  createTray(iconPath) {
    const tray = new Tray(iconPath);
    return {
      setImage: (p) => tray.setImage(p),
      setToolTip: (t) => tray.setToolTip(t),
      setMenu: (items) => tray.setContextMenu(toMenu(items)),
      on: (event, fn) => void tray.on(event, fn),
      destroy: () => tray.destroy(),
    };
  },
  notify(opts, onClick) {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: opts.title, body: opts.body });
    n.on('click', onClick);
    n.show();
  },
  async confirm(o) {
    const r = await dialog.showMessageBox({
      type: 'warning',
      title: o.title,
      message: o.message,
      ...(o.detail ? { detail: o.detail } : {}),
      buttons: [o.confirmLabel, 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    return r.response === 0;
  },
  async choose(o) {
    const r = await dialog.showMessageBox({
      type: 'question',
      title: o.title,
      message: o.message,
      ...(o.detail ? { detail: o.detail } : {}),
      buttons: [...o.choices, 'Cancel'],
      defaultId: o.choices.length,
      cancelId: o.choices.length,
      noLink: true,
    });
    return r.response < o.choices.length ? r.response : undefined;
  },
};

let appHost: AppHost | undefined;
const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

runDesktop({
  api,
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  paths: {
    preload: join(here, '../preload/index.cjs'),
    indexHtml: join(here, '../renderer/index.html'),
    resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
    ...(process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {}),
  },
  // The log (copies, alerts, halts; rotated) goes where the platform keeps app logs (app.getPath('logs')).
  openHost: async (o) => {
    const logDir = app.getPath('logs');
    mkdirSync(logDir, { recursive: true });
    const log = createLogger({ file: join(logDir, 'mirrordesk.log') });
    const host = await AppHost.open({ ...o, log });
    const detachActivity = attachActivityLog(host, log);
    guardProcess(process, { log, alert: (m) => host.reportInternalError(m), close: () => host.close().finally(detachActivity), exit: (c) => app.exit(c) });
    appHost = host;
    return host;
  },
  now: () => Date.now(),
  log: stderrLine,
})
  .then((desk) => {
    if (!desk || !appHost) return;
    // Sleep: a blocker while copying; on resume every account reconnects and is read again before re-arming.
    const power = new PowerController(
      {
        startBlocker: (type) => powerSaveBlocker.start(type),
        stopBlocker: (id) => powerSaveBlocker.stop(id),
        onPower: (event, fn) => void (event === 'resume' ? powerMonitor.on('resume', fn) : powerMonitor.on('suspend', fn)),
      },
      appHost,
      stderrLine,
    );
    app.on('will-quit', () => power.dispose());
  })
  .catch((err: unknown) => {
    dialog.showErrorBox('Mirrordesk could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
