// The live session: connects, loads the snapshot, follows events, reconnects; `call` runs a contract command.
import type { InvokeChannel, RequestOf, ResponseOf, Result } from '../../core/contract/index.js';
import { groupKey } from '../screens/alert-groups.js';
import { beep, useAlertSound } from './alert-sound.js';
import { riskToast } from './risk-notices.js';
import { useDash } from './store.js';
import { openConnection, type Connection } from './transport.js';

const RETRY_MS = [500, 1_000, 2_000, 4_000];
let current: Connection | null = null;
let attempt = 0;
/** Scopes named in the breaker toast currently shown. */
let tripped: string[] = [];

function scheduleReconnect(): void {
  const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 4_000;
  attempt++;
  window.setTimeout(connect, delay);
}

async function refreshSnapshot(conn: Connection): Promise<void> {
  const snap = await conn.client.invoke('workspace:snapshot');
  if (snap.ok) useDash.getState().setSnapshot(snap.value, Date.now());
  else useDash.getState().toast('error', `could not load the workspace: ${snap.error.message}`);
}

function connect(): void {
  const dash = useDash.getState();
  dash.setLink('connecting');
  const conn = openConnection((what) => useDash.getState().toast('error', `ignored a malformed message (${what})`));
  current = conn;
  let closed = false;
  conn.onClose(() => {
    if (closed) return;
    closed = true;
    if (current === conn) current = null;
    useDash.getState().setLink('closed', null);
    scheduleReconnect();
  });
  const { client } = conn;
  let gotSnapshot = false;
  client.on('workspace:changed', (snap) => {
    gotSnapshot = true;
    useDash.getState().setSnapshot(snap, Date.now());
  });
  client.on('copy:updated', (ev) => useDash.getState().copyUpdated(ev));
  client.on('alerts:raised', (a) => {
    const s = useDash.getState();
    s.alertsChanged();
    const risk = riskToast(a, (id) => s.snapshot?.accounts.find((x) => x.id === id)?.label ?? id);
    if (risk) s.toast(risk.kind, risk.text, `alert:${groupKey(a)}`, a.id);
    if (a.severity !== 'critical') return;
    // Kept until acknowledged; repeats fold into one toast. A breaker trip joins the breaker's toast.
    if (a.code === 'breaker_tripped') s.toast('critical', s.toasts.find((t) => t.key === 'breaker')?.text ?? a.message, 'breaker', a.id);
    else if (!risk) s.toast('critical', a.message, `alert:${groupKey(a)}`, a.id);
    if (useAlertSound.getState().on) beep();
  });
  client.on('breaker:tripped', (b) => {
    const s = useDash.getState();
    const open = s.toasts.some((t) => t.key === 'breaker');
    tripped = open ? [...new Set([...tripped, b.scope])] : [b.scope];
    s.toast('critical', `Circuit breaker tripped (${tripped.join(', ')})${b.reason ? `: ${b.reason}` : ''}`, 'breaker');
  });
  conn.ready.then(
    async () => {
      attempt = 0;
      useDash.getState().setLink('open', client);
      // The bridge pushes a snapshot right after accepting us; asking again is only needed when it is not here yet.
      if (!gotSnapshot) await refreshSnapshot(conn);
    },
    () => undefined,
  );
}

export function startSession(): void {
  if (current === null) connect();
}

type Args<C extends InvokeChannel> = undefined extends RequestOf<C> ? [request?: RequestOf<C>] : [request: RequestOf<C>];

/** Runs a command or query; failures become an error toast (and the Result is returned either way). */
export async function call<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<Result<ResponseOf<C>>> {
  const client = useDash.getState().client;
  if (!client) {
    const error = { code: 'unavailable' as const, message: 'not connected to the app', retryable: true };
    useDash.getState().toast('error', error.message);
    return { ok: false, error };
  }
  const r = await client.invoke(channel, ...args);
  if (!r.ok) useDash.getState().toast('error', r.error.message);
  return r;
}

/** Like `call`, without the toast: for queries whose failure the screen shows itself. */
export async function query<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<Result<ResponseOf<C>>> {
  const client = useDash.getState().client;
  if (!client) return { ok: false, error: { code: 'unavailable', message: 'not connected to the app', retryable: true } };
  return client.invoke(channel, ...args);
}
