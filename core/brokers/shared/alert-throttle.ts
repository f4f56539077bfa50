// AlertThrottle: a few alerts per kind and per code in a window, and a count of what was held back (hostile floods).
import type { AlertInput } from '../../domain/alert.js';

export interface AlertThrottleOptions {
  /** Length of the window, ms (the engine throttles repeats within a minute too). */
  readonly windowMs?: number;
  /** Alerts of one kind (account, code, wording without numbers) per window. */
  readonly perKind?: number;
  /** Alerts of one account and code per window, whatever their wording. */
  readonly perCode?: number;
  /** Keys remembered at most (the oldest are forgotten first). */
  readonly maxKeys?: number;
}

interface Window {
  since: number;
  admitted: number;
  suppressed: number;
  /** Held back in earlier windows and not yet told. */
  carried: number;
}

/** The wording without numbers, ids or quoted samples: repeats that differ only there count as one kind. */
const shape = (message: string): string =>
  message
    .replace(/"[^"]*"|'[^']*'|\([^)]*\)/g, '…')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+(\.\d+)?/gi, '#')
    .slice(0, 160);

export class AlertThrottle {
  private readonly kinds = new Map<string, Window>();
  private readonly codes = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly perKind: number;
  private readonly perCode: number;
  private readonly maxKeys: number;

  constructor(
    private readonly now: () => number,
    opts: AlertThrottleOptions = {},
  ) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.perKind = opts.perKind ?? 3;
    this.perCode = opts.perCode ?? 10;
    this.maxKeys = opts.maxKeys ?? 2_000;
  }

  /**
   * The alert to raise now, or undefined to drop it. The first few of a kind in a window pass, and the first after a
   * window in which some were held back says how many.
   */
  admit<A extends Omit<AlertInput, 'accountId'> & { readonly accountId?: string }>(alert: A): A | undefined {
    const now = this.now();
    const codeKey = `${alert.accountId ?? ''}\u0000${alert.code}`;
    const kind = this.window(this.kinds, `${codeKey}\u0000${shape(alert.message)}`, now);
    const code = this.window(this.codes, codeKey, now);
    if (kind.admitted >= this.perKind || code.admitted >= this.perCode) {
      kind.suppressed += 1;
      code.suppressed += 1;
      return undefined;
    }
    kind.admitted += 1;
    code.admitted += 1;
    const held = kind.carried;
    if (held === 0) return alert;
    kind.carried = 0;
    return {
      ...alert,
      message: `${alert.message} (${held} similar alert${held === 1 ? '' : 's'} held back before this one)`,
      details: { ...alert.details, suppressed: held },
    };
  }

  private window(map: Map<string, Window>, key: string, now: number): Window {
    let w = map.get(key);
    if (w && now - w.since < this.windowMs) return w;
    const carried = (w?.suppressed ?? 0) + (w?.carried ?? 0);
    map.delete(key);
    w = { since: now, admitted: 0, suppressed: 0, carried };
    map.set(key, w);
    if (map.size > this.maxKeys) map.delete(map.keys().next().value!);
    return w;
  }
}
