// Hash routes (#/activity, #/settings/<follower>) as data: parsing and building, with no React (the early link
// reads the page before React loads).

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
