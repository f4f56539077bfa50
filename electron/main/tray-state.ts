// Tray state and menu as pure functions of the workspace snapshot (what the icon shows, what the menu offers).
import type { WorkspaceSnapshotView } from '../../core/contract/snapshot.js';
import type { MenuItemSpec } from './electron-api.js';

export const TRAY_STATES = ['active', 'paused', 'halted', 'disconnected'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

/** Halted beats disconnected beats paused beats active: the icon shows the most urgent fact. */
export function trayStateOf(snap: WorkspaceSnapshotView | undefined): TrayState {
  if (!snap || snap.running === false) return 'disconnected';
  if (snap.trading.global === 'halted' || snap.breakers.some((b) => b.scope === 'global' && b.tripped)) return 'halted';
  const linked = new Set(snap.links.filter((l) => l.enabled).flatMap((l) => [l.leader, l.follower]));
  if (snap.accounts.some((a) => a.enabled && linked.has(a.id) && a.connection.status !== 'connected')) return 'disconnected';
  return snap.trading.global === 'paused' ? 'paused' : 'active';
}

export const followersHoldPositions = (snap: WorkspaceSnapshotView | undefined): boolean =>
  !!snap?.accounts.some((a) => a.role === 'follower' && a.positions.some((p) => !/^-?0(\.0+)?$/.test(p.qty)));

const HEADLINE: Record<TrayState, string> = {
  active: 'Copying is active',
  paused: 'Copying is paused',
  halted: 'HALTED by the kill switch',
  disconnected: 'A linked account is disconnected',
};

export function trayTooltip(state: TrayState, snap: WorkspaceSnapshotView | undefined): string {
  const tripped = snap?.breakers.filter((b) => b.tripped).length ?? 0;
  return `Mirrordesk: ${HEADLINE[state]}${tripped ? ` (${tripped} breaker${tripped > 1 ? 's' : ''} tripped)` : ''}`;
}

/** The slice of an engine:resume-preview answer the tray summarises. */
export interface ResumePreviewLike {
  readonly items: readonly { readonly followerAccountId: string; readonly orders: readonly unknown[] }[];
  readonly errors: readonly { readonly accountId: string; readonly message: string }[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line for the tray's resume question, e.g. "Bringing them in line now sends 3 orders on 2 followers.". */
export function resumeSummary(p: ResumePreviewLike): string {
  const withOrders = p.items.filter((i) => i.orders.length > 0);
  const orders = withOrders.reduce((n, i) => n + i.orders.length, 0);
  const followers = new Set(withOrders.map((i) => i.followerAccountId)).size;
  const head = orders === 0 ? 'Every follower is in line: nothing to send.' : `Bringing them in line now sends ${plural(orders, 'order')} on ${plural(followers, 'follower')}.`;
  const unread = p.errors.map((e) => `${e.accountId} could not be read (${e.message}).`);
  return [head, ...unread].join(' ');
}

export interface TrayActions {
  pause(): void;
  resume(): void;
  halt(): void;
  haltAndFlatten(): void;
  openDashboard(): void;
  toggleLaunchAtLogin(): void;
  quit(): void;
}

export function trayMenu(snap: WorkspaceSnapshotView | undefined, launchAtLogin: boolean, a: TrayActions): MenuItemSpec[] {
  const state = trayStateOf(snap);
  const global = snap?.trading.global;
  const running = snap !== undefined;
  const items: MenuItemSpec[] = [{ id: 'status', label: trayTooltip(state, snap), enabled: false }, { type: 'separator' }];
  if (global === 'halted') items.push({ id: 'resume', label: 'Resume copying after the kill switch…', enabled: running, click: a.resume });
  else if (global === 'paused') items.push({ id: 'start', label: 'Resume copying…', enabled: running, click: a.resume });
  else items.push({ id: 'pause', label: 'Pause copying', enabled: running, click: a.pause });
  items.push(
    { id: 'halt', label: 'Kill switch: halt and cancel follower orders', enabled: running, click: a.halt },
    { id: 'halt-flatten', label: 'Kill switch: halt and flatten followers…', enabled: running, click: a.haltAndFlatten },
    { type: 'separator' },
    { id: 'open', label: 'Open dashboard', click: a.openDashboard },
    { id: 'login', label: 'Launch at login (starts paused)', type: 'checkbox', checked: launchAtLogin, click: a.toggleLaunchAtLogin },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Mirrordesk', click: a.quit },
  );
  return items;
}
