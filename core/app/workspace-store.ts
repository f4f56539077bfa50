// Persists the workspace (accounts, links, risk; never secrets) in the journal database so a restart resumes it.
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import { parseConfig } from './config-file.js';
import type { PositionView } from './snapshot.js';

export interface MetaStore {
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

const WORKSPACE_KEY = 'workspace';
const POSITIONS_KEY = 'positions';
const DEMO_KEY = 'demo';

export const emptyWorkspace = (): WorkspaceConfig => parseConfig({ accounts: [] });

export function loadWorkspace(meta: MetaStore): WorkspaceConfig | undefined {
  const text = meta.getMeta(WORKSPACE_KEY);
  return text === undefined ? undefined : parseConfig(JSON.parse(text), 'stored workspace');
}

export function saveWorkspace(meta: MetaStore, ws: WorkspaceConfig): void {
  meta.setMeta(WORKSPACE_KEY, JSON.stringify(ws));
}

export const isDemo = (meta: MetaStore): boolean => meta.getMeta(DEMO_KEY) === 'true';
export const setDemo = (meta: MetaStore, demo: boolean): void => meta.setMeta(DEMO_KEY, String(demo));

/** The last broker-reported positions per account, saved by the running app (status reads them). */
export interface SavedPositions {
  readonly savedAt: number;
  readonly accounts: Readonly<Record<string, readonly PositionView[]>>;
}

export function savePositions(meta: MetaStore, saved: SavedPositions): void {
  meta.setMeta(POSITIONS_KEY, JSON.stringify(saved));
}

export function loadPositions(meta: MetaStore): SavedPositions | undefined {
  const text = meta.getMeta(POSITIONS_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as SavedPositions);
}
