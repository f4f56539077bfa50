// The dashboard window: sandboxed and locked down; closing hides it to the tray unless the app is quitting.
import type { ElectronApi, WindowLike } from './electron-api.js';

export interface MainWindowOptions {
  readonly preload: string;
  /** The dev server URL, or the built renderer's index.html. */
  readonly devServerUrl?: string;
  readonly indexHtml: string;
  readonly icon?: string;
  readonly isQuitting: () => boolean;
  /** Starts hidden in the tray (launch at login). */
  readonly startHidden: boolean;
}

export function createMainWindow(api: Pick<ElectronApi, 'createWindow'>, o: MainWindowOptions): WindowLike {
  const win = api.createWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Mirrordesk',
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: {
      preload: o.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.on('close', (e) => {
    if (o.isQuitting()) return;
    e.preventDefault();
    win.hide();
  });
  win.on('ready-to-show', () => {
    if (!o.startHidden) win.show();
  });
  void (o.devServerUrl ? win.loadURL(o.devServerUrl) : win.loadFile(o.indexHtml));
  return win;
}

export function revealWindow(win: WindowLike | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
