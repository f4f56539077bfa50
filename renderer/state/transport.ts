// Picks the contract transport: the Electron preload (window.mirrordesk) when present, else the bridge WebSocket
// (the first connection adopts the socket opened at page load, and the replies to the first screen's queries).
import {
  checkResult,
  createContractClient,
  createSocketTransport,
  type ContractClient,
  type ContractTransport,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
  type SocketLike,
} from '../../core/contract/index.js';
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
    return { client: createContractClient(ipc, { onInvalid }), ready: Promise.resolve(), onClose: () => undefined, close: () => undefined };
  }
  const early = claimEarlyLink();
  const transport = createSocketTransport(early?.socket ?? (new WebSocket(bridgeUrl()) as unknown as SocketLike));
  early?.adopt();
  const raw: ContractTransport = early
    ? { invoke: (channel, payload) => early.take(channel, payload) ?? transport.invoke(channel, payload), on: (channel, fn) => transport.on(channel, fn) }
    : transport;
  return {
    client: createContractClient(raw, { onInvalid }),
    ready: transport.ready,
    onClose: (fn) => transport.onClose(fn),
    close: () => transport.close(),
  };
}

/**
 * The page-load reply to this query, checked against the contract, if it is already here and still current: lets the
 * first screen render with its data at once instead of one render later. Undefined means ask as usual.
 */
export function firstReply<C extends InvokeChannel>(channel: C, payload: RequestOf<C>): ResponseOf<C> | undefined {
  const held = peekEarlyReply(channel, payload);
  if (!held) return undefined;
  const r = checkResult(channel, held.raw);
  return r.ok ? r.value : undefined;
}
