// CommandQueue: AppHost commands run one at a time, in order; a failing command does not stop the next.
import { describe, expect, it } from 'vitest';
import { CommandQueue } from '../../../core/app/command-queue.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CommandQueue', () => {
  it('runs commands one at a time in the order asked, even when each awaits', async () => {
    const q = new CommandQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const cmd = (name: string, waits: number) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      for (let i = 0; i < waits; i++) await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([q.run(cmd('a', 3)), q.run(cmd('b', 1)), q.run(cmd('c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('a failing command rejects its caller only; the next one runs', async () => {
    const q = new CommandQueue();
    const failed = q.run(() => {
      throw new Error('bad edit');
    });
    const next = q.run(() => 'next');
    await expect(failed).rejects.toThrow('bad edit');
    await expect(next).resolves.toBe('next');
    expect(q.size).toBe(0);
  });

  it('idle() waits for everything queued so far', async () => {
    const q = new CommandQueue();
    let done = false;
    void q.run(async () => {
      await tick();
      await tick();
      done = true;
    });
    expect(q.size).toBe(1);
    await q.idle();
    expect(done).toBe(true);
  });
});
