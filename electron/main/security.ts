// Web security for every web contents: no navigation, no new windows, no permissions, https-only openExternal, CSP.
import { rendererCsp } from '../../core/contract/csp.js';
import type { ElectronApi, FrameLike, SessionLike, WebContentsLike } from './electron-api.js';

export const RENDERER_CSP = rendererCsp();

/** A URL we hand to the OS browser: https only, no credentials in it, a real host. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && /^[a-z0-9.-]+$/i.test(u.hostname) && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * The renderer's own location: `file://.../out/renderer/` in production, the electron-vite dev server in development.
 * Only the top-level frame at that location is trusted.
 */
export function createSenderCheck(rendererBase: string): (frame: FrameLike | null) => boolean {
  const base = new URL(rendererBase);
  return (frame) => {
    if (!frame || frame.parent !== null) return false;
    let u: URL;
    try {
      u = new URL(frame.url);
    } catch {
      return false;
    }
    if (base.protocol === 'file:') return u.protocol === 'file:' && u.pathname.startsWith(base.pathname);
    return u.origin === base.origin;
  };
}

export function hardenWebContents(contents: WebContentsLike, api: Pick<ElectronApi, 'openExternal'>): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void api.openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** The dev server (electron-vite) needs its inline refresh preamble and HMR socket; production never gets these. */
export function cspFor(devServer?: string): string {
  return devServer ? rendererCsp({ connect: devServer.replace(/^http/, 'ws'), devInline: true }) : RENDERER_CSP;
}

export function hardenSession(session: SessionLike, devServer?: string): void {
  const csp = cspFor(devServer);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
}
