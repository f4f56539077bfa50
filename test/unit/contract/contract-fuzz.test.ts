// Contract fuzzing: random and hostile payloads on every channel are refused cleanly and change nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { INVOKE, INVOKE_CHANNELS, resultSchema } from '../../../core/contract/index.js';
import { createFakeHost } from './fake-host.js';
import { VALID_REQUESTS } from './samples.js';
import { hostile, mutated } from './arbitraries.js';

const envelope = resultSchema(z.unknown());
describe('contract fuzzing through the dispatcher', () => {
  it('accepts the documented valid request of every channel', async () => {
    for (const channel of INVOKE_CHANNELS) {
      const r = await createDispatcher(createFakeHost()).dispatch(channel, VALID_REQUESTS[channel], 'fuzz');
      expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
    }
  });

  for (const channel of INVOKE_CHANNELS) {
    it(`refuses invalid payloads on ${channel} cleanly and changes nothing`, async () => {
      const host = createFakeHost();
      const d = createDispatcher(host);
      const before = host.state();
      await fc.assert(
        fc.asyncProperty(mutated(VALID_REQUESTS[channel]), async (payload) => {
          fc.pre(!INVOKE[channel].request.safeParse(payload).success);
          const r = await d.dispatch(channel, payload, 'fuzz');
          expect(envelope.safeParse(r).success).toBe(true);
          expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', retryable: false } });
          const message = (r as { error: { message: string } }).error.message;
          expect(message.length).toBeLessThanOrEqual(300);
          expect(message).not.toMatch(/\n|\bat .*:\d+:\d+/);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: 150, seed: 20261121 },
      );
      expect(host.state()).toBe(before);
    });
  }

  it('refuses random channel names and actors', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    const before = host.state();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), hostile), hostile, async (channel, payload) => {
        fc.pre(!(typeof channel === 'string' && Object.hasOwn(INVOKE, channel)));
        expect(await d.dispatch(channel, payload, 'fuzz')).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
      }),
      { numRuns: 300, seed: 7 },
    );
    for (const actor of ['', 'x'.repeat(200), 'evil\nactor', 42 as unknown as string]) {
      expect(await d.dispatch('engine:pause', {}, actor)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(host.state()).toBe(before);
  });
});
