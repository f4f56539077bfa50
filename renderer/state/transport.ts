// Picks the contract transport: the Electron preload (window.mirrordesk) when present, else the bridge WebSocket
// (the first connection adopts the socket opened at page load, and the replies to the first screen's queries).
import type { RequestOf, ResponseOf } from '../../core/contract/channels.js';
import { checkResultWith, createClientWith, type ContractClient, type ContractTransport } from '../../core/contract/client-core.js';
import { createSocketTransport, type SocketLike } from '../../core/contract/socket-transport.js';
import { FIRST_RESPONSES, responseSchema, type FirstChannel } from './contract-schemas.js';
import { bridgeUrl, claimEarlyLink, peekEarlyReply } from './early-link.js';

export { dropEarlyReplies, pageToken } from './early-link.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload: allowlisted invoke/on over IPC. */
    mirrordesk?: ContractTransport;
  }
}

export interface Connection {
  readonly client: ContractClient;
  /** Resolves once the app accepted us (immediately over IPC). */
  readonly ready: Promise<void>;
  onClose(fn: () => void): void;
  close(): void;
}

export function openConnection(onInvalid: (what: string) => void): Connection {
  const ipc = window.mirrordesk;
  if (ipc) {
    return { client: createClientWith(ipc, responseSchema, { onInvalid }), ready: Promise.resolve(), onClose: () => undefined, close: () => undefined };
  }
  const early = claimEarlyLink();
  const transport = createSocketTransport(early?.socket ?? (new WebSocket(bridgeUrl()) as unknown as SocketLike));
  early?.adopt();
  const raw: ContractTransport = early
    ? { invoke: (channel, payload) => early.take(channel, payload) ?? transport.invoke(channel, payload), on: (channel, fn) => transport.on(channel, fn) }
    : transport;
  return {
    client: createClientWith(raw, responseSchema, { onInvalid }),
    ready: transport.ready,
    onClose: (fn) => transport.onClose(fn),
    close: () => transport.close(),
  };
}

/**
 * The page-load reply to this query, checked against the contract, if it is already here and still current: lets the
 * first screen render with its data at once instead of one render later. Undefined means ask as usual.
 */
export function firstReply<C extends FirstChannel>(channel: C, payload: RequestOf<C>): ResponseOf<C> | undefined {
  const held = peekEarlyReply(channel, payload);
  if (!held) return undefined;
  const r = checkResultWith<C>(FIRST_RESPONSES[channel], channel, held.raw);
  return r.ok ? r.value : undefined;
}
