// Contract-suite helpers: records every adapter event and waits for conditions by bounded polling.
import type { BrokerAdapter, BrokerEvents, Unsubscribe } from '../../core/ports/broker-adapter.js';

export type EventLog = { [K in keyof BrokerEvents]: BrokerEvents[K][] };

const EVENT_NAMES: readonly (keyof BrokerEvents)[] = ['status', 'execution', 'order', 'position', 'account', 'alert'];

/** Subscribes to every event of an adapter; call before connect() so the first status is seen. */
export class EventRecorder {
  readonly log: EventLog = { status: [], execution: [], order: [], position: [], account: [], alert: [] };
  private readonly offs: Unsubscribe[] = [];

  constructor(adapter: BrokerAdapter) {
    for (const name of EVENT_NAMES) {
      this.offs.push(adapter.on(name, (e) => (this.log[name] as unknown[]).push(e)));
    }
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Called on every poll, e.g. to advance a simulated clock. */
  readonly pump?: () => void | Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than undefined/false, or fails after timeoutMs
 * with a message naming what was awaited. Probe errors are retried until the deadline, then rethrown.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (let interval = 2; ; interval = Math.min(interval * 2, 50)) {
    await opts.pump?.();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${detail}`);
    }
    await pause(interval);
  }
}
