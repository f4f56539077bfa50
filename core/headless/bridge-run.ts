// Serves a running host's dashboard: one dispatcher, the bridge on 127.0.0.1, the built renderer from out/renderer.
import { resolve } from 'node:path';
import { createDispatcher } from '../app/dispatcher.js';
import type { DispatchHost } from '../app/dispatch-host.js';
import { startBridge, type Bridge } from './bridge-server.js';

export interface ServeOptions {
  readonly port?: number;
  readonly bindAddress?: string;
  readonly allowRemote?: boolean;
  /** The built renderer; this checkout's `out/renderer` (what `npm run build` writes) by default. */
  readonly staticDir?: string;
}

export const DEFAULT_STATIC_DIR = resolve(import.meta.dirname, '..', '..', 'out', 'renderer');

export function serveDashboard(host: DispatchHost, opts: ServeOptions = {}): Promise<Bridge> {
  return startBridge({
    dispatcher: createDispatcher(host),
    staticDir: opts.staticDir ?? DEFAULT_STATIC_DIR,
    log: host.log,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.bindAddress !== undefined ? { bindAddress: opts.bindAddress } : {}),
    ...(opts.allowRemote !== undefined ? { allowRemote: opts.allowRemote } : {}),
  });
}
