// The one dispatcher both transports use: validates channel and payload, runs the command, never throws.
import { INVOKE } from '../contract/channels.js';
import { isInvokeChannel } from '../contract/channel-names.js';
import { fail, type Result } from '../contract/result.js';
import type { DispatchHost } from './dispatch-host.js';
import { cleanMessage, describeIssues, toContractError } from './dispatch-errors.js';
import { startEventFanout, type EventListener } from './dispatch-events.js';
import { createHandlers } from './dispatch-handlers.js';
import { secretCandidates, toWire } from './dispatch-wire.js';

export interface Dispatcher {
  /** Validates and runs one invoke; always resolves to a Result. */
  dispatch(channel: unknown, payload: unknown, actor: string): Promise<Result<unknown>>;
  /** Receives every contract event; the host is only listened to while someone subscribes. */
  subscribe(listener: EventListener): () => void;
}

export interface DispatcherOptions {
  /** Snapshot events within this window are sent once (default 50 ms). */
  readonly coalesceMs?: number;
}

const ACTOR_RE = /^[\w:.@\- ]{1,80}$/;

export function createDispatcher(host: DispatchHost, opts: DispatcherOptions = {}): Dispatcher {
  const handlers = createHandlers(host) as Record<string, (req: unknown, actor: string) => unknown>;
  const listeners = new Set<EventListener>();
  let stopFanout: (() => void) | undefined;

  async function dispatch(channel: unknown, payload: unknown, actor: string): Promise<Result<unknown>> {
    if (!isInvokeChannel(channel)) {
      const name = typeof channel === 'string' ? cleanMessage(JSON.stringify(channel.slice(0, 60)), []) : typeof channel;
      return fail('unknown_channel', `unknown channel ${name}`);
    }
    if (typeof actor !== 'string' || !ACTOR_RE.test(actor)) return fail('invalid_request', 'invalid actor');
    const secrets = channel === 'credentials:set' ? secretCandidates(payload) : [];
    const spec = INVOKE[channel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) return fail('invalid_request', cleanMessage(describeIssues(parsed.error), secrets));
    try {
      const value = toWire(await handlers[channel]!(parsed.data, actor));
      const checked = spec.response.safeParse(value);
      if (checked.success) return { ok: true, value };
      host.log.error(`${channel}: result does not match the contract (${describeIssues(checked.error)})`);
      return fail('internal', 'internal error (details are in the log)');
    } catch (err) {
      const { error, bug } = toContractError(err, secrets);
      if (bug) {
        const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        host.log.error(`${channel} failed: ${cleanMessage(detail, secrets)}`);
      }
      return { ok: false, error };
    }
  }

  return {
    dispatch: (channel, payload, actor) =>
      dispatch(channel, payload, actor).catch(() => fail('internal', 'internal error (details are in the log)')),
    subscribe(listener) {
      listeners.add(listener);
      stopFanout ??= startEventFanout(
        host,
        (channel, payload) => {
          for (const l of listeners) l(channel, payload);
        },
        opts.coalesceMs ?? 50,
      );
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stopFanout?.();
          stopFanout = undefined;
        }
      };
    },
  };
}
