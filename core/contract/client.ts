// Typed contract client for the renderer over any transport (Electron IPC via preload, or the bridge WebSocket).
import { INVOKE, type InvokeChannel, type ResponseOf } from './channels.js';
import { checkResultWith, createClientWith, type ContractClient, type ContractTransport } from './client-core.js';
import type { Result } from './result.js';

export type { ContractClient, ContractTransport } from './client-core.js';

/** Checks one raw invoke result against the contract, as the client does for every reply. */
export function checkResult<C extends InvokeChannel>(channel: C, raw: unknown, invalid: (what: string) => void = () => undefined): Result<ResponseOf<C>> {
  return checkResultWith(INVOKE[channel].response, channel, raw, invalid);
}

export function createContractClient(transport: ContractTransport, opts: { onInvalid?: (what: string) => void } = {}): ContractClient {
  return createClientWith(transport, (channel) => INVOKE[channel].response, opts);
}
