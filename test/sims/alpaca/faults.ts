// Simulator fault injection: scripted REST failures (5xx, timeouts, drops, 429) and stream faults, with a log of what fired.
/** echo_*: an error answer that repeats the caller's credentials (escaped JSON, a URL, HTML), as careless servers do. */
export type RestFaultKind = '500' | '503' | '429' | 'timeout' | 'drop' | 'echo_json' | 'echo_url' | 'echo_html';

export interface RestFault {
  readonly method: string;
  /** Exact path or a prefix ending in '*', e.g. '/v2/orders' or '/v2/orders/*'. */
  readonly path: string;
  readonly kind: RestFaultKind;
  /** 'after': the request takes effect (the order exists) before the failure - an unknown outcome. */
  readonly when: 'before' | 'after';
  /** Only requests made with this key (any key when absent). */
  readonly keyId?: string;
  times: number;
}

export type StreamFaultKind = 'drop' | 'stall' | 'duplicate' | 'reorder' | 'unknown_event' | 'malformed';
/** Faults recorded by the stream itself when they fire. */
export type FiredStreamKind = StreamFaultKind | 'lose' | 'junk' | 'echo';

export interface FiredFault {
  readonly kind: RestFaultKind | FiredStreamKind | 'handshake_429';
  readonly keyId?: string;
  readonly detail: string;
  readonly at: number;
}

export class FaultPlan {
  readonly rest: RestFault[] = [];
  /** The next N stream upgrades are answered with HTTP 429. */
  handshake429 = 0;
  readonly fired: FiredFault[] = [];

  failRest(f: Omit<RestFault, 'times'> & { times?: number }): void {
    this.rest.push({ ...f, times: f.times ?? 1 });
  }

  /** Consumes a matching REST fault for this request, if any. */
  takeRest(method: string, path: string, keyId: string | undefined, when: 'before' | 'after'): RestFault | undefined {
    const i = this.rest.findIndex(
      (f) =>
        f.times > 0 &&
        f.when === when &&
        f.method === method &&
        (f.keyId === undefined || f.keyId === keyId) &&
        (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path),
    );
    if (i < 0) return undefined;
    const f = this.rest[i]!;
    f.times -= 1;
    if (f.times === 0) this.rest.splice(i, 1);
    this.record(f.kind, `${method} ${path} (${when})`, keyId);
    return f;
  }

  record(kind: FiredFault['kind'], detail: string, keyId?: string): void {
    this.fired.push({ kind, detail, at: Date.now(), ...(keyId !== undefined ? { keyId } : {}) });
  }

  count(kind: FiredFault['kind']): number {
    return this.fired.filter((f) => f.kind === kind).length;
  }
}
