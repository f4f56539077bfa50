// fast-check arbitraries for hostile contract payloads: odd leaves, prototype keys, and one-field mutations.
import fc from 'fast-check';

const hostileKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'scope', 'id', 'accountId', 'patch'));
const hostileLeaf = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1, 2 ** 53, '', ' ', '1e5', '-0', 'global', '../../etc/passwd', '<script>alert(1)</script>', "'; DROP TABLE intents; --", '\u0000', 'a'.repeat(70_000)),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
export const hostile = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, hostileLeaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 })),
})).value;

/** A valid payload with one field replaced (or removed, or one extra field added). */
export const mutated = (base: unknown) => {
  const keys = base && typeof base === 'object' ? Object.keys(base) : [];
  return fc.oneof(
    hostile,
    fc.record({ key: keys.length ? fc.constantFrom(...keys) : hostileKey, value: fc.option(hostile, { nil: undefined }) }).map(({ key, value }) => {
      const copy = JSON.parse(JSON.stringify(base ?? {})) as Record<string, unknown>;
      if (value === undefined) delete copy[key];
      else copy[key] = value;
      return copy;
    }),
    fc.string().map((s) => JSON.parse(`{"__proto__": {"polluted": ${JSON.stringify(s)}}, "x": 1}`) as unknown),
  );
};

