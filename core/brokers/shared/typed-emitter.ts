// TypedEmitter: a small event emitter for adapters; `on` returns an unsubscribe and listener errors are isolated.
export type Listener<T> = (event: T) => void;

/** Receives a listener's exception; the emitter keeps delivering to the other listeners. */
export type ListenerErrorHandler = (error: unknown, event: string) => void;

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();
  private readonly onListenerError: ListenerErrorHandler;

  constructor(onListenerError: ListenerErrorHandler = () => {}) {
    this.onListenerError = onListenerError;
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry: Listener<Events[K]> = (e) => listener(e);
    set.add(entry as Listener<never>);
    return () => {
      set.delete(entry as Listener<never>);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (err) {
        this.reportListenerError(err, String(event));
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private reportListenerError(err: unknown, event: string): void {
    try {
      this.onListenerError(err, event);
    } catch {
      // The error reporter itself failed: there is nowhere left to report to, and delivery must go on.
    }
  }
}
