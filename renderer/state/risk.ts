// The dashboard's risk state (zustand): each account's risk view from risk:status, kept current by risk:changed; and
// the risk commands (guards, lock, unlock). The toasts come from the engine's risk alerts (session.ts).
import { create } from 'zustand';
import type { ContractClient } from '../../core/contract/index.js';
import type { AccountRiskView } from '../../core/contract/risk.js';
import type { GuardSettingsInput } from '../../core/domain/guard-settings.js';
import { call, query } from './session.js';
import { useDash } from './store.js';

export interface RiskStore {
  views: Record<string, AccountRiskView>;
  /** Why risk:status failed (shown on the Risk screen). */
  error: string | null;
  setAll(views: readonly AccountRiskView[]): void;
  changed(view: AccountRiskView): void;
  failed(message: string): void;
}

export const useRisk = create<RiskStore>((set) => ({
  views: {},
  error: null,
  setAll: (views) => set({ views: Object.fromEntries(views.map((v) => [v.accountId, v])), error: null }),
  changed: (view) => set((s) => ({ views: { ...s.views, [view.accountId]: view } })),
  failed: (message) => set({ error: message }),
}));

/** Asks the app for every account's risk view. */
export async function loadRisk(): Promise<void> {
  const r = await query('risk:status');
  if (r.ok) useRisk.getState().setAll(r.value.accounts);
  else useRisk.getState().failed(r.error.message);
}

/**
 * Follows each new connection: subscribes to risk:changed and loads; reloads when the accounts change. The first
 * snapshot after a load does not count as a change: that load was asked after the app accepted us, so it already
 * covers the accounts the snapshot (sent at the same moment) lists.
 */
export function followRisk(): () => void {
  let bound: ContractClient | null = null;
  /** The account ids of the latest snapshot, null before the first one. */
  let accounts: string | null = null;
  return useDash.subscribe((s) => {
    const ids = s.snapshot ? s.snapshot.accounts.map((a) => a.id).join('\n') : null;
    if (s.client === bound && ids === accounts) return;
    const fresh = s.client !== bound;
    const firstSnapshot = accounts === null;
    bound = s.client;
    accounts = ids;
    if (!bound || (!fresh && firstSnapshot)) return;
    if (fresh) bound.on('risk:changed', (v) => useRisk.getState().changed(v));
    void loadRisk();
  });
}

export async function saveGuards(accountId: string, guards: GuardSettingsInput | null): Promise<boolean> {
  const r = await call('risk:set-guards', { accountId, guards });
  if (r.ok) await loadRisk();
  return r.ok;
}

export async function lockAccount(accountId: string, reason: string): Promise<boolean> {
  const r = await call('risk:lock', { accountId, reason });
  if (r.ok) await loadRisk();
  return r.ok;
}

export async function unlockAccount(accountId: string, reason: string): Promise<boolean> {
  const r = await call('risk:unlock', { accountId, reason });
  if (r.ok) await loadRisk();
  return r.ok;
}
