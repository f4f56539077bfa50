// Event fan-out: host events -> contract events (validated, wire-serialised), snapshots coalesced, breaker diffs.
import { EVENTS, type EventChannel } from '../contract/events.js';
import type { DispatchHost } from './dispatch-host.js';
import { toWire } from './dispatch-wire.js';

export type EventListener = (channel: EventChannel, payload: unknown) => void;

interface BreakerLike {
  scope: string;
  tripped: boolean;
}

export function startEventFanout(host: DispatchHost, emit: EventListener, coalesceMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let breakers = new Map<string, boolean>();

  const send = (channel: EventChannel, value: unknown) => {
    const payload = toWire(value);
    const r = EVENTS[channel].safeParse(payload);
    if (r.success) emit(channel, payload);
    else host.log.error(`event ${channel} does not match the contract: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`);
  };

  const readSnapshot = (): { breakers?: BreakerLike[] } | undefined => {
    try {
      return host.snapshot() as { breakers?: BreakerLike[] };
    } catch (err) {
      host.log.warn(`snapshot for the dashboard failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };

  const flushSnapshot = () => {
    timer = undefined;
    const snap = readSnapshot();
    if (!snap) return;
    const next = new Map<string, boolean>();
    for (const b of snap.breakers ?? []) {
      next.set(b.scope, b.tripped);
      if (b.tripped && breakers.get(b.scope) !== true) send('breaker:tripped', b);
      if (!b.tripped && breakers.get(b.scope) === true) send('breaker:cleared', b);
    }
    for (const [scope, tripped] of breakers) if (tripped && !next.has(scope)) send('breaker:cleared', { scope, tripped: false });
    breakers = next;
    send('workspace:changed', snap);
  };
  breakers = new Map((readSnapshot()?.breakers ?? []).map((b) => [b.scope, b.tripped]));

  const unsubs = [
    host.on('snapshot', () => {
      if (timer === undefined) timer = setTimeout(flushSnapshot, coalesceMs);
    }),
    host.on('intent', (i) => send('copy:updated', i)),
    host.on('alert', (a) => send('alerts:raised', a)),
    host.on('state', (s) => send('engine:state-changed', s)),
    host.on('account-status', (s) => send('accounts:status-changed', { ...s.status, accountId: s.accountId })),
    host.on('risk', (r) => send('risk:changed', r)),
  ];
  return () => {
    for (const u of unsubs) u();
    if (timer !== undefined) clearTimeout(timer);
  };
}
