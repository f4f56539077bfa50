// Picks the contract transport: the Electron preload (window.mirrordesk) when present, else the bridge WebSocket.
import {
  BRIDGE_WS_PATH,
  TOKEN_PARAM,
  createContractClient,
  createSocketTransport,
  type ContractClient,
  type ContractTransport,
  type SocketLike,
} from '../../core/contract/index.js';

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

/** The bridge token from the page URL (?token=...), also accepted in the hash for pasted links. */
export function pageToken(loc: Pick<Location, 'search' | 'hash'> = location): string {
  const fromSearch = new URLSearchParams(loc.search).get(TOKEN_PARAM);
  if (fromSearch) return fromSearch;
  const q = loc.hash.indexOf('?');
  return q >= 0 ? (new URLSearchParams(loc.hash.slice(q + 1)).get(TOKEN_PARAM) ?? '') : '';
}

export function openConnection(onInvalid: (what: string) => void): Connection {
  const ipc = window.mirrordesk;
  if (ipc) {
    return { client: createContractClient(ipc, { onInvalid }), ready: Promise.resolve(), onClose: () => undefined, close: () => undefined };
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}${BRIDGE_WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(pageToken())}`;
  const transport = createSocketTransport(new WebSocket(url) as unknown as SocketLike);
  return {
    client: createContractClient(transport, { onInvalid }),
    ready: transport.ready,
    onClose: (fn) => transport.onClose(fn),
    close: () => transport.close(),
  };
}
