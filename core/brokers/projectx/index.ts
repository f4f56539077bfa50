// ProjectX (TopstepX and other prop firms) broker: the factory AppHost calls and the credential schema.
// Topstep forbids placing orders from a VPS or remote server: run the copier on the trader's own machine.
import { z } from 'zod';
import type { AccountConfig } from '../../domain/account-config.js';
import { accountId } from '../../domain/ids.js';
import type { BrokerAdapter } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import { ProjectXAdapter } from './adapter.js';
import { sessionFor, type SessionConfig } from './session.js';

export { ProjectXAdapter, PROJECTX_CAPABILITIES } from './adapter.js';

export const projectxCredentialsSchema = z.object({ userName: z.string().min(1), apiKey: z.string().min(1) }).strict();

/** For the README and the dashboard: Topstep's rule on where order-placing automation may run. */
export const PROJECTX_VPS_NOTICE =
  'Topstep forbids placing, modifying or cancelling orders from a VPS, VPN or remote server: run Mirrordesk on your own computer when it trades TopstepX accounts.';

export const PROJECTX_DEFAULT_REST = 'https://api.topstepx.com';
export const PROJECTX_DEFAULT_USER_HUB = 'https://rtc.topstepx.com/hubs/user';

/** The market hub beside the user hub (…/hubs/user -> …/hubs/market), unless the account names one. */
export function marketHubUrl(account: AccountConfig): string {
  if (account.endpoints.marketData) return account.endpoints.marketData;
  const user = account.endpoints.userHub ?? PROJECTX_DEFAULT_USER_HUB;
  return /\/hubs\/user\/?$/.test(user) ? user.replace(/\/hubs\/user\/?$/, '/hubs/market') : 'https://rtc.topstepx.com/hubs/market';
}

export interface ProjectXTuning {
  /** Hub watchdog: no frame for this long rebuilds the connection (30 s). */
  readonly serverTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  readonly logoutBackoffMs: number;
  readonly requestTimeoutMs: number;
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
  /** While the hub is connected, positions, orders and balances come from it; REST corrects them this often (60 s). */
  readonly snapshotMaxAgeMs: number;
}

export const PROJECTX_DEFAULT_TUNING: ProjectXTuning = {
  serverTimeoutMs: 30_000, keepAliveMs: 15_000, reconnectBaseMs: 500, reconnectMaxMs: 30_000, logoutBackoffMs: 60_000,
  requestTimeoutMs: 10_000, rateLimit: { requests: 200, windowMs: 60_000 }, snapshotMaxAgeMs: 60_000,
};

const tuningOverrideSchema = z
  .object({
    serverTimeoutMs: z.number().int().min(500), keepAliveMs: z.number().int().min(100), reconnectBaseMs: z.number().int().min(1),
    reconnectMaxMs: z.number().int().min(1), logoutBackoffMs: z.number().int().min(0), requestTimeoutMs: z.number().int().min(100),
    snapshotMaxAgeMs: z.number().int().min(1_000),
  })
  .partial()
  .strict();

/** Operator override of timeouts (slow links, tests): JSON in MIRRORDESK_PROJECTX_TUNING. Throws a named error when malformed. */
export function tuningFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<ProjectXTuning> {
  const text = env.MIRRORDESK_PROJECTX_TUNING;
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RangeError('MIRRORDESK_PROJECTX_TUNING is not valid JSON');
  }
  const r = tuningOverrideSchema.safeParse(json);
  if (!r.success) throw new RangeError(`MIRRORDESK_PROJECTX_TUNING: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined));
}

export interface ProjectXAdapterOptions {
  readonly account: AccountConfig;
  readonly credentials: { readonly userName: string; readonly apiKey: string };
  readonly clock: Clock;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
  /** Timeouts and backoffs (else MIRRORDESK_PROJECTX_TUNING); a login's session takes them from its first account. */
  readonly tuning?: Partial<ProjectXTuning>;
  /** A connection test: its own login and hub, never shared with (or borrowed from) running accounts. */
  readonly isolated?: boolean;
}

/** One adapter per trading account; accounts of the same login and key share one session (token, bucket, hub). */
export function createProjectXAdapter(opts: ProjectXAdapterOptions): BrokerAdapter {
  const pxId = Number(opts.account.brokerAccountId);
  if (!Number.isSafeInteger(pxId) || pxId <= 0) {
    throw new RangeError(`${opts.account.id}: ProjectX accounts need brokerAccountId, the numeric ProjectX account id`);
  }
  const log = opts.log ?? (() => undefined);
  const cfg: SessionConfig = {
    restUrl: (opts.account.endpoints.rest ?? PROJECTX_DEFAULT_REST).replace(/\/+$/, ''),
    hubUrl: opts.account.endpoints.userHub ?? PROJECTX_DEFAULT_USER_HUB,
    marketHubUrl: marketHubUrl(opts.account),
    credentials: opts.credentials,
    clock: opts.clock,
    random: opts.random ?? Math.random,
    log,
    tuning: { ...PROJECTX_DEFAULT_TUNING, ...(opts.tuning ?? tuningFromEnv(process.env)) },
  };
  return new ProjectXAdapter(accountId(opts.account.id), pxId, sessionFor(cfg, opts.isolated ?? false), opts.clock, log);
}
