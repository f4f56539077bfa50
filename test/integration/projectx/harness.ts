// Test helpers for the ProjectX adapter against the wire-level simulator: sim + adapter wiring and event capture.
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import { SystemClock } from '../../../core/app/system-clock.js';
import { createProjectXAdapter, type ProjectXTuning } from '../../../core/brokers/projectx/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import type { Clock } from '../../../core/ports/clock.js';
import { startProjectXSim, type ProjectXSim, type ProjectXSimOptions } from '../../sims/projectx/server.js';

export const USER = 'trader';
export const API_KEY = 'test-api-key';
export const LEADER = 20_258_288;
export const MES = 'CON.F.US.MES.Z26';

/** Short timeouts so faults (stalls, logouts) resolve in about a second. */
export const FAST_TUNING: Partial<ProjectXTuning> = {
  serverTimeoutMs: 1_200, keepAliveMs: 300, reconnectBaseMs: 50, reconnectMaxMs: 200, logoutBackoffMs: 300, requestTimeoutMs: 3_000,
};

export async function startSim(opts: ProjectXSimOptions = {}): Promise<ProjectXSim> {
  return startProjectXSim({
    users: { [USER]: API_KEY },
    pingIntervalMs: 250,
    accounts: [{ id: LEADER, name: '150KTC-V2-1-leader' }, { id: 30_000_001, bracketMode: 'oco' }],
    ...opts,
  });
}

export function makeAdapter(
  sim: ProjectXSim,
  pxAccountId: number,
  opts: { id?: string; user?: string; apiKey?: string; isolated?: boolean; clock?: Clock; tuning?: Partial<ProjectXTuning>; log?: (l: string) => void } = {},
): BrokerAdapter {
  const account = accountConfigSchema.parse({
    id: opts.id ?? `px-${pxAccountId}`, label: `ProjectX ${pxAccountId}`, broker: 'projectx', brokerAccountId: String(pxAccountId),
    endpoints: { rest: sim.restUrl, userHub: sim.hubUrl },
  });
  return createProjectXAdapter({
    account, credentials: { userName: opts.user ?? USER, apiKey: opts.apiKey ?? API_KEY }, clock: opts.clock ?? new SystemClock(),
    tuning: { ...FAST_TUNING, ...opts.tuning }, ...(opts.log ? { log: opts.log } : {}), ...(opts.isolated ? { isolated: true } : {}),
  });
}
