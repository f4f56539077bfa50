// Trading-state commands of the AppHost: pause and resume (with the resume's alignment mode), the resume preview, the
// kill switch, the breaker reset and a reconcile on request, each checked, audited and run through the command queue.
import { ValidationError } from '../domain/errors.js';
import type { Scope } from '../domain/trading-state.js';
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import type { CopyEngine, HaltReport, ResumeMode, ResumePreview } from '../engine/index.js';
import type { CommandQueue } from './command-queue.js';

export interface TradingCommandDeps {
  readonly queue: CommandQueue;
  readonly workspace: () => WorkspaceConfig;
  /** The engine while the workspace runs; throws a ValidationError when it does not. */
  readonly running: () => CopyEngine;
  readonly audit: (actor: string, action: string, details?: Record<string, unknown>) => void;
}

export interface HaltRequest {
  readonly scope: Scope;
  readonly cancelOpenOrders: boolean;
  readonly flattenPositions: boolean;
  readonly actor: string;
}

export class TradingCommands {
  constructor(private readonly d: TradingCommandDeps) {}

  /**
   * Pause or resume a scope. A resume may say how followers come back in line: 'align' sends the orders that bring
   * each resumed follower to its target now (see resumePreview), 'new_only' leaves their current positions alone and
   * copies new leader trades only; without a mode each link's reconcile policy decides. The choice is audited.
   */
  setTradingState(scope: Scope, state: 'active' | 'paused', actor: string, mode?: ResumeMode): Promise<void> {
    return this.d.queue.run(async () => {
      this.checkScope(scope);
      const engine = this.d.running();
      this.d.audit(actor, state === 'active' ? 'resume' : 'pause', { scope, ...(mode && state === 'active' ? { mode } : {}) });
      if (state === 'active' && mode) await engine.resume(scope, actor, mode);
      else engine.setTradingState(scope, state, actor);
    });
  }

  /** The orders a resume with mode 'align' would send now, per follower of the scope (a dry plan: nothing is sent). */
  resumePreview(scope: Scope): Promise<ResumePreview> {
    return this.d.queue.run(() => {
      this.checkScope(scope);
      return this.d.running().resumePreview(scope);
    });
  }

  /**
   * Kill switch: the scope is halted at once (persisted, before anything queued ahead of it runs), then the waiting,
   * cancels, flattening and sweep run as a queued command and the per-follower report is returned.
   */
  async halt(req: HaltRequest): Promise<HaltReport> {
    this.checkScope(req.scope);
    const engine = this.d.running();
    this.d.audit(req.actor, 'halt', { scope: req.scope, cancelOpenOrders: req.cancelOpenOrders, flatten: req.flattenPositions });
    engine.markHalted({ ...req, reason: 'kill switch' });
    return this.d.queue.run(() => engine.halt({ ...req, reason: 'kill switch' }, true));
  }

  resetBreaker(scope: Scope, actor: string): Promise<void> {
    return this.d.queue.run(() => {
      this.checkScope(scope);
      const engine = this.d.running();
      this.d.audit(actor, 'reset-breaker', { scope });
      engine.resetBreaker(scope, actor);
    });
  }

  reconcileNow(actor: string): Promise<void> {
    return this.d.queue.run(async () => {
      const engine = this.d.running();
      this.d.audit(actor, 'reconcile');
      await engine.reconcileNow(`requested by ${actor}`);
    });
  }

  private checkScope(scope: Scope): void {
    if (scope !== 'global' && !this.d.workspace().links.some((l) => l.follower === scope)) {
      throw new ValidationError('scope', `"${scope}" is not a follower`);
    }
  }
}
