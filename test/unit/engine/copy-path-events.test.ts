// Issue 11, the copy path's order of work: every follower's order is handed to its adapter before any listener hears
// of the copy; each intent's events still arrive in order (planned, then sent, then the broker's answers).
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

describe('copy path: orders first, intent events after, in order', () => {
  it('issue 11: a copy to three followers publishes its planned intents only after all three orders were handed over', async () => {
    const w = await createWorld({ links: ['F1', 'F2', 'F3'].map((follower) => ({ follower, sizing: { mode: 'multiplier', value: 1 } })) });
    const handed = (): number => [...w.followers.values()].reduce((n, a) => n + a.requests.length, 0);
    const seen: { id: string; status: string; sent: boolean; handed: number }[] = [];
    w.engine.on('intent', (i) => seen.push({ id: i.id, status: i.status, sent: i.sentAt !== undefined, handed: handed() }));
    w.trade('ES', 'buy', 2);
    await w.settleFully();

    const ids = [...new Set(seen.map((e) => e.id))];
    expect(ids).toHaveLength(3);
    expect(handed()).toBe(3);
    for (const id of ids) {
      const events = seen.filter((e) => e.id === id);
      // First the planned intent as journaled (not sent yet), published once every order of the copy is out.
      expect(events[0]).toMatchObject({ status: 'planned', sent: false, handed: 3 });
      // Then the same intent marked sent, then the answers; the last one is the fill.
      expect(events[1]).toMatchObject({ status: 'planned', sent: true });
      expect(events.at(-1)!.status).toBe('filled');
    }
    expect(w.intents.map((i) => i.status).filter((s) => s === 'filled')).toHaveLength(3);
  });
});
