// Reading the engine:halt report (a loose object on the wire) into plain lines: what was cancelled, closed, or failed.
import type { AccountView } from '../../core/contract/index.js';

export interface ReportLine {
  readonly ok: boolean;
  readonly text: string;
}

type Loose = Record<string, unknown>;
const arr = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter((x): x is Loose => !!x && typeof x === 'object') : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

/** One line per cancelled order group, closed position and error, per follower; a line for followers with nothing to do. */
export function reportLines(report: Loose, label: (id: string) => string): ReportLine[] {
  const lines: ReportLine[] = [];
  for (const f of arr(report.followers)) {
    const who = label(str(f.accountId));
    const cancelled = arr(f.cancelled);
    const flattened = arr(f.flattened);
    const errors = Array.isArray(f.errors) ? f.errors.map(str) : [];
    for (const c of cancelled) {
      lines.push(c.ok === true ? { ok: true, text: `Cancelled open orders ${str(c.symbol)} on ${who}` } : { ok: false, text: `Could not cancel ${str(c.symbol)} on ${who}: ${str(c.error)}` });
    }
    for (const c of flattened) {
      lines.push(c.ok === true ? { ok: true, text: `Closed ${str(c.symbol)} on ${who}` } : { ok: false, text: `Could not close ${str(c.symbol)} on ${who}: ${str(c.error)}` });
    }
    for (const e of errors) lines.push({ ok: false, text: `Problem on ${who}: ${e}` });
    if (cancelled.length + flattened.length + errors.length === 0) lines.push({ ok: true, text: `${who}: halted; nothing was open to cancel or close` });
  }
  return lines;
}

/** What a halt will do, before it runs, from the snapshot (positions per follower in scope). */
export function planLines(opts: { scope: string; followers: readonly AccountView[]; cancel: boolean; flatten: boolean }): string[] {
  const inScope = opts.scope === 'global' ? opts.followers : opts.followers.filter((a) => a.id === opts.scope);
  const lines: string[] = [];
  if (opts.scope === 'global') lines.push(`Halt every follower (${inScope.length}): no new orders anywhere, also after a restart, until someone resumes`);
  else lines.push(`Halt ${inScope[0]?.label ?? opts.scope}: no new orders on it, also after a restart, until someone resumes`);
  for (const a of inScope) {
    if (opts.cancel) lines.push(`Cancel every open copier order on ${a.label}`);
    if (!opts.flatten) continue;
    const open = a.positions.filter((p) => /[1-9]/.test(p.qty));
    if (open.length === 0) lines.push(`${a.label} holds no position: nothing to close`);
    for (const p of open) lines.push(`Close ${p.symbol} ${p.qty} at market on ${a.label}`);
  }
  if (!opts.flatten) lines.push('Positions stay open (tick "Flatten" to close them)');
  if (opts.scope !== 'global') lines.push('Other followers keep copying');
  return lines;
}
