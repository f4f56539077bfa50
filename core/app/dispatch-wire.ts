// Serialises host values for the wire: JSON semantics (Decimal -> string via toJSON), bigints as strings.
export function toWire(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** Every string inside a value (for scrubbing credential payloads out of messages). */
export const stringLeaves = (v: unknown, depth = 0): string[] =>
  depth > 8
    ? []
    : typeof v === 'string'
      ? [v]
      : v && typeof v === 'object'
        ? Object.values(v).flatMap((x) => stringLeaves(x, depth + 1))
        : [];
