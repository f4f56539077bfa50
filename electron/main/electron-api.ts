// The slice of Electron the main process uses, as plain interfaces: index.ts adapts real Electron, tests use a fake.
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  readonly mainFrame: FrameLike;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', fn: (e: PreventableEvent, url?: string) => void): void;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: 'deny' }): void;
}

export interface WindowOptions {
  readonly width: number;
  readonly height: number;
  readonly show: boolean;
  readonly title: string;
  readonly icon?: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly sandbox: true;
    readonly contextIsolation: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly webviewTag: false;
    readonly spellcheck: false;
  };
}

export interface WindowLike {
  readonly webContents: WebContentsLike;
  on(event: 'close', fn: (e: PreventableEvent) => void): void;
  on(event: 'ready-to-show' | 'closed', fn: () => void): void;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  loadFile(path: string): Promise<void>;
}

export interface MenuItemSpec {
  readonly id?: string;
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'checkbox';
  readonly enabled?: boolean;
  readonly checked?: boolean;
  readonly click?: () => void;
}

export interface TrayLike {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  /** The adapter builds a native menu from the template. */
  setMenu(template: readonly MenuItemSpec[]): void;
  on(event: 'click', fn: () => void): void;
  destroy(): void;
}

export interface ConfirmOptions {
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  readonly confirmLabel: string;
}

export interface ChoiceOptions {
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  /** Button labels; a Cancel button is added after them. */
  readonly choices: readonly string[];
}

export interface AppLike {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', fn: () => void): void;
  on(event: 'before-quit', fn: (e: PreventableEvent) => void): void;
  on(event: 'web-contents-created', fn: (e: unknown, contents: WebContentsLike) => void): void;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

export type HeadersCallback = (response: { responseHeaders: Record<string, string[]> }) => void;

export interface SessionLike {
  setPermissionRequestHandler(fn: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(fn: () => boolean): void;
  onHeadersReceived(fn: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: HeadersCallback) => void): void;
}

export interface IpcMainLike {
  handle(channel: string, fn: (event: { senderFrame: FrameLike | null }, payload: unknown) => Promise<unknown>): void;
}

export interface ElectronApi {
  readonly app: AppLike;
  readonly ipcMain: IpcMainLike;
  readonly session: SessionLike;
  openExternal(url: string): Promise<void>;
  createWindow(opts: WindowOptions): WindowLike;
  createTray(iconPath: string): TrayLike;
  notify(opts: { title: string; body: string }, onClick: () => void): void;
  /** Resolves true when the person chose the confirm button. */
  confirm(opts: ConfirmOptions): Promise<boolean>;
  /** Resolves the index of the chosen button in `choices`, or undefined for Cancel. */
  choose(opts: ChoiceOptions): Promise<number | undefined>;
}
