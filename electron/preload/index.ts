// Preload: the renderer's only door. Exposes `window.mirrordesk` with invoke/on for the contract's channels only.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel } from '../../core/contract/channel-names.js';

const refused = (message: string) => Promise.resolve({ ok: false, error: { code: 'unknown_channel', message, retryable: false } });

contextBridge.exposeInMainWorld('mirrordesk', {
  invoke(channel: unknown, payload: unknown): Promise<unknown> {
    if (!isInvokeChannel(channel)) return refused('unknown channel');
    return ipcRenderer.invoke(channel, payload);
  },
  on(channel: unknown, listener: unknown): () => void {
    if (!isEventChannel(channel) || typeof listener !== 'function') return () => undefined;
    const handler = (_e: IpcRendererEvent, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, handler);
    return () => void ipcRenderer.removeListener(channel, handler);
  },
});
