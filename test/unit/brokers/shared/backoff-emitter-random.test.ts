// Backoff (full jitter, capped, seeded), the seeded PRNG and the adapters' typed event emitter.
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../../core/brokers/shared/backoff.js';
import { mulberry32, pick, randomInt } from '../../../../core/brokers/shared/random.js';
import { TypedEmitter } from '../../../../core/brokers/shared/typed-emitter.js';

describe('Backoff', () => {
  it('draws each delay within [0, min(max, base * 2^n)] and caps the ceiling', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1600, random: mulberry32(42) });
    const ceilings = [100, 200, 400, 800, 1600, 1600, 1600];
    for (const c of ceilings) {
      expect(b.ceiling(b.attempts)).toBe(c);
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(c);
      expect(Number.isInteger(d)).toBe(true);
    }
    expect(b.attempts).toBe(7);
    b.reset();
    expect(b.attempts).toBe(0);
  });

  it('spans the full jitter range at the extremes of the random source', () => {
    expect(new Backoff({ baseMs: 500, random: () => 0 }).next()).toBe(0);
    const high = new Backoff({ baseMs: 500, maxMs: 30_000, random: () => 0.999999999 });
    expect([high.next(), high.next(), high.next()]).toEqual([500, 1000, 2000]);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const b = new Backoff({ random: mulberry32(seed) });
      return Array.from({ length: 8 }, () => b.next());
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('rejects a non-positive base or a max below base', () => {
    expect(() => new Backoff({ baseMs: 0, random: Math.random })).toThrow(RangeError);
    expect(() => new Backoff({ baseMs: 100, maxMs: 50, random: Math.random })).toThrow(RangeError);
  });
});

describe('mulberry32', () => {
  it('repeats for a seed, stays in [0, 1), and helpers stay in range', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = mulberry32(5);
    const ints = Array.from({ length: 500 }, () => randomInt(r, -2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(['x', 'y']).toContain(pick(r, ['x', 'y']));
    expect(() => pick(r, [])).toThrow(RangeError);
  });
});

describe('TypedEmitter', () => {
  type Events = { tick: number; note: string };

  it('delivers to listeners until they unsubscribe', () => {
    const em = new TypedEmitter<Events>();
    const got: number[] = [];
    const off = em.on('tick', (n) => got.push(n));
    em.emit('tick', 1);
    off();
    em.emit('tick', 2);
    expect(got).toEqual([1]);
    expect(em.listenerCount('tick')).toBe(0);
  });

  it('keeps two subscriptions of the same function independent', () => {
    const em = new TypedEmitter<Events>();
    const got: number[] = [];
    const fn = (n: number) => got.push(n);
    const off1 = em.on('tick', fn);
    em.on('tick', fn);
    em.emit('tick', 1);
    off1();
    em.emit('tick', 2);
    expect(got).toEqual([1, 1, 2]);
  });

  it('isolates a throwing listener and reports it with the event name', () => {
    const errors: [string, string][] = [];
    const em = new TypedEmitter<Events>((err, event) => errors.push([event, (err as Error).message]));
    const got: string[] = [];
    em.on('note', () => {
      throw new Error('boom');
    });
    em.on('note', (s) => got.push(s));
    em.emit('note', 'hello');
    expect(got).toEqual(['hello']);
    expect(errors).toEqual([['note', 'boom']]);
  });

  it('survives a throwing error reporter', () => {
    const em = new TypedEmitter<Events>(() => {
      throw new Error('reporter down');
    });
    const got: number[] = [];
    em.on('tick', () => {
      throw new Error('boom');
    });
    em.on('tick', (n) => got.push(n));
    expect(() => em.emit('tick', 3)).not.toThrow();
    expect(got).toEqual([3]);
  });
});
