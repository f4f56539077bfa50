// Follower client ids: deterministic, distinct per (follower, source, attempt), within both brokers' limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_ID_LENGTH, followerClientId, isOurClientId } from '../../../core/domain/client-id.js';
import { accountId } from '../../../core/domain/ids.js';

describe('followerClientId', () => {
  it('is deterministic and recognisable', () => {
    const a = followerClientId(accountId('f1'), 'exec-1', 0);
    expect(followerClientId(accountId('f1'), 'exec-1', 0)).toBe(a);
    expect(isOurClientId(a)).toBe(true);
    expect(a).toMatch(/^md1-[0-9a-v]{26}-0$/);
  });

  it('differs by follower, source and attempt', () => {
    const ids = new Set([
      followerClientId(accountId('f1'), 'exec-1', 0),
      followerClientId(accountId('f2'), 'exec-1', 0),
      followerClientId(accountId('f1'), 'exec-2', 0),
      followerClientId(accountId('f1'), 'exec-1', 1),
    ]);
    expect(ids.size).toBe(4);
  });

  it('property: fits 48 characters and does not collide on random inputs', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.uuid(), fc.nat(999_999), (f, src, attempt) => {
        const id = followerClientId(accountId(f), src, attempt);
        expect(id.length).toBeLessThanOrEqual(MAX_CLIENT_ID_LENGTH);
        const key = `${f}|${src}|${attempt}`;
        const prev = seen.get(id);
        expect(prev === undefined || prev === key).toBe(true);
        seen.set(id, key);
      }),
      { numRuns: 2000 },
    );
  });
});
