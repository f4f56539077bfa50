// Desktop composition: lock first, then security, secrets, AppHost, IPC, window and tray; quitting closes the host.
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceSnapshotView } from '../../core/contract/snapshot.js';
import { createDispatcher } from '../../core/app/dispatcher.js';
import type { DispatchHost } from '../../core/app/dispatch-host.js';
import type { Journal } from '../../core/ports/journal.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { SecretStore } from '../../core/ports/secret-store.js';
import { chooseSecretStore, ProtectableSecretStore, SECRETS_FILE_NAME } from '../../core/secrets/index.js';
import type { ElectronApi, WindowLike } from './electron-api.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { launchAtLogin, wasLaunchedAtLogin } from './login-item.js';
import { DesktopNotifier } from './notifications.js';
import { createSenderCheck, hardenSession, hardenWebContents } from './security.js';
import { acquireSingleInstance } from './single-instance.js';
import { TrayController } from './tray.js';
import { createMainWindow, revealWindow } from './window.js';

export interface DesktopHost extends DispatchHost {
  readonly journal: DispatchHost['journal'] & Pick<Journal, 'saveTradingState' | 'tradingStates'>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface DesktopDeps {
  readonly api: ElectronApi;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly paths: { readonly preload: string; readonly indexHtml: string; readonly resourcesDir: string; readonly devServerUrl?: string };
  openHost(o: { dataDir: string; secrets: SecretStore; notifier: Notifier }): Promise<DesktopHost>;
  now(): number;
  log(line: string): void;
}

export interface Desktop {
  readonly host: DesktopHost;
  readonly tray: TrayController;
  readonly window: WindowLike;
}

/** Returns undefined when another instance already runs (this one quits without touching any broker). */
export async function runDesktop(d: DesktopDeps): Promise<Desktop | undefined> {
  const { app } = d.api;
  let win: WindowLike | undefined;
  let quitting = false;
  let closed = false;
  if (!acquireSingleInstance(app, () => revealWindow(win))) return undefined;
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, d.api));
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  hardenSession(d.api.session, d.paths.devServerUrl);

  const dataDir = app.getPath('userData');
  const secrets = await chooseSecretStore({ platform: d.platform, dataDir, env: d.env });
  d.log(secrets.description);
  const notifier = new DesktopNotifier(d.api, () => revealWindow(win), d.now);
  // Memory-held credentials (no keychain answered) can be moved into a passphrase file from the dashboard.
  const store = new ProtectableSecretStore(secrets.store, join(dataDir, SECRETS_FILE_NAME));
  const host = await d.openHost({ dataDir, secrets: store, notifier });
  const atLogin = wasLaunchedAtLogin(app, d.argv);
  if (atLogin && host.journal.tradingStates().get('global') !== 'halted') {
    host.journal.saveTradingState({ scope: 'global', state: 'paused', reason: 'launched at login', actor: 'launch-at-login', time: d.now() });
  }

  const dispatcher = createDispatcher(host);
  const rendererBase = d.paths.devServerUrl ?? `${pathToFileURL(dirname(d.paths.indexHtml)).href}/`;
  registerIpc(d.api.ipcMain, dispatcher, createSenderCheck(rendererBase), (channel, url) =>
    d.log(`refused IPC ${channel} from a foreign frame (${url.slice(0, 120)})`),
  );
  win = createMainWindow(d.api, {
    preload: d.paths.preload,
    indexHtml: d.paths.indexHtml,
    ...(d.paths.devServerUrl ? { devServerUrl: d.paths.devServerUrl } : {}),
    isQuitting: () => quitting,
    startHidden: atLogin,
  });
  forwardEvents(dispatcher, () => win?.webContents);

  const quit = () => {
    quitting = true;
    app.quit();
  };
  const tray = new TrayController({
    api: d.api,
    dispatcher,
    resourcesDir: d.paths.resourcesDir,
    openDashboard: () => revealWindow(win),
    quit,
    launchAtLogin: launchAtLogin(app),
  });
  dispatcher.subscribe((channel, payload) => {
    if (channel === 'workspace:changed') tray.update(payload as WorkspaceSnapshotView);
  });
  app.on('activate', () => revealWindow(win));
  app.on('before-quit', (e) => {
    quitting = true;
    if (closed) return;
    e.preventDefault();
    closed = true;
    host
      .close()
      .catch((err: unknown) => d.log(`stopping the workspace failed: ${(err as Error).message}`))
      .finally(() => {
        tray.destroy();
        app.quit();
      });
  });

  await host.start();
  const snap = await dispatcher.dispatch('workspace:snapshot', undefined, 'desktop');
  if (snap.ok) tray.update(snap.value as WorkspaceSnapshotView);
  return { host, tray, window: win };
}
