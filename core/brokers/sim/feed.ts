// SimFeed: the venue's per-account event stream; ordered delivery on a microtask, lost while disconnected.
import type { AlertInput } from '../../domain/alert.js';
import type { AccountSnapshot, BrokerOrder, Execution, Position } from '../../domain/order.js';

export type SimEvent =
  | { readonly kind: 'order'; readonly order: BrokerOrder }
  | { readonly kind: 'execution'; readonly execution: Execution }
  | { readonly kind: 'position'; readonly position: Position }
  | { readonly kind: 'account'; readonly account: AccountSnapshot }
  | { readonly kind: 'alert'; readonly alert: AlertInput }
  | { readonly kind: 'link'; readonly connected: boolean };

export type SimListener = (event: SimEvent) => void;

interface Channel {
  connected: boolean;
  readonly listeners: Set<SimListener>;
}

export class SimFeed {
  private readonly channels = new Map<string, Channel>();
  private pending: { account: string; event: SimEvent }[] = [];
  /** Next event to deliver: an index walk, since shift() made long bursts quadratic. */
  private head = 0;
  private scheduled = false;

  addAccount(account: string): void {
    this.channels.set(account, { connected: true, listeners: new Set() });
  }

  subscribe(account: string, listener: SimListener): () => void {
    const ch = this.channel(account);
    const entry: SimListener = (e) => listener(e);
    ch.listeners.add(entry);
    return () => {
      ch.listeners.delete(entry);
    };
  }

  isConnected(account: string): boolean {
    return this.channel(account).connected;
  }

  /** Queues an event; events raised while the account is disconnected are lost, like a dropped stream. */
  emit(account: string, event: SimEvent): void {
    if (!this.channel(account).connected) return;
    this.pending.push({ account, event });
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Flushes what was queued, then delivers the link change at once (synchronously). */
  setConnected(account: string, connected: boolean): void {
    const ch = this.channel(account);
    if (ch.connected === connected) return;
    this.flush();
    ch.connected = connected;
    this.deliver(account, { kind: 'link', connected });
  }

  /** Delivers queued events in order; events queued meanwhile (or by a nested flush) join the same walk. */
  private flush(): void {
    this.scheduled = false;
    while (this.head < this.pending.length) {
      const { account, event } = this.pending[this.head++]!;
      this.deliver(account, event);
    }
    this.pending = [];
    this.head = 0;
  }

  private deliver(account: string, event: SimEvent): void {
    for (const listener of [...this.channel(account).listeners]) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure must not stop the venue; adapters isolate and report their own listeners.
      }
    }
  }

  private channel(account: string): Channel {
    const ch = this.channels.get(account);
    if (!ch) throw new RangeError(`sim: no account ${account}`);
    return ch;
  }
}
