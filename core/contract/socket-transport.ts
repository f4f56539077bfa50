// ContractTransport over the bridge WebSocket (browser or Node): request ids, pending results, pushed events.
import { serverMessageSchema, type ClientMessage } from './envelope.js';
import type { ContractTransport } from './client-core.js';

/** The little of a WebSocket this needs (browser WebSocket and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SocketTransport extends ContractTransport {
  /** Resolves once the server accepted the token; rejects if the socket closes first. */
  readonly ready: Promise<void>;
  close(): void;
  onClose(fn: () => void): void;
}

export function createSocketTransport(socket: SocketLike): SocketTransport {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const closeFns: (() => void)[] = [];
  let closed = false;
  let markReady: () => void = () => undefined;
  let markFailed: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    markFailed = rej;
  });
  ready.catch(() => undefined);

  socket.onmessage = (ev) => {
    if (typeof ev.data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch {
      return;
    }
    const msg = serverMessageSchema.safeParse(json);
    if (!msg.success) return;
    const m = msg.data;
    if (m.type === 'ready') markReady();
    else if (m.type === 'result' && typeof m.id === 'number') {
      pending.get(m.id)?.resolve(m.result);
      pending.delete(m.id);
    } else if (m.type === 'event') for (const fn of listeners.get(m.channel) ?? []) fn(m.payload);
  };
  socket.onclose = () => {
    closed = true;
    markFailed(new Error('connection closed'));
    for (const p of pending.values()) p.reject(new Error('connection closed'));
    pending.clear();
    for (const fn of closeFns) fn();
  };
  socket.onerror = () => undefined;

  return {
    ready,
    invoke(channel, payload) {
      if (closed) return Promise.reject(new Error('connection closed'));
      const id = nextId++;
      const msg: ClientMessage = { type: 'invoke', id, channel, payload };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ready.then(() => socket.send(JSON.stringify(msg)), reject);
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
    close: () => socket.close(1000, 'bye'),
    onClose: (fn) => closeFns.push(fn),
  };
}
