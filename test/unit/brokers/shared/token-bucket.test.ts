// PriorityTokenBucket: burst capacity, continuous refill, strict priority then FIFO, pause, rejectAll.
import { describe, expect, it } from 'vitest';
import { PriorityTokenBucket, priorityFor, type RequestPriority } from '../../../../core/brokers/shared/token-bucket.js';
import { TestClock, flushMicrotasks } from '../../../support/test-clock.js';

function setup(capacity = 3, windowMs = 3000) {
  const clock = new TestClock(0);
  const bucket = new PriorityTokenBucket({ capacity, windowMs, clock });
  const granted: string[] = [];
  const take = (p: RequestPriority, label: string = p) => void bucket.take(p).then(() => granted.push(label));
  return { clock, bucket, granted, take };
}

describe('PriorityTokenBucket', () => {
  it('grants a burst of capacity at once, then one token per windowMs/capacity', async () => {
    const { clock, bucket, granted, take } = setup(3, 3000);
    for (let i = 0; i < 5; i++) take('copy', `c${i}`);
    await flushMicrotasks();
    expect(granted).toEqual(['c0', 'c1', 'c2']);
    expect(bucket.pending()).toBe(2);
    await clock.advanceAsync(999);
    expect(granted).toHaveLength(3);
    await clock.advanceAsync(1);
    expect(granted).toEqual(['c0', 'c1', 'c2', 'c3']);
    await clock.advanceAsync(1000);
    expect(granted).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(bucket.pending()).toBe(0);
  });

  it('never refills beyond capacity', async () => {
    const { clock, bucket } = setup(3, 3000);
    await bucket.take('query');
    await clock.advanceAsync(60_000);
    expect(bucket.available()).toBe(3);
  });

  it('serves waiting requests strictly by priority, FIFO within a priority', async () => {
    const { clock, granted, take } = setup(1, 1000);
    take('query', 'warmup');
    await flushMicrotasks();
    take('query', 'q1');
    take('copy', 'c1');
    take('query', 'q2');
    take('flatten', 'f1');
    take('copy', 'c2');
    take('flatten', 'f2');
    await clock.advanceAsync(6000);
    expect(granted).toEqual(['warmup', 'f1', 'f2', 'c1', 'c2', 'q1', 'q2']);
  });

  it('queues a flatten behind nothing but tokens: it jumps ahead of earlier copies', async () => {
    const { clock, granted, take } = setup(1, 1000);
    take('copy', 'c0');
    take('copy', 'c1');
    await flushMicrotasks();
    take('flatten', 'f');
    await clock.advanceAsync(1000);
    expect(granted).toEqual(['c0', 'f']);
  });

  it('pause() holds every grant until the pause ends, even with tokens available', async () => {
    const { clock, bucket, granted, take } = setup(5, 5000);
    bucket.pause(2500);
    take('flatten', 'f');
    await clock.advanceAsync(2499);
    expect(granted).toEqual([]);
    await clock.advanceAsync(1);
    expect(granted).toEqual(['f']);
  });

  it('a shorter pause never shortens a longer one', async () => {
    const { clock, bucket, granted, take } = setup(5, 5000);
    bucket.pause(3000);
    bucket.pause(100);
    take('copy', 'c');
    await clock.advanceAsync(2999);
    expect(granted).toEqual([]);
    await clock.advanceAsync(1);
    expect(granted).toEqual(['c']);
  });

  it('rejectAll() fails every waiting request and leaves no timer behind', async () => {
    const { clock, bucket } = setup(1, 1000);
    await bucket.take('copy');
    const waiting = [bucket.take('copy'), bucket.take('query')];
    bucket.rejectAll(new Error('closed'));
    await expect(Promise.all(waiting)).rejects.toThrow('closed');
    expect(bucket.pending()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects nonsense limits and maps purposes to priorities', () => {
    const clock = new TestClock(0);
    expect(() => new PriorityTokenBucket({ capacity: 0, windowMs: 1000, clock })).toThrow(RangeError);
    expect(() => new PriorityTokenBucket({ capacity: 1.5, windowMs: 1000, clock })).toThrow(RangeError);
    expect(() => new PriorityTokenBucket({ capacity: 1, windowMs: 0, clock })).toThrow(RangeError);
    expect(priorityFor('flatten')).toBe('flatten');
    expect(priorityFor('copy')).toBe('copy');
    expect(priorityFor('repair')).toBe('copy');
  });

  it('sustains exactly the documented rate over a long run (200 per 60 s)', async () => {
    const clock = new TestClock(0);
    const bucket = new PriorityTokenBucket({ capacity: 200, windowMs: 60_000, clock });
    let granted = 0;
    for (let i = 0; i < 500; i++) void bucket.take('copy').then(() => granted++);
    await flushMicrotasks();
    expect(granted).toBe(200);
    await clock.advanceAsync(60_000);
    expect(granted).toBe(400);
    await clock.advanceAsync(30_000);
    expect(granted).toBe(500);
  });
});
