// The dashboard's client state (zustand): connection, latest workspace snapshot, live ticks, P&L samples, toasts.
import { create } from 'zustand';
import type { ContractClient, EventOf, WorkspaceSnapshotView } from '../../core/contract/index.js';

export type LinkState = 'connecting' | 'open' | 'closed';
export type CopyEvent = EventOf<'copy:updated'>;

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'warning' | 'error' | 'critical';
  readonly text: string;
  /** A later toast with the same key replaces this one instead of stacking (and counts the repeat). */
  readonly key?: string;
  /** The alerts a critical toast stands for: acknowledging the toast acknowledges them. */
  readonly alertIds?: readonly string[];
}

export interface PnlPoint {
  readonly time: number;
  readonly value: number;
}

const MAX_PNL_POINTS = 2_000;
const MAX_TOASTS = 4;
let toastSeq = 0;

export interface DashState {
  link: LinkState;
  client: ContractClient | null;
  snapshot: WorkspaceSnapshotView | null;
  /** Bumped on every copy:updated event; lists refetch when it changes. */
  copyTick: number;
  lastCopy: CopyEvent | null;
  /** Bumped on every alerts:raised event and acknowledgement. */
  alertTick: number;
  /** Day P&L per account, sampled from snapshots (seconds, for the chart). */
  pnl: Record<string, PnlPoint[]>;
  toasts: Toast[];
  setLink(link: LinkState, client?: ContractClient | null): void;
  setSnapshot(snap: WorkspaceSnapshotView, nowMs: number): void;
  copyUpdated(ev: CopyEvent): void;
  alertsChanged(): void;
  /** Critical toasts stay until acknowledged; the others time out. */
  toast(kind: Toast['kind'], text: string, key?: string, alertId?: string): void;
  dismiss(id: number): void;
}

function samplePnl(prev: Record<string, PnlPoint[]>, snap: WorkspaceSnapshotView, nowMs: number): Record<string, PnlPoint[]> {
  const time = Math.floor(nowMs / 1000);
  const next: Record<string, PnlPoint[]> = { ...prev };
  for (const a of snap.accounts) {
    if (a.dayPnl === undefined) continue;
    const value = Number(a.dayPnl);
    const series = next[a.id] ?? [];
    const last = series[series.length - 1];
    if (last && last.time === time) next[a.id] = [...series.slice(0, -1), { time, value }];
    else next[a.id] = [...series, { time, value }].slice(-MAX_PNL_POINTS);
  }
  return next;
}

export const useDash = create<DashState>((set) => ({
  link: 'connecting',
  client: null,
  snapshot: null,
  copyTick: 0,
  lastCopy: null,
  alertTick: 0,
  pnl: {},
  toasts: [],
  setLink: (link, client) => set((s) => ({ link, client: client === undefined ? s.client : client })),
  setSnapshot: (snapshot, nowMs) => set((s) => ({ snapshot, pnl: samplePnl(s.pnl, snapshot, nowMs) })),
  copyUpdated: (ev) => set((s) => ({ copyTick: s.copyTick + 1, lastCopy: ev })),
  alertsChanged: () => set((s) => ({ alertTick: s.alertTick + 1 })),
  toast: (kind, text, key, alertId) =>
    set((s) => {
      const prev = key === undefined ? undefined : s.toasts.find((t) => t.key === key);
      const alertIds = [...(prev?.alertIds ?? []), ...(alertId ? [alertId] : [])];
      const next: Toast = {
        // A repeat keeps its toast's id: the element stays mounted, so its Acknowledge button can be clicked while repeats stream in.
        id: prev?.id ?? ++toastSeq, kind: prev?.kind === 'critical' ? 'critical' : kind, text, ...(key ? { key } : {}),
        ...(alertIds.length > 0 ? { alertIds } : {}),
      };
      const rest = s.toasts.filter((t) => key === undefined || t.key !== key);
      const critical = [...rest, next].filter((t) => t.kind === 'critical');
      const others = [...rest, next].filter((t) => t.kind !== 'critical').slice(-MAX_TOASTS);
      return { toasts: [...critical, ...others] };
    }),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
