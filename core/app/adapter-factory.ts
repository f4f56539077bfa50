// Builds the BrokerAdapter for an account: sim accounts share one in-process exchange; real brokers need credentials.
import type { AccountConfig } from '../domain/account-config.js';
import { accountId } from '../domain/ids.js';
import type { BrokerAdapter } from '../ports/broker-adapter.js';
import type { Clock } from '../ports/clock.js';
import { SimAdapter, SimExchange } from '../brokers/sim/index.js';
import { alpacaCredentialsSchema, createAlpacaAdapter } from '../brokers/alpaca/index.js';
import { createProjectXAdapter, projectxCredentialsSchema } from '../brokers/projectx/index.js';
import { CredentialsError } from './credentials.js';
import type { Logger } from './logger.js';

export interface AdapterFactoryDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** The shared simulated venue, created on first use. */
  readonly simExchange: () => SimExchange;
  /** A connection test: brokers with shared sessions (ProjectX) open a private one instead of borrowing. */
  readonly probe?: boolean;
}

const SIM_START_CASH = 100_000;

export function credentialsRequired(account: AccountConfig): boolean {
  return account.broker !== 'sim';
}

/** Throws CredentialsError when a real broker has none or they do not match the broker's shape. */
export function createAdapter(account: AccountConfig, credentials: unknown, deps: AdapterFactoryDeps): BrokerAdapter {
  const logLine = (line: string) => deps.log.info(`[${account.id}] ${line}`);
  switch (account.broker) {
    case 'sim': {
      const exchange = deps.simExchange();
      const id = accountId(account.brokerAccountId ?? account.id);
      if (!exchange.hasAccount(id)) exchange.addAccount(id, { cash: SIM_START_CASH });
      return new SimAdapter(exchange, id, { accountId: account.id as never });
    }
    case 'alpaca': {
      const parsed = alpacaCredentialsSchema.safeParse(credentials);
      if (!parsed.success) throw new CredentialsError(`${account.id}: Alpaca credentials need {"keyId","secretKey"}`);
      return createAlpacaAdapter({ account, credentials: parsed.data, clock: deps.clock, log: logLine });
    }
    case 'projectx': {
      const parsed = projectxCredentialsSchema.safeParse(credentials);
      if (!parsed.success) throw new CredentialsError(`${account.id}: ProjectX credentials need {"userName","apiKey"}`);
      return createProjectXAdapter({ account, credentials: parsed.data, clock: deps.clock, log: logLine, isolated: deps.probe === true });
    }
  }
}

export function newSimExchange(clock: Clock, seed: number): SimExchange {
  // The venue lives in this process: a restarted app gets a new one, whose ids must not repeat the journaled ones.
  const idTag = clock.now().toString(36);
  return new SimExchange({ clock, seed, slippageTicks: 1, partialFillProbability: 0.2, latencyMs: 2, idTag });
}
