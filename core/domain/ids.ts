// Branded identifiers: strings that cannot be mixed up at compile time.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AccountId = Brand<string, 'AccountId'>;
export type LinkId = Brand<string, 'LinkId'>;
export type ExecutionId = Brand<string, 'ExecutionId'>;
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
export type BrokerOrderId = Brand<string, 'BrokerOrderId'>;
export type IntentId = Brand<string, 'IntentId'>;
export type AlertId = Brand<string, 'AlertId'>;

export const accountId = (s: string) => s as AccountId;
export const linkId = (s: string) => s as LinkId;
export const executionId = (s: string) => s as ExecutionId;
export const clientOrderId = (s: string) => s as ClientOrderId;
export const brokerOrderId = (s: string) => s as BrokerOrderId;
export const intentId = (s: string) => s as IntentId;
export const alertId = (s: string) => s as AlertId;

/** Account ids name keychain entries, env variables and files: keep them to a safe alphabet. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
