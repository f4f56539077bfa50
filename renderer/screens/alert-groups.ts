// Alert grouping and filtering: repeats (same code, account and message shape) fold into one row with a count.
import type { AlertView } from '../../core/contract/index.js';

export type Severity = AlertView['severity'];
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export interface AlertGroup {
  readonly key: string;
  readonly code: AlertView['code'];
  readonly accountId?: string;
  /** The worst severity seen in the group. */
  readonly severity: Severity;
  /** The latest message of the group. */
  readonly message: string;
  readonly count: number;
  readonly firstTime: number;
  readonly lastTime: number;
  /** Ids not acknowledged yet (acknowledging the group acknowledges these). */
  readonly unread: readonly string[];
}

/** The message with its numbers and quoted values blanked, so "filled 3 @ 101.25" and "filled 5 @ 99" match. */
export function messageShape(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/-?\d+(?:[.,:]\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

export const groupKey = (a: Pick<AlertView, 'code' | 'accountId' | 'message'>): string =>
  `${a.code}|${a.accountId ?? ''}|${messageShape(a.message)}`;

/** Groups alerts (any order in) into rows ordered by their latest alert, newest first. */
export function groupAlerts(alerts: readonly AlertView[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const key = groupKey(a);
    const g = groups.get(key);
    const unread = a.acknowledged ? [] : [a.id];
    if (!g) {
      groups.set(key, {
        key, code: a.code, ...(a.accountId ? { accountId: a.accountId } : {}), severity: a.severity, message: a.message,
        count: 1, firstTime: a.time, lastTime: a.time, unread,
      });
      continue;
    }
    const newer = a.time >= g.lastTime;
    groups.set(key, {
      ...g,
      severity: SEVERITY_RANK[a.severity] > SEVERITY_RANK[g.severity] ? a.severity : g.severity,
      message: newer ? a.message : g.message,
      count: g.count + 1,
      firstTime: Math.min(g.firstTime, a.time),
      lastTime: Math.max(g.lastTime, a.time),
      unread: [...g.unread, ...unread],
    });
  }
  return [...groups.values()].sort((x, y) => y.lastTime - x.lastTime);
}

export interface AlertFilter {
  readonly severity?: Severity | '';
  readonly accountId?: string;
  readonly code?: string;
  readonly unreadOnly?: boolean;
}

/** At least this severity (a "warning" filter keeps errors and critical ones too), this account, this code. */
export function filterAlerts(alerts: readonly AlertView[], f: AlertFilter): AlertView[] {
  const min = f.severity ? SEVERITY_RANK[f.severity] : 0;
  return alerts.filter(
    (a) =>
      SEVERITY_RANK[a.severity] >= min &&
      (!f.accountId || a.accountId === f.accountId) &&
      (!f.code || a.code === f.code) &&
      (!f.unreadOnly || !a.acknowledged),
  );
}
