// Follower client ids: deterministic, distinct per (follower, source, attempt), within both brokers' limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_ID_LENGTH, digest128, followerClientId, isOurClientId } from '../../../core/domain/client-id.js';
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

describe('issue 11 #journal: client ids stay byte-identical across the one-pass digest', () => {
  it('issue 11: known (follower, source, attempt) triples give the ids journaled before the change', () => {
    expect(followerClientId(accountId('F1'), 'exec-123', 0)).toBe('md1-176otcl20cc63b2o3ehpc1dho5-0');
    expect(followerClientId(accountId('acct-ü-9'), 'a/open', 7)).toBe('md1-02070783i8dpte1tq4pc00at0l-7');
    expect(digest128('')).toBe('3lrdgh829aa9sc1llaas90kgo0');
    expect(digest128('x'.repeat(300))).toBe('2chfvs32fahq762iq1n640dmek');
  });
});
