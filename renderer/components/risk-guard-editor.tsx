// The guard editor of one account: every guard that applies to its broker, each with its limit and action, the
// warning level, the trading day and auto-flatten; saved through risk:set-guards (or all removed with null).
import { useState } from 'react';
import type { AccountView } from '../../core/contract/index.js';
import type { GuardAction } from '../../core/domain/guard-settings.js';
import { defaultDay, formFromSettings, formToSettings, guardsFor, validateGuardForm, type GuardForm, type LimitKey } from '../screens/risk-guard-form.js';
import { saveGuards } from '../state/risk.js';
import { ACTION_LABEL } from '../state/risk-notices.js';
import { Check, SelectField, TextField, type FieldErrors } from './field.js';
import { Modal } from './modal.js';

const ACTIONS: readonly (readonly [GuardAction, string])[] = (['alert', 'block', 'flatten_lock'] as const).map((a) => [a, ACTION_LABEL[a][0]!.toUpperCase() + ACTION_LABEL[a].slice(1)] as const);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const LIMITS: Record<LimitKey, { title: string; field: string; hint: string; percent?: boolean }> = {
  dailyLoss: { title: 'Daily loss limit', field: 'Loss limit', hint: 'Net day P&L (realized + open - fees) at or below minus this amount.' },
  profitTarget: { title: 'Daily profit target', field: 'Profit target', hint: 'Net day P&L at or above this amount.' },
  trailing: { title: 'Trailing drawdown', field: 'Drawdown amount', hint: 'Equity this far below its high.' },
  maxDrawdown: { title: 'Maximum drawdown', field: 'Drawdown (%)', hint: 'Equity this many percent below its peak (emergency liquidation).', percent: true },
  minBuyingPower: { title: 'Minimum buying power', field: 'Buying power floor (%)', hint: 'Buying power below this percent of equity.', percent: true },
  maxPosition: { title: 'Maximum position size', field: 'Largest position (%)', hint: "Any one position's value above this percent of equity.", percent: true },
};

function LimitSection({ k, form, set, errors, currency }: { k: LimitKey; form: GuardForm; set: (f: GuardForm) => void; errors: FieldErrors; currency: string }) {
  const meta = LIMITS[k];
  const row = form[k];
  const put = (patch: Partial<GuardForm[LimitKey]>) => set({ ...form, [k]: { ...row, ...patch } });
  return (
    <fieldset className={`guard-edit${row.on ? '' : ' off'}`} data-testid={`guard-edit-${k}`}>
      <legend>
        <Check label={meta.title} checked={row.on} onChange={(on) => put({ on })} testId={`guard-on-${k}`} />
      </legend>
      {row.on ? (
        <div className="form-grid">
          <TextField label={meta.percent ? meta.field : `${meta.field} (${currency})`} value={row.value} onChange={(value) => put({ value })} inputMode="decimal" error={errors[`${k}.value`]} hint={meta.hint} testId={`guard-${k}`} />
          <SelectField label="When reached" value={row.action} options={ACTIONS} onChange={(action) => put({ action })} testId={`guard-action-${k}`} />
          {k === 'trailing' ? (
            <>
              <SelectField label="Trails" value={form.trailing.mode} options={[['end_of_day', 'End-of-day balance high'], ['intraday', 'Intraday equity high']]} onChange={(mode) => set({ ...form, trailing: { ...form.trailing, mode } })} testId="guard-trailing-mode" />
              <TextField label={`Stops trailing at balance (${currency}, optional)`} value={form.trailing.stopAt} onChange={(stopAt) => set({ ...form, trailing: { ...form.trailing, stopAt } })} inputMode="decimal" error={errors['trailing.stopAt']} hint="Topstep-style: the limit stops rising here." testId="guard-trailing-stop" />
            </>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}

function AutoFlatten({ form, set, errors }: { form: GuardForm; set: (f: GuardForm) => void; errors: FieldErrors }) {
  const a = form.autoFlatten;
  const put = (patch: Partial<GuardForm['autoFlatten']>) => set({ ...form, autoFlatten: { ...a, ...patch } });
  const toggleDay = (d: number) => put({ weekdays: a.weekdays.includes(d) ? a.weekdays.filter((x) => x !== d) : [...a.weekdays, d] });
  return (
    <fieldset className={`guard-edit${a.on ? '' : ' off'}`} data-testid="guard-edit-autoFlatten">
      <legend>
        <Check label="Auto-flatten at a time of day" checked={a.on} onChange={(on) => put({ on })} testId="guard-on-autoFlatten" />
      </legend>
      {a.on ? (
        <>
          <div className="form-grid">
            <TextField label="Time (HH:MM)" value={a.time} onChange={(time) => put({ time })} error={errors['autoFlatten.time']} testId="guard-flatten-time" />
            <TextField label="Time zone" value={a.timeZone} onChange={(timeZone) => put({ timeZone })} error={errors['autoFlatten.timeZone']} testId="guard-flatten-zone" />
            <TextField label="Warn minutes before" value={a.warnMinutes} onChange={(warnMinutes) => put({ warnMinutes })} inputMode="numeric" error={errors['autoFlatten.warnMinutes']} testId="guard-flatten-warn" />
          </div>
          <div className="weekdays" role="group" aria-label="Weekdays">
            {DAYS.map((name, d) => (
              <Check key={d} label={name} checked={a.weekdays.includes(d)} onChange={() => toggleDay(d)} />
            ))}
          </div>
          {errors['autoFlatten.weekdays'] ? <span className="field-error" role="alert">{errors['autoFlatten.weekdays']}</span> : null}
          <p className="hint">Closes every position of this account at that time and takes no new exposure until the trading day resets.</p>
        </>
      ) : null}
    </fieldset>
  );
}

export function RiskGuardEditor({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const [form, setForm] = useState(() => formFromSettings(account.guards));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const applies = guardsFor(account.broker);
  const currency = account.currency ?? 'USD';
  const set = (f: GuardForm) => {
    setForm(f);
    if (Object.keys(errors).length > 0) setErrors(validateGuardForm(f, applies));
  };
  const save = async (remove: boolean) => {
    const errs = remove ? {} : validateGuardForm(form, applies);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    const ok = await saveGuards(account.id, remove ? null : formToSettings(form, applies));
    setBusy(false);
    if (ok) onClose();
  };
  const count = Object.keys(errors).length;
  return (
    <Modal title={`Risk guards: ${account.label}`} onClose={onClose} wide>
      <div className="modal-body guard-editor">
        <div className="form-grid">
          <TextField label="Warn at (% of each limit)" value={form.warnAt} onChange={(warnAt) => set({ ...form, warnAt })} inputMode="decimal" error={errors.warnAt} testId="guard-warn-at" />
          <TextField label="Trading day starts (HH:MM)" value={form.dayTime} placeholder={defaultDay(account.broker).split(' ')[0]} onChange={(dayTime) => set({ ...form, dayTime })} error={errors.dayTime} hint={`Empty: ${defaultDay(account.broker)}`} testId="guard-day-time" />
          <TextField label="Trading day time zone" value={form.dayZone} placeholder={defaultDay(account.broker).split(' ')[1]} onChange={(dayZone) => set({ ...form, dayZone })} error={errors.dayZone} testId="guard-day-zone" />
        </div>
        {applies.map((k) => (
          <LimitSection key={k} k={k} form={form} set={set} errors={errors} currency={currency} />
        ))}
        <AutoFlatten form={form} set={set} errors={errors} />
        {account.broker === 'projectx' ? <p className="hint">Buying power and position-size guards are for equities accounts: ProjectX reports neither.</p> : null}
      </div>
      <footer className="modal-foot">
        {count > 0 ? (
          <span className="field-error savebar-msg" role="status">
            {count === 1 ? 'One field needs attention' : `${count} fields need attention`}
          </span>
        ) : null}
        <button type="button" className="ghost" onClick={() => save(true)} disabled={busy || !account.guards} data-testid="guards-remove">
          Remove all guards
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => save(false)} disabled={busy} data-testid="guards-save">
          {busy ? 'Saving…' : 'Save guards'}
        </button>
      </footer>
    </Modal>
  );
}
