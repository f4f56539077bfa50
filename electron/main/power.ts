// Desktop sleep: holds a power-save blocker ('prevent-app-suspension') while copying is active, releases it when
// copying is paused, halted or stopped and at quit; on resume from sleep every account reconnects and is read again
// before anything re-arms (host.resumeFromSleep), and the person is told.

/** The slice of Electron's powerSaveBlocker and powerMonitor this module uses (index.ts adapts the real ones). */
export interface PowerApi {
  startBlocker(type: 'prevent-app-suspension'): number;
  stopBlocker(id: number): void;
  /** powerMonitor events: 'resume' after sleep; 'suspend' when the machine is about to sleep. */
  onPower(event: 'resume' | 'suspend', fn: () => void): void;
}

export interface PowerHost {
  snapshot(): { readonly running: boolean; readonly trading: { readonly global: string } };
  on(event: 'state', fn: (change: { scope: string; state: string }) => void): () => void;
  resumeFromSleep(): Promise<{ accounts: number }>;
}

export class PowerController {
  private blocker: number | undefined;
  private readonly off: () => void;
  private disposed = false;

  constructor(
    private readonly api: PowerApi,
    private readonly host: PowerHost,
    private readonly log: (line: string) => void,
  ) {
    this.off = host.on('state', () => this.update());
    api.onPower('suspend', () => this.log('power: the machine is going to sleep'));
    api.onPower('resume', () => void this.resume());
    this.update();
  }

  /** True while the blocker is held. */
  get holding(): boolean {
    return this.blocker !== undefined;
  }

  /** Holds the blocker while the workspace runs with copying active; releases it otherwise. */
  update(): void {
    if (this.disposed) return;
    const snap = this.host.snapshot();
    const copying = snap.running && snap.trading.global === 'active';
    if (copying && this.blocker === undefined) {
      this.blocker = this.api.startBlocker('prevent-app-suspension');
      this.log('power: copying is active; app suspension is blocked');
    } else if (!copying) this.release();
  }

  /** Quit: the blocker goes and no more resume handling. */
  dispose(): void {
    this.release();
    this.off();
    this.disposed = true;
  }

  private release(): void {
    if (this.blocker === undefined) return;
    this.api.stopBlocker(this.blocker);
    this.blocker = undefined;
    this.log('power: copying is not active; app suspension is allowed');
  }

  private async resume(): Promise<void> {
    if (this.disposed) return;
    try {
      const { accounts } = await this.host.resumeFromSleep();
      this.log(`power: resumed from sleep; ${accounts} accounts reconnected and read again before re-arming`);
    } catch (err) {
      this.log(`power: reconnecting after sleep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.update();
  }
}
