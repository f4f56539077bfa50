// The typed contract client: result and event validation over a transport, and transport failures as Results.
import { describe, expect, it } from 'vitest';
import { createContractClient, type ContractTransport } from '../../../core/contract/index.js';
import { createClientWith } from '../../../core/contract/client-core.js';
import { INVOKE } from '../../../core/contract/channels.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createFakeHost } from './fake-host.js';

function loopback(): { transport: ContractTransport; emit: (channel: string, payload: unknown) => void } {
  const d = createDispatcher(createFakeHost());
  const listeners = new Map<string, ((p: unknown) => void)[]>();
  return {
    transport: {
      invoke: (channel, payload) => d.dispatch(channel, payload, 'client'),
      on: (channel, fn) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
        return () => listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn));
      },
    },
    emit: (channel, payload) => (listeners.get(channel) ?? []).forEach((f) => f(payload)),
  };
}

describe('createContractClient', () => {
  it('returns typed, validated results from the dispatcher', async () => {
    const { transport } = loopback();
    const client = createContractClient(transport);
    const snap = await client.invoke('workspace:snapshot');
    expect(snap.ok && snap.value.accounts.map((a) => a.id)).toEqual(['lead', 'f1', 'spare']);
    const refused = await client.invoke('engine:halt', { scope: 'global', cancelOpenOrders: 'yes' as unknown as boolean });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('turns transport failures and malformed results into Results, never throws', async () => {
    const invalid: string[] = [];
    const broken = createContractClient({ invoke: async () => Promise.reject(new Error('socket closed')), on: () => () => undefined });
    expect(await broken.invoke('stats:counts')).toEqual({ ok: false, error: { code: 'unavailable', message: 'connection to the app failed: socket closed', retryable: true } });
    const liar = createContractClient({ invoke: async () => ({ ok: true, value: { accounts: 'nope' } }), on: () => () => undefined }, { onInvalid: (w) => invalid.push(w) });
    expect(await liar.invoke('workspace:snapshot')).toMatchObject({ ok: false, error: { code: 'internal' } });
    const garbage = createContractClient({ invoke: async () => 'garbage', on: () => () => undefined }, { onInvalid: (w) => invalid.push(w) });
    expect(await garbage.invoke('stats:counts')).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(invalid).toEqual(['result on workspace:snapshot does not match the contract', 'malformed result on stats:counts']);
  });

  it('delivers only contract-valid events', () => {
    const { transport, emit } = loopback();
    const invalid: string[] = [];
    const client = createContractClient(transport, { onInvalid: (w) => invalid.push(w) });
    const got: unknown[] = [];
    const off = client.on('breaker:tripped', (b) => got.push(b.scope));
    emit('breaker:tripped', { scope: 'f1', tripped: true });
    emit('breaker:tripped', { scope: 42 });
    off();
    emit('breaker:tripped', { scope: 'f2', tripped: true });
    expect(got).toEqual(['f1']);
    expect(invalid).toEqual(['event breaker:tripped does not match the contract']);
  });

  it('a response schema that cannot be loaded fails the call (retryable) instead of passing the reply unchecked or throwing', async () => {
    const { transport } = loopback();
    let attempts = 0;
    const client = createClientWith(transport, (channel) => (++attempts === 1 ? Promise.reject(new Error('chunk load failed')) : INVOKE[channel].response));
    expect(await client.invoke('stats:counts')).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'the dashboard could not load the contract for stats:counts: chunk load failed', retryable: true },
    });
    expect((await client.invoke('stats:counts')).ok, 'the next call loads the schema and succeeds').toBe(true);
  });
});
