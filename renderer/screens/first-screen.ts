// The queries a page load's first screen needs, known before React or the contract schemas run, so the early link
// (state/early-link.ts) can name them all in the socket URL and the bridge answers them as it accepts the connection.
import type { Page } from '../state/route-path.js';

/** Rows per copies:list page: the rows in view at 900-1080 px plus the overscan (screens/activity.tsx) in one reply, and
 * no more: the first page is checked against the contract before the first render, and that cost grows with its rows. */
export const PAGE_SIZE = 64;

export interface FirstQuery {
  readonly channel: string;
  readonly payload: unknown;
  /** Events that make the reply out of date before the screen can follow them (its listener is not there yet). */
  readonly staleOn: readonly string[];
}

export function firstQueries(page: Page): FirstQuery[] {
  // Every screen's risk badges come from risk:status (state/risk.ts); risk:changed keeps them current afterwards.
  const queries: FirstQuery[] = [{ channel: 'risk:status', payload: undefined, staleOn: ['risk:changed'] }];
  // The Activity table's first page with no filter (screens/copies-pager.ts). Copies that land after it still count:
  // the session counts every copy:updated from the start and the table refreshes when it mounts with a count.
  if (page === 'activity') queries.push({ channel: 'copies:list', payload: { limit: PAGE_SIZE, offset: 0 }, staleOn: [] });
  return queries;
}

/** A request's identity: channel plus payload with its keys sorted (the payloads here are flat objects). */
export function queryKey(channel: string, payload: unknown): string {
  if (payload === null || typeof payload !== 'object') return `${channel} ${JSON.stringify(payload ?? null)}`;
  const entries = Object.entries(payload).filter(([, v]) => v !== undefined);
  return `${channel} ${JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}
