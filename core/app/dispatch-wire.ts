// Serialises host values for the wire: JSON semantics (Decimal -> string via toJSON), bigints as strings.
export function toWire(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** Every string inside a value, keys included. */
export const stringLeaves = (v: unknown, depth = 0): string[] =>
  depth > 8
    ? []
    : typeof v === 'string'
      ? [v]
      : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [k, ...stringLeaves(x, depth + 1)])
        : [];

const CREDENTIAL_FIELDS = new Set(['accountId', 'credentials', 'keyId', 'secretKey', 'userName', 'apiKey']);

/** Strings of a credentials:set payload that may be secret: everything but the field names and the account id. */
export function secretCandidates(payload: unknown): string[] {
  const accountId = payload && typeof payload === 'object' ? (payload as { accountId?: unknown }).accountId : undefined;
  return stringLeaves(payload).filter((s) => s.length >= 4 && !CREDENTIAL_FIELDS.has(s) && s !== accountId);
}
