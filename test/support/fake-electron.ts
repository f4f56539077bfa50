// A small recording fake of the Electron API slice the main process uses (electron/main/electron-api.ts).
import type {
  AppLike,
  ChoiceOptions,
  ConfirmOptions,
  ElectronApi,
  FrameLike,
  MenuItemSpec,
  PreventableEvent,
  SessionLike,
  TrayLike,
  WebContentsLike,
  WindowLike,
  WindowOptions,
} from '../../electron/main/electron-api.js';

type Fn = (...args: never[]) => unknown;

export class FakeEvent implements PreventableEvent {
  prevented = false;
  preventDefault(): void {
    this.prevented = true;
  }
}

class Emitter {
  readonly handlers = new Map<string, Fn[]>();
  on(event: string, fn: Fn): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  fire(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) (fn as (...a: unknown[]) => unknown)(...args);
  }
}

export class FakeWebContents extends Emitter implements WebContentsLike {
  readonly sent: [string, unknown][] = [];
  openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  destroyed = false;
  constructor(readonly mainFrame: FrameLike) {
    super();
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = fn;
  }
}

export class FakeWindow extends Emitter implements WindowLike {
  readonly webContents: FakeWebContents;
  visible = false;
  focused = 0;
  loaded: string | undefined;
  constructor(readonly options: WindowOptions, rendererUrl: string) {
    super();
    this.webContents = new FakeWebContents({ url: rendererUrl, parent: null });
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = path;
  }
  /** Simulates the user closing the window; returns whether the close was prevented. */
  userClose(): boolean {
    const e = new FakeEvent();
    this.fire('close', e);
    return e.prevented;
  }
}

export class FakeTray extends Emitter implements TrayLike {
  images: string[] = [];
  tooltip = '';
  menu: readonly MenuItemSpec[] = [];
  destroyed = false;
  constructor(icon: string) {
    super();
    this.images.push(icon);
  }
  setImage(p: string): void {
    this.images.push(p);
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setMenu(items: readonly MenuItemSpec[]): void {
    this.menu = items;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get image(): string {
    return this.images[this.images.length - 1]!;
  }
  item(id: string): MenuItemSpec | undefined {
    return this.menu.find((i) => i.id === id);
  }
}

export class FakeApp extends Emitter implements AppLike {
  lockAvailable = true;
  quits = 0;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false, args: [] as string[] };
  ready = Promise.resolve();
  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  quit(): void {
    this.quits++;
    const e = new FakeEvent();
    this.fire('before-quit', e);
  }
  whenReady(): Promise<unknown> {
    return this.ready;
  }
  getPath(): string {
    return '/fake/user-data';
  }
  setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }): void {
    this.loginItem = { ...this.loginItem, openAtLogin: s.openAtLogin, args: s.args ?? [] };
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean } {
    return this.loginItem;
  }
}

export class FakeSession implements SessionLike {
  permissionRequest: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
  permissionCheck: (() => boolean) | undefined;
  headers: Parameters<SessionLike['onHeadersReceived']>[0] | undefined;
  setPermissionRequestHandler(fn: (c: unknown, p: string, cb: (g: boolean) => void) => void): void {
    this.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn: () => boolean): void {
    this.permissionCheck = fn;
  }
  onHeadersReceived(fn: Parameters<SessionLike['onHeadersReceived']>[0]): void {
    this.headers = fn;
  }
}

export class FakeElectron implements ElectronApi {
  readonly app = new FakeApp();
  readonly session = new FakeSession();
  readonly handlers = new Map<string, (event: { senderFrame: FrameLike | null }, payload: unknown) => Promise<unknown>>();
  readonly ipcMain = { handle: (channel: string, fn: (event: { senderFrame: FrameLike | null }, payload: unknown) => Promise<unknown>) => void this.handlers.set(channel, fn) };
  readonly windows: FakeWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly notifications: { title: string; body: string; click: () => void }[] = [];
  readonly confirms: ConfirmOptions[] = [];
  readonly external: string[] = [];
  /** Answers for the next confirm dialogs (default: confirm). */
  confirmAnswers: boolean[] = [];
  readonly choices: ChoiceOptions[] = [];
  /** Answers for the next choice dialogs: the chosen button's label, or 'Cancel' (default). */
  choiceAnswers: string[] = [];

  constructor(private readonly rendererUrl = 'file:///opt/mirrordesk/out/renderer/index.html') {}

  async openExternal(url: string): Promise<void> {
    this.external.push(url);
  }
  createWindow(opts: WindowOptions): FakeWindow {
    const w = new FakeWindow(opts, this.rendererUrl);
    this.windows.push(w);
    return w;
  }
  createTray(icon: string): FakeTray {
    const t = new FakeTray(icon);
    this.trays.push(t);
    return t;
  }
  notify(opts: { title: string; body: string }, onClick: () => void): void {
    this.notifications.push({ ...opts, click: onClick });
  }
  async confirm(opts: ConfirmOptions): Promise<boolean> {
    this.confirms.push(opts);
    return this.confirmAnswers.shift() ?? true;
  }
  async choose(opts: ChoiceOptions): Promise<number | undefined> {
    this.choices.push(opts);
    const i = opts.choices.indexOf(this.choiceAnswers.shift() ?? 'Cancel');
    return i < 0 ? undefined : i;
  }
  /** Invokes a registered IPC channel as if sent from `frame`. */
  invoke(channel: string, frame: FrameLike | null, payload?: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h({ senderFrame: frame }, payload);
  }
}

/** Electron's powerSaveBlocker and powerMonitor (electron/main/power.ts PowerApi): held blockers and firable events. */
export class FakePower extends Emitter {
  private next = 1;
  readonly held = new Set<number>();
  readonly started: string[] = [];
  startBlocker(type: 'prevent-app-suspension'): number {
    this.started.push(type);
    this.held.add(this.next);
    return this.next++;
  }
  stopBlocker(id: number): void {
    if (!this.held.delete(id)) throw new Error(`blocker ${id} is not held`);
  }
  onPower(event: 'resume' | 'suspend', fn: () => void): void {
    this.on(event, fn);
  }
}
