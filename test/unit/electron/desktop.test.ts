// runDesktop on the fake Electron API: lock before any broker, startup order, start paused at login, clean quit.
import { describe, expect, it } from 'vitest';
import type { TradingStateChange } from '../../../core/domain/trading-state.js';
import { runDesktop, type DesktopDeps, type DesktopHost } from '../../../electron/main/desktop.js';
import { LOGIN_ARG } from '../../../electron/main/login-item.js';
import { INVOKE_CHANNEL_NAMES } from '../../../core/contract/channel-names.js';
import { FakeElectron } from '../../support/fake-electron.js';
import { createFakeHost } from '../contract/fake-host.js';

function deps(e: FakeElectron, argv: string[] = []) {
  const events: string[] = [];
  const saved: TradingStateChange[] = [];
  const d: DesktopDeps = {
    api: e,
    argv,
    env: {},
    platform: 'linux',
    paths: { preload: '/app/out/preload/index.cjs', indexHtml: '/opt/mirrordesk/out/renderer/index.html', resourcesDir: '/app/resources' },
    async openHost(o) {
      events.push(`open ${o.dataDir} ${o.secrets.kind}`);
      const fake = createFakeHost();
      const host: DesktopHost = Object.assign(fake, {
        journal: {
          queries: fake.journal.queries,
          tradingStates: () => new Map(),
          saveTradingState: (c: TradingStateChange) => void saved.push(c),
        },
        start: async () => void events.push('start'),
        close: async () => void events.push('close'),
      });
      return host;
    },
    now: () => 42,
    log: (line) => events.push(`log ${line}`),
  };
  return { d, events, saved };
}

describe('runDesktop', () => {
  it('never opens the workspace when another instance holds the lock', async () => {
    const e = new FakeElectron();
    e.app.lockAvailable = false;
    const { d, events } = deps(e);
    expect(await runDesktop(d)).toBeUndefined();
    expect(events).toEqual([]);
    expect(e.windows).toEqual([]);
    expect(e.app.quits).toBe(1);
  });

  it('starts the workspace with a window, IPC and a tray that follows the snapshot', async () => {
    const e = new FakeElectron();
    const { d, events, saved } = deps(e);
    const desk = await runDesktop(d);
    expect(desk).toBeDefined();
    expect(events[0]).toMatch(/^log secrets: memory/);
    expect(events.slice(1)).toEqual(['open /fake/user-data memory (kept until the app exits)', 'start']);
    expect(saved).toEqual([]);
    expect(e.handlers.size).toBe(INVOKE_CHANNEL_NAMES.length);
    expect(e.windows[0]!.loaded).toBe('/opt/mirrordesk/out/renderer/index.html');
    expect(e.trays[0]!.image).toBe('/app/resources/tray-active.png');
    const r = await e.invoke('engine:pause', { url: 'file:///opt/mirrordesk/out/renderer/index.html', parent: null });
    expect(r).toEqual({ ok: true, value: null });
    await new Promise((res) => setTimeout(res, 80));
    expect(e.trays[0]!.image).toBe('/app/resources/tray-paused.png');
    expect(e.windows[0]!.webContents.sent.map(([c]) => c)).toContain('engine:state-changed');
  });

  it('starts hidden and paused when launched at login, and closes the workspace on quit', async () => {
    const e = new FakeElectron();
    const { d, events, saved } = deps(e, ['electron', LOGIN_ARG]);
    await runDesktop(d);
    expect(saved).toEqual([{ scope: 'global', state: 'paused', reason: 'launched at login', actor: 'launch-at-login', time: 42 }]);
    e.windows[0]!.fire('ready-to-show');
    expect(e.windows[0]!.visible).toBe(false);
    expect(events.indexOf('start')).toBeGreaterThan(-1);
    e.app.quit();
    await new Promise((res) => setTimeout(res, 0));
    expect(events.at(-1)).toBe('close');
    expect(e.trays[0]!.destroyed).toBe(true);
    expect(e.app.quits).toBe(2);
  });
});
