// The tray: icon and menu follow the snapshot; menu commands go through the same dispatcher as the dashboard.
import { join } from 'node:path';
import type { WorkspaceSnapshotView } from '../../core/contract/snapshot.js';
import type { Dispatcher } from '../../core/app/dispatcher.js';
import type { ElectronApi, TrayLike } from './electron-api.js';
import { followersHoldPositions, resumeSummary, trayMenu, trayStateOf, trayTooltip, type ResumePreviewLike, type TrayState } from './tray-state.js';

export const TRAY_ACTOR = 'tray';

export const trayIconPath = (resourcesDir: string, state: TrayState): string => join(resourcesDir, `tray-${state}.png`);

export interface TrayDeps {
  readonly api: Pick<ElectronApi, 'createTray' | 'confirm' | 'choose' | 'notify'>;
  readonly dispatcher: Dispatcher;
  readonly resourcesDir: string;
  readonly openDashboard: () => void;
  readonly quit: () => void;
  readonly launchAtLogin: { get(): boolean; set(on: boolean): void };
}

export class TrayController {
  private readonly tray: TrayLike;
  private snap: WorkspaceSnapshotView | undefined;
  private state: TrayState | undefined;
  private menuKey = '';

  constructor(private readonly d: TrayDeps) {
    this.tray = d.api.createTray(trayIconPath(d.resourcesDir, 'disconnected'));
    this.tray.on('click', d.openDashboard);
    this.update(undefined);
  }

  get current(): TrayState {
    return trayStateOf(this.snap);
  }

  update(snap: WorkspaceSnapshotView | undefined): void {
    this.snap = snap;
    const state = trayStateOf(snap);
    if (state !== this.state) this.tray.setImage(trayIconPath(this.d.resourcesDir, state));
    this.state = state;
    const tooltip = trayTooltip(state, snap);
    const menu = trayMenu(snap, this.d.launchAtLogin.get(), this.actions);
    const key = JSON.stringify([tooltip, menu]);
    if (key === this.menuKey) return;
    this.menuKey = key;
    this.tray.setToolTip(tooltip);
    this.tray.setMenu(menu);
  }

  destroy(): void {
    this.tray.destroy();
  }

  private async run(channel: 'engine:pause' | 'engine:resume' | 'engine:halt', payload?: unknown): Promise<void> {
    const r = await this.d.dispatcher.dispatch(channel, payload, TRAY_ACTOR);
    if (!r.ok) this.d.api.notify({ title: 'Mirrordesk: command failed', body: r.error.message }, this.d.openDashboard);
  }

  private readonly actions = {
    pause: () => void this.run('engine:pause'),
    halt: () => void this.run('engine:halt', { cancelOpenOrders: true, flattenPositions: false }),
    // After a halt or a pause: bring the followers in line now (the preview's orders) or copy new trades only.
    resume: async () => {
      const preview = await this.d.dispatcher.dispatch('engine:resume-preview', { scope: 'global' }, TRAY_ACTOR);
      const modes = preview.ok ? (['align', 'new_only'] as const) : (['new_only'] as const);
      const choice = await this.d.api.choose({
        title: 'Resume copying',
        message: 'Resume copying: bring every follower in line with the leader now, or copy new leader trades only?',
        detail: preview.ok ? resumeSummary(preview.value as ResumePreviewLike) : `What a resume would send could not be worked out: ${preview.error.message}`,
        choices: modes.map((m) => (m === 'align' ? 'Bring in line now' : 'Copy new trades only')),
      });
      const mode = choice === undefined ? undefined : modes[choice];
      if (mode) await this.run('engine:resume', { scope: 'global', mode });
    },
    haltAndFlatten: async () => {
      const yes = await this.d.api.confirm({
        title: 'Kill switch',
        message: 'Halt copying, cancel follower orders and close every follower position at market?',
        confirmLabel: 'Halt and flatten',
      });
      if (yes) await this.run('engine:halt', { cancelOpenOrders: true, flattenPositions: true });
    },
    openDashboard: () => this.d.openDashboard(),
    toggleLaunchAtLogin: () => {
      this.d.launchAtLogin.set(!this.d.launchAtLogin.get());
      this.update(this.snap);
    },
    quit: async () => {
      if (followersHoldPositions(this.snap)) {
        const yes = await this.d.api.confirm({
          title: 'Quit Mirrordesk',
          message: 'Followers still hold open positions. Quit anyway?',
          detail: 'While Mirrordesk is closed, leader trades are not copied and follower positions are not managed.',
          confirmLabel: 'Quit',
        });
        if (!yes) return;
      }
      this.d.quit();
    },
  };
}
