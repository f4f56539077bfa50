// One WebSocket client of the bridge: authentication (URL token or first message), invokes, pushed events.
import type { WebSocket } from 'ws';
import { clientMessageSchema, type ServerMessage } from '../contract/envelope.js';
import type { ContractError } from '../contract/result.js';
import type { Dispatcher } from '../app/dispatcher.js';
import type { Logger } from '../app/logger.js';
import { runFirstQueries, type FirstQuery } from './bridge-first.js';
import { tokenMatches, type AuthLimiter } from './bridge-guard.js';

export interface SessionOptions {
  readonly socket: WebSocket;
  readonly dispatcher: Dispatcher;
  readonly token: string;
  readonly address: string;
  readonly limiter: AuthLimiter;
  readonly log: Logger;
  /** True when the upgrade request already carried the right token. */
  readonly authenticated: boolean;
  readonly authTimeoutMs: number;
  readonly maxInFlight: number;
  /** A client that lets this much unsent data pile up is disconnected. */
  readonly maxBufferedBytes: number;
  /** Read-only queries from the URL, answered right after `ready` (ids `first:<index>`). */
  readonly firstQueries?: readonly FirstQuery[];
}

/** WebSocket close code (private range) for a client that did not authenticate. */
export const CLOSE_UNAUTHORISED = 4401;

const err = (code: ContractError['code'], message: string): ServerMessage => ({ type: 'error', error: { code, message, retryable: false } });

export function runSession(o: SessionOptions): void {
  const { socket } = o;
  const actor = `bridge:${o.address}`.slice(0, 80);
  let authed = false;
  let inFlight = 0;
  let unsubscribe: (() => void) | undefined;

  const send = (msg: ServerMessage) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > o.maxBufferedBytes) {
      o.log.warn(`bridge: ${o.address} is not reading; disconnected`);
      socket.close(1013, 'too slow');
      return;
    }
    socket.send(JSON.stringify(msg));
  };

  const admit = async () => {
    authed = true;
    clearTimeout(authTimer);
    send({ type: 'ready' });
    unsubscribe = o.dispatcher.subscribe((channel, payload) => send({ type: 'event', channel, payload }));
    runFirstQueries(o.firstQueries ?? [], o.dispatcher, actor, send);
    const snap = await o.dispatcher.dispatch('workspace:snapshot', undefined, actor);
    if (snap.ok) send({ type: 'event', channel: 'workspace:changed', payload: snap.value });
  };

  const refuse = (why: string) => {
    o.limiter.fail(o.address);
    o.log.warn(`bridge: refused ${o.address}: ${why}`);
    socket.close(CLOSE_UNAUTHORISED, 'unauthorised');
  };

  const authTimer = setTimeout(() => {
    if (!authed) refuse('no token in time');
  }, o.authTimeoutMs);

  socket.on('close', () => {
    clearTimeout(authTimer);
    unsubscribe?.();
  });
  socket.on('error', () => socket.terminate());

  socket.on('message', (data, isBinary) => {
    if (isBinary) return authed ? send(err('invalid_request', 'binary messages are not accepted')) : refuse('binary first message');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      if (!authed) return refuse('malformed first message');
      return send(err('invalid_request', 'malformed JSON'));
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!authed) {
      if (parsed.success && parsed.data.type === 'auth' && tokenMatches(o.token, parsed.data.token)) return void admit();
      return refuse(parsed.success && parsed.data.type === 'auth' ? 'wrong token' : 'message before authentication');
    }
    if (!parsed.success) return send(err('invalid_request', 'not a bridge message: expected {type:"invoke", id, channel, payload}'));
    const m = parsed.data;
    if (m.type === 'auth') return send(err('invalid_request', 'already authenticated'));
    if (inFlight >= o.maxInFlight) {
      return send({ type: 'result', id: m.id, result: { ok: false, error: { code: 'rejected', message: 'too many requests in flight', retryable: true } } });
    }
    inFlight++;
    void o.dispatcher.dispatch(m.channel, m.payload, actor).then((result) => {
      inFlight--;
      send({ type: 'result', id: m.id, result });
    });
  });

  if (o.authenticated) void admit();
}
