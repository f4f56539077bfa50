// Hash routing (#/activity, #/settings/<follower>): survives reloads and keeps the token in the query string.
import { useSyncExternalStore } from 'react';
import { href, parseRoute, type Page, type Route } from './route-path.js';

export { href, PAGES, parseRoute, type Page, type Route } from './route-path.js';

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
