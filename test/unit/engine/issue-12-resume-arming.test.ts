// Resume from sleep (issue 12 #16), engine half: every account's adapter is replaced; a link arms only in an arming
// pass that read its leader and follower through the adapters it trades with, never on a pass that began before.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../core/domain/ids.js';
import type { Position } from '../../../core/domain/order.js';
import { createWorld } from './harness.js';

const F1 = accountId('F1');

/** A promise with its resolve function (a read held open by the test). */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('arming after the adapters are replaced (resume from sleep)', () => {
  it('issue 12 #16: a follower reconnected while a pass was reading is not armed by that pass: no copy leaves before it is read again', async () => {
    const w = await createWorld({
      links: [
        { follower: 'F1', sizing: { mode: 'multiplier', value: 1 } },
        { follower: 'F2', sizing: { mode: 'multiplier', value: 1 } },
      ],
    });
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.engine.snapshot().armed).toBe(true);

    // The machine slept: the leader's read hangs a while and F1's adapter is replaced meanwhile.
    const leaderRead = gate();
    const leaderPositions = w.leader.positions.bind(w.leader);
    w.leader.positions = () => leaderRead.promise.then(leaderPositions);
    const f1 = w.followers.get(F1)!;
    const followerRead = gate();
    const f1Positions = f1.positions.bind(f1);
    let f1Reads = 0;
    f1.positions = (): Promise<Position[]> => {
      f1Reads++;
      return followerRead.promise.then(f1Positions);
    };
    // F1's old adapter goes first (a pass starts reading the leader for F2's link), then its new one arrives.
    w.engine.setBroker(F1, undefined);
    await w.settle();
    w.engine.setBroker(F1, f1);
    await w.settle();
    expect(w.engine.snapshot().armed, 'disarmed while the accounts are read again').toBe(false);

    leaderRead.open();
    await w.settle();
    const ordersBefore = w.ordersOf('F1').length;
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.ordersOf('F1').length, 'no copy leaves before the follower was read again').toBe(ordersBefore);
    expect(f1Reads, 'the follower is being read again').toBeGreaterThan(0);
    expect(w.engine.snapshot().armed).toBe(false);

    followerRead.open();
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    expect(w.pos('F1', 'ES'), 'the trade made while it was read is copied once it is armed').toBe('3');
  });
});
