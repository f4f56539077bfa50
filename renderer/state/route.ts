// Hash routing (#/activity, #/settings/<follower>): survives reloads and keeps the token in the query string.
import { useSyncExternalStore } from 'react';

export const PAGES = ['overview', 'sync', 'accounts', 'settings', 'risk', 'activity', 'alerts', 'audit', 'charts', 'stats'] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  readonly page: Page;
  readonly arg?: string;
}

export function parseRoute(hash: string): Route {
  const [page, arg] = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const p = (PAGES as readonly string[]).includes(page ?? '') ? (page as Page) : 'overview';
  return arg ? { page: p, arg: decodeURIComponent(arg) } : { page: p };
}

export const href = (page: Page, arg?: string): string => `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;

export function navigate(page: Page, arg?: string): void {
  location.hash = href(page, arg);
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
