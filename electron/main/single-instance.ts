// Single-instance lock: taken before anything connects to a broker; a second launch focuses the first window.
import type { AppLike } from './electron-api.js';

/** Returns false (and quits) when another instance holds the lock. */
export function acquireSingleInstance(app: AppLike, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', onSecondInstance);
  return true;
}
