// The order state machine: every status/event pair is defined or impossible; terminal states stay terminal.
import { describe, expect, it } from 'vitest';
import { ORDER_EVENTS, ORDER_STATUSES, eventForStatus, isTerminal, transition } from '../../../core/domain/order-fsm.js';

describe('order FSM', () => {
  it('follows the happy path planned -> accepted -> partially_filled -> filled', () => {
    let s = transition('planned', 'ack');
    expect(s).toEqual({ ok: true, next: 'accepted', changed: true });
    s = transition('accepted', 'partial_fill');
    expect(s.ok && s.next).toBe('partially_filled');
    s = transition('partially_filled', 'fill');
    expect(s.ok && s.next).toBe('filled');
  });

  it('settles unknown outcomes only through broker facts', () => {
    expect(transition('planned', 'outcome_unknown')).toMatchObject({ ok: true, next: 'unknown' });
    expect(transition('unknown', 'fill')).toMatchObject({ ok: true, next: 'filled' });
    expect(transition('unknown', 'not_found')).toMatchObject({ ok: true, next: 'not_placed' });
    expect(transition('accepted', 'not_found')).toEqual({ ok: false, from: 'accepted', event: 'not_found' });
  });

  it('treats stale repeats as no change, and impossible moves as errors', () => {
    expect(transition('filled', 'ack')).toEqual({ ok: true, next: 'filled', changed: false });
    expect(transition('partially_filled', 'partial_fill')).toMatchObject({ ok: true, changed: false });
    expect(transition('filled', 'cancel')).toMatchObject({ ok: false });
    expect(transition('rejected', 'fill')).toMatchObject({ ok: false });
    expect(transition('not_placed', 'ack')).toMatchObject({ ok: false });
  });

  it('never leaves a terminal status', () => {
    for (const s of ORDER_STATUSES.filter(isTerminal)) {
      for (const e of ORDER_EVENTS) {
        const r = transition(s, e);
        if (r.ok) expect(r.next).toBe(s);
      }
    }
  });

  it('maps every broker status to an event that reaches it from planned or accepted', () => {
    for (const s of ORDER_STATUSES) {
      const e = eventForStatus(s);
      const fromPlanned = transition('planned', e);
      const fromAccepted = transition('accepted', e);
      const reached = [fromPlanned, fromAccepted].some((r) => r.ok && r.next === s);
      expect(reached || s === 'planned').toBe(true);
    }
  });
});
