// The bridge WebSocket opened as the bundle starts to run, before React and the contract schemas evaluate, naming the
// first screen's queries in its URL: the bridge answers them the moment it accepts us, while this page is still busy
// starting. The session adopts the socket (what arrived meanwhile is replayed to it in order) and takes these replies
// instead of asking again; the contract client still validates them. Replies not taken by the first render, or made
// out of date by an event, are never handed out.
import { BRIDGE_WS_PATH, FIRST_QUERIES_PARAM, FIRST_QUERY_ID_PREFIX, TOKEN_PARAM } from '../../core/contract/bridge-address.js';
import type { SocketLike } from '../../core/contract/socket-transport.js';
import { firstQueries, queryKey, type FirstQuery } from '../screens/first-screen.js';
import { parseRoute } from './route-path.js';

interface Pending {
  readonly query: FirstQuery;
  readonly reply: Promise<unknown>;
  settle(result: unknown): void;
  fail(err: Error): void;
  /** Taken by the session, dropped, or made out of date by an event: never handed out (again). */
  spent: boolean;
  answered: boolean;
  /** The raw result, once answered. */
  raw?: unknown;
}

export interface EarlyLink {
  /** The socket, for the session's transport: messages before adoption are replayed once it set its handlers. */
  readonly socket: SocketLike;
  /** Call after the transport set its handlers: replays the backlog on the next microtask, after the caller subscribed. */
  adopt(): void;
  /** The raw result of the same query sent at page load, if it is still current and not yet taken. */
  take(channel: string, payload: unknown): Promise<unknown> | undefined;
  /** Like take, only if the reply is already here: its raw result, now. */
  peek(channel: string, payload: unknown): { raw: unknown } | undefined;
  /** Forgets the replies nobody took (called once the first screen rendered). */
  drop(): void;
}

/** The bridge token from the page URL (?token=...), also accepted in the hash for pasted links. */
export function pageToken(loc: Pick<Location, 'search' | 'hash'> = location): string {
  const fromSearch = new URLSearchParams(loc.search).get(TOKEN_PARAM);
  if (fromSearch) return fromSearch;
  const q = loc.hash.indexOf('?');
  return q >= 0 ? (new URLSearchParams(loc.hash.slice(q + 1)).get(TOKEN_PARAM) ?? '') : '';
}

/** The bridge WebSocket URL; with `first`, the queries the bridge answers on connect (ids `first:<index>`). */
export function bridgeUrl(first: readonly FirstQuery[] = []): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const queries = first.map((q) => ({ channel: q.channel, payload: q.payload }));
  const tail = queries.length > 0 ? `&${FIRST_QUERIES_PARAM}=${encodeURIComponent(JSON.stringify(queries))}` : '';
  return `${scheme}//${location.host}${BRIDGE_WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(pageToken())}${tail}`;
}

function pending(query: FirstQuery): Pending {
  let settle: (v: unknown) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const reply = new Promise<unknown>((res, rej) => {
    settle = res;
    fail = rej;
  });
  reply.catch(() => undefined);
  return { query, reply, settle, fail, spent: false, answered: false };
}

type Held = { kind: 'message'; ev: { data: unknown } } | { kind: 'close'; ev: unknown };

/** The little of a browser WebSocket the early link drives (its handlers are set once, here). */
export type EarlySocket = Pick<WebSocket, 'readyState' | 'send' | 'close' | 'onmessage' | 'onclose' | 'onerror'>;

/** Watches `ws`, opened with bridgeUrl(queries), for the replies to `queries` until a session adopts it. */
export function openEarlyLink(queries: readonly FirstQuery[], ws: EarlySocket): EarlyLink {
  const asked = queries.map(pending);
  const backlog: Held[] = [];
  let adopted = false;
  const adopter: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  const deliver = (h: Held) => (h.kind === 'message' ? adopter.onmessage?.(h.ev) : adopter.onclose?.(h.ev));

  /** True when the message was a reply to one of our queries (the session never sees those). */
  const intercept = (data: unknown): boolean => {
    // Parsed only while a reply is due or one not yet taken can still go out of date.
    if (typeof data !== 'string' || asked.every((q) => q.answered && q.spent)) return false;
    let m: { type?: unknown; id?: unknown; channel?: unknown; result?: unknown };
    try {
      m = JSON.parse(data) as typeof m;
    } catch {
      return false;
    }
    // Events come after `ready`, when the bridge already follows the app: one may be newer than a reply.
    if (m.type === 'event' && typeof m.channel === 'string') {
      for (const p of asked) if (p.query.staleOn.includes(m.channel)) p.spent = true;
    } else if (m.type === 'result' && typeof m.id === 'string' && m.id.startsWith(FIRST_QUERY_ID_PREFIX)) {
      const p = asked[Number(m.id.slice(FIRST_QUERY_ID_PREFIX.length))];
      if (!p) return false;
      p.answered = true;
      p.raw = m.result;
      p.settle(m.result);
      return true;
    }
    return false;
  };

  ws.onmessage = (ev) => {
    if (intercept(ev.data)) return;
    if (adopted) deliver({ kind: 'message', ev });
    else backlog.push({ kind: 'message', ev });
  };
  ws.onclose = (ev) => {
    for (const p of asked) {
      p.spent = true;
      p.fail(new Error('connection closed'));
    }
    if (adopted) deliver({ kind: 'close', ev });
    else backlog.push({ kind: 'close', ev });
  };
  ws.onerror = (ev) => adopter.onerror?.(ev);
  const current = (channel: string, payload: unknown): Pending | undefined => {
    const key = queryKey(channel, payload);
    return asked.find((q) => !q.spent && queryKey(q.query.channel, q.query.payload) === key);
  };

  return {
    socket: adopter,
    adopt: () =>
      queueMicrotask(() => {
        for (const h of backlog.splice(0)) deliver(h);
        adopted = true;
      }),
    take: (channel, payload) => {
      const p = current(channel, payload);
      if (!p) return undefined;
      p.spent = true;
      return p.reply;
    },
    peek: (channel, payload) => {
      const p = current(channel, payload);
      if (!p?.answered) return undefined;
      p.spent = true;
      return { raw: p.raw };
    },
    drop: () => {
      for (const p of asked) p.spent = true;
    },
  };
}

// Opened now, at bundle start, in the browser only (the Electron window talks over IPC: window.mirrordesk).
const opened: EarlyLink | null =
  typeof window !== 'undefined' && typeof WebSocket !== 'undefined' && !window.mirrordesk ? openNow(firstQueries(parseRoute(location.hash).page)) : null;
let unclaimed = opened;

function openNow(queries: readonly FirstQuery[]): EarlyLink {
  return openEarlyLink(queries, new WebSocket(bridgeUrl(queries)));
}

/** The early link, once: the first connection adopts it; reconnects open their own socket. */
export function claimEarlyLink(): EarlyLink | null {
  const link = unclaimed;
  unclaimed = null;
  return link;
}

/** The page-load reply to this query if it is here, current and not taken, once the session adopted the link. */
export function peekEarlyReply(channel: string, payload: unknown): { raw: unknown } | undefined {
  return opened && !unclaimed ? opened.peek(channel, payload) : undefined;
}

/** Forgets the page-load replies the first screen did not take. */
export function dropEarlyReplies(): void {
  opened?.drop();
}
