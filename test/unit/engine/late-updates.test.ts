// Late and repeated broker order updates: journaled once, published once (issue 11, redundant intent events).
import { describe, expect, it } from 'vitest';
import { accountId, type IntentId } from '../../../core/domain/ids.js';
import { createWorld } from './harness.js';

const F1 = accountId('F1');

describe('late order updates', () => {
  it('issue 11 #4: a repeated order update that changes nothing writes no intent event and publishes no intent', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.trade('ES', 'buy', 2);
    await w.settle();
    const filled = w.intents.at(-1)!;
    expect(filled.status).toBe('filled');
    const [order] = w.ordersOf('F1');
    const events = () => w.journal.queries.getCopy(filled.id as IntentId)!.events.length;
    const before = events();
    const published = w.intents.length;
    for (let i = 0; i < 3; i++) {
      w.followers.get(F1)!.deliver('order', { ...order!, raw: { event: 'fill', repeat: i } });
    }
    await w.settle();
    expect(events()).toBe(before);
    expect(w.intents.length).toBe(published);
  });
});
