// Where the dashboard's contract client finds response schemas: the first screen's replies (snapshot, risk status,
// the first copies page) are checked with schemas built at load; every other channel's, and the forms' schemas, come
// from a chunk loaded after the first paint (building all the zod schemas up front delayed the first rows).
import type { z } from 'zod';
import type { InvokeChannel } from '../../core/contract/channel-names.js';
import { copiesPageSchema } from '../../core/contract/copies.js';
import { riskStatusSchema } from '../../core/contract/risk.js';
import { workspaceSnapshotSchema } from '../../core/contract/snapshot.js';

/** The same schema objects as INVOKE[channel].response (test/e2e/renderer-logic.e2e.ts checks it). */
export const FIRST_RESPONSES = {
  'workspace:snapshot': workspaceSnapshotSchema,
  'risk:status': riskStatusSchema,
  'copies:list': copiesPageSchema,
} as const satisfies Partial<Record<InvokeChannel, z.ZodType>>;
export type FirstChannel = keyof typeof FIRST_RESPONSES;

export type ContractRest = typeof import('./contract-rest.js');
let rest: ContractRest | null = null;
let loading: Promise<ContractRest> | null = null;

/** Loads the rest of the contract's schemas (once; a failed load, say the app restarting under the page, is retried next time). */
export function loadContractRest(): Promise<ContractRest> {
  loading ??= import('./contract-rest.js').then(
    (m) => (rest = m),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** The rest of the contract's schemas if loaded (screens that use them render once useContractRest says so). */
export function contractRest(): ContractRest {
  if (!rest) throw new Error('the contract schemas are not loaded yet (loadContractRest)');
  return rest;
}

export const contractRestLoaded = (): boolean => rest !== null;

const isFirst = (channel: InvokeChannel): channel is FirstChannel => Object.hasOwn(FIRST_RESPONSES, channel);

/** A channel's response schema: at once for the first screen's, else once the rest is loaded. */
export function responseSchema(channel: InvokeChannel): z.ZodType | Promise<z.ZodType> {
  if (isFirst(channel)) return FIRST_RESPONSES[channel];
  return rest ? rest.INVOKE[channel].response : loadContractRest().then((m) => m.INVOKE[channel].response);
}
