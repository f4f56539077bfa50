// Test wiring: a started AlpacaSim plus real AlpacaAdapters pointed at it with short timers.
import { SystemClock } from '../../../core/app/system-clock.js';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import { createAlpacaAdapter, type AlpacaAdapter, type AlpacaTuning } from '../../../core/brokers/alpaca/index.js';
import { seeded } from './book.js';
import { AlpacaSim, type AlpacaSimOptions, type SimKeys } from './server.js';

/** Fast timers so reconnect and stall tests finish in well under a second each. */
export const FAST_TUNING: Partial<AlpacaTuning> = {
  pingMs: 100,
  pongTimeoutMs: 150,
  staleMs: 1_000,
  handshakeTimeoutMs: 1_000,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  requestTimeoutMs: 1_000, // a loaded CI machine answers slowly; timeout-fault tests wait this long once
  pollMs: 0,
  firstConnectAttempts: 3,
};

export async function startSim(opts: AlpacaSimOptions = {}): Promise<AlpacaSim> {
  return new AlpacaSim(opts).start();
}

export function adapterFor(
  sim: AlpacaSim,
  keys: Pick<SimKeys, 'keyId' | 'secretKey'>,
  id = 'alpaca-1',
  tuning: Partial<AlpacaTuning> = FAST_TUNING,
  log?: (line: string) => void,
): AlpacaAdapter {
  const account = accountConfigSchema.parse({
    id,
    label: id,
    broker: 'alpaca',
    environment: 'paper',
    endpoints: { rest: sim.restUrl, stream: sim.streamUrl },
  });
  return createAlpacaAdapter({ account, credentials: keys, clock: new SystemClock(), random: seeded(7), tuning, ...(log ? { log } : {}) });
}
