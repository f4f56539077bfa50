// Launch at login: registered with a marker argument; a login launch starts hidden in the tray and paused.
import type { AppLike } from './electron-api.js';

export const LOGIN_ARG = '--launched-at-login';

export function launchAtLogin(app: AppLike): { get(): boolean; set(on: boolean): void } {
  return {
    get: () => app.getLoginItemSettings().openAtLogin,
    set: (on) => app.setLoginItemSettings({ openAtLogin: on, args: on ? [LOGIN_ARG] : [] }),
  };
}

export const wasLaunchedAtLogin = (app: AppLike, argv: readonly string[]): boolean =>
  argv.includes(LOGIN_ARG) || app.getLoginItemSettings().wasOpenedAtLogin === true;
