// The contract schemas the first screen does not need (every other channel, the account and link forms' schemas):
// their own chunk, loaded after the first screen painted or when a screen or a call needs them (contract-schemas.ts).
export { INVOKE, credentialsSchema } from '../../core/contract/channels.js';
export { accountPatchSchema, linkPatchSchema } from '../../core/contract/patches.js';
