// Copy settings per follower: sizing, reverse, symbol map, filters, windows, caps, policies, dry run; validated inline.
// Only what applies is shown: market hours for equity brokers, brackets on ProjectX, the buffer for limit orders.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LinkView } from '../../core/contract/index.js';
import { Check, SelectField, TextField } from '../components/field.js';
import { FirstRun } from '../components/first-run.js';
import { navigate } from '../state/route.js';
import { call } from '../state/session.js';
import { useDash } from '../state/store.js';
import { formFromLink, formToPatch, validateForm, type SettingsForm } from './settings-model.js';
import { SymbolMapEditor, WindowsEditor } from './settings-lists.js';

const MODES = [
  ['multiplier', 'Multiplier'],
  ['fixed', 'Fixed quantity'],
  ['equity', 'Equity ratio'],
  ['notional', 'Notional'],
] as const;
const VALUE_HINT: Record<SettingsForm['mode'], string> = {
  multiplier: 'Follower qty = leader qty × value (up to 100)',
  fixed: 'This quantity whenever the leader holds a position',
  equity: 'Extra factor on follower equity / leader equity (up to 100)',
  notional: 'Money per position at the entry price',
};

function Form({ link, broker }: { link: LinkView; broker: string }) {
  // Snapshots arrive often with equal settings: follow the link's content, not its identity.
  const linkKey = JSON.stringify(link);
  const initial = useMemo(() => formFromLink(JSON.parse(linkKey) as LinkView), [linkKey]);
  const [form, setForm] = useState<SettingsForm>(initial);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const errors = useMemo(() => validateForm(form), [form]);
  const valid = Object.keys(errors).length === 0;
  const dirty = JSON.stringify(formToPatch(form)) !== JSON.stringify(formToPatch(initial));
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    if (!dirtyRef.current) setForm(initial);
  }, [initial]);
  const set = (p: Partial<SettingsForm>) => {
    setSaved(false);
    setForm({ ...form, ...p });
  };
  const save = async () => {
    if (!valid) return;
    setBusy(true);
    const r = await call('links:update', { id: link.id, patch: formToPatch(form) });
    setBusy(false);
    setSaved(r.ok);
  };
  return (
    <form
      className="settings"
      aria-label={`Copy settings for ${link.follower}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <fieldset className="card">
        <legend>Sizing</legend>
        <div className="form-grid">
          <SelectField label="Sizing mode" value={form.mode} options={MODES} onChange={(mode) => set({ mode })} testId="sizing-mode" />
          <TextField label="Sizing value" value={form.value} onChange={(value) => set({ value })} error={errors['sizing.value'] ?? errors.sizing} hint={VALUE_HINT[form.mode]} inputMode="decimal" testId="sizing-value" />
          <Check label="Reverse (copy long as short)" checked={form.reverse} onChange={(reverse) => set({ reverse })} testId="reverse" />
          <Check label="Dry run (journal orders, never send)" checked={form.dryRun} onChange={(dryRun) => set({ dryRun })} />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Symbol map</legend>
        <SymbolMapEditor rows={form.symbolMap} errors={errors} onChange={(symbolMap) => set({ symbolMap })} />
        <Check label="Copy unmapped symbols as the same symbol" checked={form.copyUnmapped} onChange={(copyUnmapped) => set({ copyUnmapped })} />
      </fieldset>
      <fieldset className="card">
        <legend>Filters</legend>
        <div className="form-grid">
          <TextField label="Only these symbols" value={form.allowSymbols} onChange={(allowSymbols) => set({ allowSymbols })} error={errors['filters.allowSymbols'] ?? errors['filters.allowSymbols.0']} hint="Comma separated; empty = all" />
          <TextField label="Never these symbols" value={form.denySymbols} onChange={(denySymbols) => set({ denySymbols })} error={errors['filters.denySymbols'] ?? errors['filters.denySymbols.0']} />
          <TextField label="Minimum notional" value={form.minNotional} onChange={(minNotional) => set({ minNotional })} error={errors['filters.minNotional']} inputMode="decimal" />
          <SelectField
            label="Direction"
            value={form.direction}
            options={[
              ['both', 'Long and short'],
              ['long_only', 'Long only'],
              ['short_only', 'Short only'],
            ]}
            onChange={(direction) => set({ direction })}
          />
          <TextField label="Strategy tag prefix" value={form.tagPrefix} onChange={(tagPrefix) => set({ tagPrefix })} error={errors['filters.tagPrefix']} hint="Copy only leader orders whose tag starts with this" />
        </div>
        <WindowsEditor rows={form.windows} errors={errors} onChange={(windows) => set({ windows })} />
      </fieldset>
      <fieldset className="card">
        <legend>Caps (exposure-increasing orders only)</legend>
        <div className="form-grid four">
          <TextField label="Max order qty" value={form.maxOrderQty} onChange={(maxOrderQty) => set({ maxOrderQty })} error={errors['caps.maxOrderQty']} inputMode="decimal" />
          <TextField label="Max position qty" value={form.maxPositionQty} onChange={(maxPositionQty) => set({ maxPositionQty })} error={errors['caps.maxPositionQty']} inputMode="decimal" />
          <TextField label="Max position notional" value={form.maxPositionNotional} onChange={(maxPositionNotional) => set({ maxPositionNotional })} error={errors['caps.maxPositionNotional']} inputMode="decimal" />
          <TextField label="Max open positions" value={form.maxOpenPositions} onChange={(maxOpenPositions) => set({ maxOpenPositions })} error={errors['caps.maxOpenPositions']} inputMode="numeric" />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Orders and reconciliation</legend>
        <div className="form-grid four">
          <SelectField label="Order type" value={form.orderType} options={[['market', 'Market'], ['marketable_limit', 'Marketable limit']]} onChange={(orderType) => set({ orderType })} testId="order-type" />
          {form.orderType === 'marketable_limit' ? (
            <TextField label="Limit buffer (ticks)" value={form.limitBufferTicks} onChange={(limitBufferTicks) => set({ limitBufferTicks })} error={errors.limitBufferTicks} hint="Ticks beyond the leader's price" inputMode="numeric" testId="limit-buffer" />
          ) : null}
          <SelectField label="On drift" value={form.reconcilePolicy} options={[['alert', 'Alert only'], ['repair', 'Repair (send the delta)']]} onChange={(reconcilePolicy) => set({ reconcilePolicy })} />
          {broker === 'projectx' ? null : (
            <SelectField label="Outside regular hours" value={form.outsideHours} options={[['skip', 'Skip'], ['wait', 'Wait for the open'], ['extended_limit', 'Extended-hours limit']]} onChange={(outsideHours) => set({ outsideHours })} testId="outside-hours" />
          )}
        </div>
      </fieldset>
      {broker === 'projectx' ? (
        <fieldset className="card" data-testid="bracket-section">
          <legend>Bracket (ProjectX, on opening orders)</legend>
          <div className="form-grid four">
            <TextField label="Stop loss (ticks)" value={form.stopLossTicks} onChange={(stopLossTicks) => set({ stopLossTicks })} error={errors['bracket.stopLossTicks']} hint="Empty = no stop" inputMode="numeric" testId="stop-loss-ticks" />
            <TextField label="Take profit (ticks)" value={form.takeProfitTicks} onChange={(takeProfitTicks) => set({ takeProfitTicks })} error={errors['bracket.takeProfitTicks']} hint="Empty = no target" inputMode="numeric" testId="take-profit-ticks" />
          </div>
          <p className="hint">Needs Auto-OCO brackets enabled on the ProjectX account. Brackets are resized or cancelled when the leader reduces.</p>
        </fieldset>
      ) : null}
      <div className="savebar">
        <span className={valid ? 'muted' : 'field-error'} role="status" data-testid="settings-status">
          {!valid ? `${Object.keys(errors).length} field${Object.keys(errors).length > 1 ? 's need' : ' needs'} attention; nothing was sent` : saved ? 'Saved' : dirty ? 'Unsaved changes' : 'Up to date'}
        </span>
        <button type="button" onClick={() => set(formFromLink(link))} disabled={!dirty}>
          Revert
        </button>
        <button type="submit" className="primary" disabled={!valid || !dirty || busy} data-testid="save-settings">
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

export function SettingsScreen({ followerId }: { followerId: string | undefined }) {
  const snap = useDash((s) => s.snapshot);
  if (!snap) return null;
  if (snap.links.length === 0) {
    return (
      <div className="screen">
        <h1>Copy settings</h1>
        {snap.accounts.length === 0 ? <FirstRun compact /> : <p className="muted">No follower is linked to a leader yet. Add one on the Accounts page.</p>}
      </div>
    );
  }
  const link = snap.links.find((l) => l.follower === followerId) ?? snap.links[0]!;
  const label = (id: string) => snap.accounts.find((a) => a.id === id)?.label ?? id;
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Copy settings</h1>
        <SelectField
          label="Follower"
          className="inline"
          value={link.follower}
          options={snap.links.map((l) => [l.follower, `${label(l.follower)} ← ${label(l.leader)}`] as const)}
          onChange={(id) => navigate('settings', id)}
          testId="settings-follower"
        />
      </div>
      <Form key={link.id} link={link} broker={snap.accounts.find((a) => a.id === link.follower)?.broker ?? 'sim'} />
    </div>
  );
}
