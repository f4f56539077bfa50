// Row codecs: decimals as canonical TEXT, optional values as NULL, JSON columns that never throw on odd input.
import { Decimal } from '../domain/decimal.js';

export const decText = (d: Decimal | undefined): string | null => (d === undefined ? null : d.toString());

export const optDec = (text: string | null): Decimal | undefined => (text === null ? undefined : Decimal.from(text));

export const optNum = (n: number | null): number | undefined => (n === null ? undefined : n);

export const optStr = <T extends string>(s: string | null): T | undefined => (s === null ? undefined : (s as T));

/** JSON text for a details/raw column; bigints become strings and an unserialisable value is described, not thrown. */
export function toJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? null;
  } catch (err) {
    return JSON.stringify({ unserializable: (err as Error).message });
  }
}

export function fromJson<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return { unparsable: text } as T;
  }
}

/** Drops undefined properties so optional fields are absent rather than present-and-undefined. */
export function compact<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}
