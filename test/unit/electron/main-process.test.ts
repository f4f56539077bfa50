// Electron main modules on the fake API: single-instance lock, IPC sender checks, notifications, window security.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { alertId } from '../../../core/domain/ids.js';
import type { Alert } from '../../../core/domain/alert.js';
import { registerIpc } from '../../../electron/main/ipc.js';
import { DesktopNotifier } from '../../../electron/main/notifications.js';
import { createSenderCheck, hardenSession, hardenWebContents, isSafeExternalUrl } from '../../../electron/main/security.js';
import { acquireSingleInstance } from '../../../electron/main/single-instance.js';
import { createMainWindow } from '../../../electron/main/window.js';
import { INVOKE_CHANNEL_NAMES } from '../../../core/contract/channel-names.js';
import { FakeElectron, FakeEvent, FakeWebContents } from '../../support/fake-electron.js';
import { createFakeHost } from '../contract/fake-host.js';

const BASE = 'file:///opt/mirrordesk/out/renderer/';

describe('single-instance lock', () => {
  it('quits when another instance holds the lock', () => {
    const e = new FakeElectron();
    e.app.lockAvailable = false;
    expect(acquireSingleInstance(e.app, () => undefined)).toBe(false);
    expect(e.app.quits).toBe(1);
  });

  it('focuses the running instance on a second launch', () => {
    const e = new FakeElectron();
    const focused: number[] = [];
    expect(acquireSingleInstance(e.app, () => focused.push(1))).toBe(true);
    e.app.fire('second-instance');
    expect(focused).toEqual([1]);
  });
});

describe('IPC registration', () => {
  function setup() {
    const e = new FakeElectron();
    const host = createFakeHost();
    const refused: string[] = [];
    registerIpc(e.ipcMain, createDispatcher(host), createSenderCheck(BASE), (channel, url) => refused.push(`${channel} ${url}`));
    return { e, host, refused };
  }

  it('registers exactly the contract channels and serves our window', async () => {
    const { e, host } = setup();
    expect(e.handlers.size).toBe(INVOKE_CHANNEL_NAMES.length);
    const r = await e.invoke('engine:pause', { url: `${BASE}index.html`, parent: null }, {});
    expect(r).toEqual({ ok: true, value: null });
    expect(host.audit).toEqual([{ actor: 'desktop', action: 'state global paused' }]);
  });

  it('refuses foreign sender frames without reaching the host', async () => {
    const { e, host, refused } = setup();
    const before = host.state();
    const top = { url: `${BASE}index.html`, parent: null };
    const frames = [
      null,
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/evil.html', parent: null },
      { url: `${BASE}index.html`, parent: top },
      { url: 'not a url', parent: null },
    ];
    for (const frame of frames) {
      const r = await e.invoke('engine:halt', frame, { flattenPositions: true });
      expect(r).toEqual({ ok: false, error: { code: 'unauthorized', message: 'refused: the request did not come from the Mirrordesk window', retryable: false } });
    }
    expect(refused.length).toBe(frames.length);
    expect(host.state()).toBe(before);
  });

  it('trusts only the dev server origin in development', () => {
    const check = createSenderCheck('http://localhost:5173/');
    expect(check({ url: 'http://localhost:5173/#/copies', parent: null })).toBe(true);
    expect(check({ url: 'http://localhost:5174/', parent: null })).toBe(false);
    expect(check({ url: 'file:///opt/mirrordesk/out/renderer/index.html', parent: null })).toBe(false);
  });
});

describe('notifications', () => {
  const alert = (code: Alert['code'], severity: Alert['severity'] = 'critical', accountId?: string): Alert =>
    ({ id: alertId(`a-${code}`), time: 1, code, severity, message: `${code} happened`, acknowledged: false, ...(accountId ? { accountId } : {}) }) as Alert;

  it('shows a notification on a breaker trip that opens the dashboard when clicked', () => {
    const e = new FakeElectron();
    const opened: number[] = [];
    let now = 0;
    const n = new DesktopNotifier(e, () => opened.push(1), () => now);
    n.notify(alert('breaker_tripped'));
    expect(e.notifications).toHaveLength(1);
    expect(e.notifications[0]).toMatchObject({ title: 'Mirrordesk: Circuit breaker tripped', body: 'breaker_tripped happened' });
    e.notifications[0]!.click();
    expect(opened).toEqual([1]);
    n.notify(alert('breaker_tripped'));
    expect(e.notifications).toHaveLength(1);
    now = 10_001;
    n.notify(alert('breaker_tripped'));
    expect(e.notifications).toHaveLength(2);
  });

  it('covers halts, rejects, disconnects and drift, and ignores routine alerts', () => {
    const e = new FakeElectron();
    const n = new DesktopNotifier(e, () => undefined, () => 0);
    for (const code of ['halted', 'order_rejected', 'disconnected', 'drift'] as const) n.notify(alert(code, 'warning', 'f1'));
    n.notify(alert('disconnected', 'warning', 'f2'));
    n.notify(alert('filtered', 'info'));
    n.notify(alert('reconnected', 'info'));
    expect(e.notifications.map((x) => x.title)).toEqual([
      'Mirrordesk: Copying halted',
      'Mirrordesk: Copy rejected',
      'Mirrordesk: Account disconnected',
      'Mirrordesk: Position drift',
      'Mirrordesk: Account disconnected',
    ]);
  });
});

describe('window and web security', () => {
  it('creates a locked-down window that hides to the tray on close', () => {
    const e = new FakeElectron();
    let quitting = false;
    const win = createMainWindow(e, { preload: '/p/index.cjs', indexHtml: '/r/index.html', isQuitting: () => quitting, startHidden: false });
    expect(e.windows[0]!.options.webPreferences).toEqual({
      preload: '/p/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    e.windows[0]!.fire('ready-to-show');
    expect(e.windows[0]!.visible).toBe(true);
    expect(e.windows[0]!.userClose()).toBe(true);
    expect(e.windows[0]!.visible).toBe(false);
    quitting = true;
    expect(e.windows[0]!.userClose()).toBe(false);
    expect(win).toBe(e.windows[0]);
  });

  it('denies navigation, new windows and permissions; opens only https links externally', () => {
    const e = new FakeElectron();
    const wc = new FakeWebContents({ url: BASE, parent: null });
    hardenWebContents(wc, e);
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const x = new FakeEvent();
      wc.fire(ev, x, 'https://evil.example');
      expect(x.prevented, ev).toBe(true);
    }
    for (const url of ['https://docs.example.com/x', 'http://plain.example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@bank.example.com', 'https://localhost/']) {
      expect(wc.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(e.external).toEqual(['https://docs.example.com/x']);
    expect(isSafeExternalUrl('https://topstepx.com/')).toBe(true);

    hardenSession(e.session);
    const granted: boolean[] = [];
    e.session.permissionRequest!(null, 'media', (g) => granted.push(g));
    expect(granted).toEqual([false]);
    expect(e.session.permissionCheck!()).toBe(false);
    let headers: Record<string, string[]> = {};
    e.session.headers!({ url: BASE, responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy']![0]).not.toContain('unsafe-inline');
  });
});
