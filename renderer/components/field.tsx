// Labelled form controls with inline errors (aria-invalid + aria-describedby), and zod-issue-to-field mapping.
import { useId, type ReactNode } from 'react';

export type FieldErrors = Record<string, string>;

/** Maps zod issues to "a.b.c" keys (first message per key). */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = prefix + i.path.map(String).join('.');
    out[key] ??= i.message;
  }
  return out;
}

interface BaseProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
}

function Wrap({ label, error, hint, className, id, children }: BaseProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" id={`${id}-err`} role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function TextField(
  props: BaseProps & {
    value: string;
    onChange: (v: string) => void;
    onBlur?: () => void;
    placeholder?: string;
    type?: string;
    autoComplete?: string;
    testId?: string;
    inputMode?: 'decimal' | 'numeric' | 'text';
  },
) {
  const id = useId();
  return (
    <Wrap {...props} id={id}>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        spellCheck={false}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-err` : props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
    </Wrap>
  );
}

export function SelectField<T extends string>(
  props: BaseProps & { value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void; testId?: string },
) {
  const id = useId();
  return (
    <Wrap {...props} id={id}>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

export function Check({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId?: string }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
    </label>
  );
}

/** A switch for on/off settings (role="switch"). */
export function Toggle({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId?: string }) {
  return (
    <button type="button" role="switch" aria-checked={checked} aria-label={label} className={`switch${checked ? ' on' : ''}`} onClick={() => onChange(!checked)} data-testid={testId}>
      <span className="knob" aria-hidden="true" />
    </button>
  );
}
