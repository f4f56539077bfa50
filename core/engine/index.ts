// The copy engine's public surface.
export { CopyEngine, type EngineDeps } from './copy-engine.js';
export type {
  DriftAction,
  DriftItem,
  EngineCounters,
  EngineEvents,
  EngineSnapshot,
  ExecutionEvent,
  FollowerExitEvent,
  FollowerHaltResult,
  HaltReport,
  ReconcileReport,
} from './events.js';
export type { HaltOptions } from './kill-switch.js';
export type { ResumeMode, ResumePreview, ResumePreviewItem } from './resume.js';
export type { ConfirmedOrder, LinkStart } from './link-start.js';
export type { SyncApplyItem, SyncApplyResult, SyncFollower, SyncOrder, SyncRow, SyncSent, SyncView } from './sync-view.js';
export { plan, type Plan, type PlanInput, type PlanLeg, type PlanNote } from './planner.js';
export { quantityStep, sizeTarget, type SizeResult } from './sizing.js';
export { filterReason, inWindow, type FilterInput } from './filters.js';
export { afterExecution, type LeaderSymbolState } from './leader-book.js';
export type { GuardedAccount, RiskStatus } from './risk/risk-guard.js';
