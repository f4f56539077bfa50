// Accounts that point at the same broker account (same broker, REST endpoint and broker account id): a copy loop or
// a double count waiting to happen.
import type { AccountView } from '../../core/contract/index.js';

/** The broker account an account trades: its configured id, the account id for the simulator, Alpaca's number. */
export function effectiveBrokerAccount(a: AccountView): string | undefined {
  if (a.brokerAccountId) return a.brokerAccountId;
  if (a.broker === 'sim') return a.id;
  return a.broker === 'alpaca' ? a.brokerAccountName : undefined;
}

/** Groups of two or more accounts sharing one broker account. */
export function sameBrokerAccount(accounts: readonly AccountView[]): AccountView[][] {
  const byKey = new Map<string, AccountView[]>();
  for (const a of accounts) {
    const target = effectiveBrokerAccount(a);
    if (!target) continue;
    const key = `${a.broker}|${a.endpoints?.rest ?? 'default'}|${target}`;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  return [...byKey.values()].filter((g) => g.length > 1);
}
