// The link wizard's "Copy from" step: leader, sizing, symbol map and dry run, then, when the leader already holds
// positions this link would copy, the question of how it starts: match them now (the exact orders, from links:preview)
// or copy new trades only. Nothing is sent before "Start following".
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../core/contract/index.js';
import { contractRest } from '../state/contract-schemas.js';
import { qty } from '../format.js';
import type { MapRow } from '../screens/settings-model.js';
import { SymbolMapEditor } from '../screens/settings-lists.js';
import { sizingValueError } from '../screens/settings-rules.js';
import { query } from '../state/session.js';
import { Side } from './badges.js';
import { Check, issuesToErrors, SelectField, TextField, type FieldErrors } from './field.js';
import './link-step.css';

export const SIZING = [
  ['multiplier', 'Multiplier (x leader qty)'],
  ['fixed', 'Fixed quantity'],
  ['equity', 'Equity ratio'],
  ['notional', 'Notional (money per position)'],
] as const;
type SizingMode = (typeof SIZING)[number][0];
export type Start = 'align' | 'new_only';
type Preview = ResponseOf<'links:preview'>;
const PREVIEW_EVERY_MS = 4_000;

export interface LinkDraft {
  leader: string;
  mode: SizingMode;
  value: string;
  map: MapRow[];
  copyUnmapped: boolean;
  dryRun: boolean;
  /** Whether the leader holds positions this link would copy (the question is asked); undefined while reading. */
  ask?: boolean;
  /** The person's answer; undefined until asked and answered. */
  start?: Start;
  /** The orders the question showed ('align' sends only these). */
  shown?: { symbol: string; side: 'buy' | 'sell'; qty: string }[];
}

export const newLinkDraft = (leader: string): LinkDraft => ({ leader, mode: 'multiplier', value: '1', map: [], copyUnmapped: true, dryRun: false });

/** The links:preview / links:add payload of a draft (without the start choice). */
export function linkPayload(d: LinkDraft, follower: string): Record<string, unknown> {
  return {
    leader: d.leader,
    follower,
    sizing: { mode: d.mode, value: d.value.trim() },
    symbolMap: Object.fromEntries(d.map.filter((r) => r.from.trim()).map((r) => [r.from.trim(), { symbol: r.to.trim(), factor: r.factor.trim() || '1' }])),
    copyUnmapped: d.copyUnmapped,
    dryRun: d.dryRun,
  };
}

/** Field errors of a draft, in the wizard's field names; empty when it can be previewed and added. */
export function linkDraftErrors(d: LinkDraft, follower: string): FieldErrors {
  const bad = sizingValueError(d.mode, d.value);
  if (bad) return { 'sizing.value': bad };
  const r = contractRest().INVOKE['links:preview'].request.safeParse(linkPayload(d, follower));
  if (r.success) return {};
  const errors = issuesToErrors(r.error.issues);
  const map = Object.entries(errors).find(([k]) => k.startsWith('symbolMap'));
  return map ? { ...errors, symbolMap: map[1] } : errors;
}

function needsAnswer(p: Preview): boolean {
  return p.items.some((i) => i.orders.length > 0);
}

function StartChoice({ preview, start, onChange }: { preview: Preview; start: Start | undefined; onChange: (s: Start) => void }) {
  const orders = preview.items.flatMap((i) => i.orders.map((o, n) => ({ ...o, symbol: i.symbol, held: i.held, key: `${i.symbol}:${n}` })));
  return (
    <fieldset className="start-choice" data-testid="wiz-start">
      <legend>The leader already holds positions this link copies. How should this follower start?</legend>
      <label className="choice">
        <input type="radio" name="start" checked={start === 'align'} onChange={() => onChange('align')} data-testid="wiz-start-align" />
        <span>
          <strong>Match the leader's open positions now:</strong>
          <ul className="plan">
            {orders.map((o) => (
              <li key={o.key} data-testid="wiz-start-order">
                <Side side={o.side} /> <span className="num">{qty(o.qty)}</span> {o.symbol} at market{o.held ? <span className="muted"> (held: {o.held})</span> : null}
              </li>
            ))}
          </ul>
        </span>
      </label>
      <label className="choice">
        <input type="radio" name="start" checked={start === 'new_only'} onChange={() => onChange('new_only')} data-testid="wiz-start-new-only" />
        <span>
          <strong>Copy new trades only:</strong> the leader's open positions are not copied; this follower copies what the leader trades from now on
          (an add to an open position copies the added quantity; the next position in full).
        </span>
      </label>
    </fieldset>
  );
}

export function LinkStep({ follower, leaders, draft, set, errors }: { follower: string; leaders: readonly (readonly [string, string])[]; draft: LinkDraft; set: (p: Partial<LinkDraft>) => void; errors: FieldErrors }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const key = JSON.stringify(linkPayload(draft, follower));
  // Each field is checked as it is entered (the Start button stays disabled until the draft is valid and answered).
  const own = linkDraftErrors(draft, follower);
  const invalid = Object.keys(own).length > 0;
  errors = { ...own, ...errors };
  useEffect(() => {
    setPreview(null);
    setFailed(null);
    set({ ask: undefined });
    if (invalid || !draft.leader) return undefined;
    let live = true;
    // Read again every few seconds: the leader keeps trading while the person decides; the orders shown are the ones sent.
    const read = () =>
      void query('links:preview', JSON.parse(key) as never).then((r) => {
        if (!live) return;
        if (r.ok) setPreview(r.value);
        else setFailed(r.error.message);
        set({ ask: r.ok && needsAnswer(r.value), shown: r.ok ? r.value.items.flatMap((i) => i.orders.map((o) => ({ symbol: i.symbol, ...o }))) : [] });
      });
    const first = window.setTimeout(read, 300);
    const again = window.setInterval(read, PREVIEW_EVERY_MS);
    return () => {
      live = false;
      window.clearTimeout(first);
      window.clearInterval(again);
    };
  }, [key, invalid]);
  return (
    <div className="modal-body">
      <p>Copy a leader's trades onto this account. Nothing is sent until you press Start following.</p>
      <div className="form-grid">
        <SelectField label="Leader" value={draft.leader} options={leaders} onChange={(leader) => set({ leader, start: undefined })} error={errors.leader} testId="wiz-leader" />
        <SelectField label="Sizing" value={draft.mode} options={SIZING} onChange={(mode) => set({ mode, start: undefined })} testId="wiz-sizing-mode" />
        <TextField label="Sizing value" value={draft.value} onChange={(value) => set({ value, start: undefined })} error={errors['sizing.value']} inputMode="decimal" testId="wiz-sizing-value" />
        <Check label="Dry run (journal orders, never send)" checked={draft.dryRun} onChange={(dryRun) => set({ dryRun })} testId="wiz-dry-run" />
      </div>
      <details className="wiz-map" open={draft.map.length > 0}>
        <summary>Symbol map ({draft.map.length === 0 ? 'symbols copied as they are' : `${draft.map.length} mapped`})</summary>
        <SymbolMapEditor rows={draft.map} errors={{}} onChange={(map) => set({ map, start: undefined })} />
        <Check label="Copy unmapped symbols as the same symbol" checked={draft.copyUnmapped} onChange={(copyUnmapped) => set({ copyUnmapped, start: undefined })} />
        {errors.symbolMap ? <p className="field-error">{errors.symbolMap}</p> : null}
      </details>
      <div className="wiz-start" aria-live="polite" data-testid="wiz-start-status">
        {failed ? (
          <p className="field-error">Could not read the leader's positions ({failed}): the link starts with new trades only.</p>
        ) : invalid ? null : preview && preview.errors.length > 0 ? (
          <p className="field-error" data-testid="wiz-start-unread">
            Could not read {preview.errors.map((e) => `${e.accountId} (${e.message})`).join(', ')}: the link starts with new trades only.
          </p>
        ) : !preview ? (
          <p className="muted">Reading the leader's positions…</p>
        ) : draft.ask ? (
          <StartChoice preview={preview} start={draft.start} onChange={(start) => set({ start })} />
        ) : (
          <p className="muted" data-testid="wiz-start-nothing">
            {preview.items.some((i) => i.held)
              ? `Nothing to match now (${preview.items.flatMap((i) => (i.held ? [`${i.symbol}: ${i.held}`] : [])).join('; ')}): copying starts with the leader's next trade.`
              : "The leader holds nothing this link copies: copying starts with the leader's next trade."}
          </p>
        )}
        {draft.dryRun ? <p className="hint">Dry run: every order of this link is journaled and shown, never sent to the broker.</p> : null}
      </div>
    </div>
  );
}

/** Whether "Start following" may run: the positions were read, and the question answered when it was asked. */
export const canStart = (d: LinkDraft): boolean => d.ask === false || (d.ask === true && d.start !== undefined);

/** What links:add gets besides the config: the answer ('new_only' when nothing was asked) and the orders it showed. */
export const startOf = (d: LinkDraft): { start: Start; orders?: LinkDraft['shown'] } =>
  d.ask && d.start === 'align' ? { start: 'align', orders: d.shown ?? [] } : { start: 'new_only' };
