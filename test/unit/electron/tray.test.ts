// Tray: icon and menu for each state, commands through the dispatcher, quit asks when followers hold positions.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { ValidationError } from '../../../core/domain/errors.js';
import type { WorkspaceSnapshotView } from '../../../core/contract/snapshot.js';
import { TrayController } from '../../../electron/main/tray.js';
import { trayStateOf, TRAY_STATES } from '../../../electron/main/tray-state.js';
import { FakeElectron } from '../../support/fake-electron.js';
import { createFakeHost } from '../contract/fake-host.js';

type Acct = WorkspaceSnapshotView['accounts'][number];
const account = (id: string, role: Acct['role'], extra: Partial<Acct> = {}): Acct => ({
  id,
  label: id,
  broker: 'sim',
  environment: 'paper',
  role,
  enabled: true,
  hasCredentials: true,
  connection: { status: 'connected' },
  positions: [],
  tradingState: 'active',
  ...extra,
});

function snap(global: 'active' | 'paused' | 'halted', extra: { followerStatus?: 'connected' | 'reconnecting'; followerQty?: string } = {}): WorkspaceSnapshotView {
  return {
    accounts: [
      account('lead', 'leader'),
      account('f1', 'follower', {
        connection: { status: extra.followerStatus ?? 'connected' },
        positions: extra.followerQty ? [{ symbol: 'MES', qty: extra.followerQty }] : [],
      }),
    ],
    links: [{ id: 'lead->f1', leader: 'lead', follower: 'f1', enabled: true, sizing: { mode: 'multiplier', value: '1' } }],
    trading: { global, followers: {} },
    breakers: [],
    armed: true,
    counters: { copies: 0, rejects: 0, unknown: 0, alertsUnread: 0 },
    demo: false,
  };
}

function setup() {
  const electron = new FakeElectron();
  const host = createFakeHost();
  const opened: number[] = [];
  const quits: number[] = [];
  let login = false;
  const tray = new TrayController({
    api: electron,
    dispatcher: createDispatcher(host),
    resourcesDir: '/res',
    openDashboard: () => opened.push(1),
    quit: () => quits.push(1),
    launchAtLogin: { get: () => login, set: (on) => void (login = on) },
  });
  return { electron, host, tray, fake: electron.trays[0]!, opened, quits };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('tray', () => {
  it('shows one icon per state and the matching menu', () => {
    const { tray, fake } = setup();
    expect(fake.image).toBe('/res/tray-disconnected.png');
    const cases: [WorkspaceSnapshotView, string, string][] = [
      [snap('active'), 'active', 'pause'],
      [snap('paused'), 'paused', 'start'],
      [snap('halted'), 'halted', 'resume'],
      [snap('active', { followerStatus: 'reconnecting' }), 'disconnected', 'pause'],
    ];
    for (const [s, state, toggle] of cases) {
      tray.update(s);
      expect(tray.current).toBe(state);
      expect(fake.image).toBe(`/res/tray-${state}.png`);
      expect(fake.tooltip).toMatch(/^Mirrordesk: /);
      expect(fake.item(toggle)?.enabled).toBe(true);
      expect(['pause', 'start', 'resume'].filter((id) => fake.item(id))).toEqual([toggle]);
      expect(fake.menu.map((i) => i.id).filter(Boolean)).toEqual(['status', toggle, 'halt', 'halt-flatten', 'open', 'login', 'quit']);
    }
    expect(TRAY_STATES.map((s) => `/res/tray-${s}.png`)).toEqual(expect.arrayContaining([...new Set(fake.images)]));
    expect(trayStateOf({ ...snap('active'), breakers: [{ scope: 'global', tripped: true }] })).toBe('halted');
    expect(trayStateOf({ ...snap('active'), running: false })).toBe('disconnected');
    const menu = fake.menu;
    tray.update(snap('active', { followerStatus: 'reconnecting' }));
    expect(fake.menu).toBe(menu);
  });

  it('runs menu commands through the dispatcher as the tray', async () => {
    const { tray, fake, host, electron } = setup();
    tray.update(snap('active'));
    fake.item('pause')!.click!();
    await settle();
    expect(host.audit.at(-1)).toEqual({ actor: 'tray', action: 'state global paused' });
    fake.item('halt')!.click!();
    await settle();
    expect(host.audit.at(-1)).toEqual({ actor: 'tray', action: 'halt' });
    electron.confirmAnswers = [false];
    fake.item('halt-flatten')!.click!();
    await settle();
    expect(electron.confirms.at(-1)?.confirmLabel).toBe('Halt and flatten');
    expect(host.audit.length).toBe(2);
    tray.update(snap('halted'));
    electron.choiceAnswers = ['Copy new trades only'];
    fake.item('resume')!.click!();
    await settle();
    expect(host.audit.at(-1)).toEqual({ actor: 'tray', action: 'state global active new_only' });
    fake.item('login')!.click!();
    expect(fake.item('login')?.checked).toBe(true);
  });

  it('issue 9 #13: the tray resume shows a summary of the preview and resumes with the chosen mode, or not at all', async () => {
    const { tray, fake, host, electron } = setup();
    const order = (side: string, qty: string) => ({ side, qty });
    const item = (follower: string, symbol: string, orders: ReturnType<typeof order>[]) => ({ linkId: `lead->${follower}`, followerAccountId: follower, symbol, position: '0', target: '1', orders });
    host.preview = { scope: 'global', at: 1, items: [item('f1', 'MES', [order('buy', '2')]), item('f1', 'AAPL', [order('sell', '10')]), item('f2', 'MES', [order('buy', '1')])], errors: [] };
    tray.update(snap('halted'));
    const audits = host.audit.length;

    fake.item('resume')!.click!();
    await settle();
    const asked = electron.choices.at(-1)!;
    expect(asked.choices).toEqual(['Bring in line now', 'Copy new trades only']);
    expect(asked.detail).toMatch(/^Bringing them in line now sends 3 orders on 2 followers\./);
    expect(host.audit.length).toBe(audits);

    electron.choiceAnswers = ['Bring in line now'];
    fake.item('resume')!.click!();
    await settle();
    expect(host.audit.at(-1)).toEqual({ actor: 'tray', action: 'state global active align' });

    // Paused: the same question; a follower in line and one that could not be read are said so.
    tray.update(snap('paused'));
    host.preview = { scope: 'global', at: 2, items: [], errors: [{ accountId: 'f2', message: 'connection refused' }] };
    electron.choiceAnswers = ['Copy new trades only'];
    fake.item('start')!.click!();
    await settle();
    expect(electron.choices.at(-1)?.detail).toBe('Every follower is in line: nothing to send. f2 could not be read (connection refused).');
    expect(host.audit.at(-1)).toEqual({ actor: 'tray', action: 'state global active new_only' });

    // No preview: only "Copy new trades only" is offered, and the reason is shown.
    host.preview = new ValidationError('engine', 'the engine is not running');
    const count = host.audit.length;
    fake.item('start')!.click!();
    await settle();
    expect(electron.choices.at(-1)).toMatchObject({ choices: ['Copy new trades only'], detail: expect.stringContaining('the engine is not running') });
    expect(host.audit.length).toBe(count);
  });

  it('notifies when a tray command fails', async () => {
    const { tray, fake, host, electron } = setup();
    tray.update(snap('active'));
    host.failNext(new Error('boom'));
    fake.item('pause')!.click!();
    await settle();
    expect(electron.notifications.at(-1)?.title).toBe('Mirrordesk: command failed');
  });

  it('asks before quitting while followers hold positions', async () => {
    const { tray, fake, electron, quits } = setup();
    tray.update(snap('active', { followerQty: '0' }));
    fake.item('quit')!.click!();
    await settle();
    expect(electron.confirms).toEqual([]);
    expect(quits.length).toBe(1);
    tray.update(snap('active', { followerQty: '-3' }));
    electron.confirmAnswers = [false];
    fake.item('quit')!.click!();
    await settle();
    expect(electron.confirms.at(-1)?.message).toMatch(/open positions/);
    expect(quits.length).toBe(1);
    fake.item('quit')!.click!();
    await settle();
    expect(quits.length).toBe(2);
  });
});
